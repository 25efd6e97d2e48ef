/**
 * Plays a soak scenario through the local stack on its virtual clock: deliveries in `deliverAt` order
 * in SQS batches, the sweep (with notice upkeep) and the lifecycle on a fixed cadence, notices
 * delivered after each scheduled run, and a sweep right before each termination so that it is decided
 * on the breaches declared by then (as the every-minute sweep would have).
 */
import type { SoakScenario } from '#test/support/generators/soak-events.ts';
import { LEASE_MS } from '#usecases/notice-timing.ts';
import type { LocalStack } from './local-stack.ts';

export interface Cadence {
  /** Virtual time between scheduled sweeps (the deployed sweep runs every minute; idle minutes are skipped). */
  readonly sweepEveryMs: number;
  readonly lifecycleEveryMs: number;
  /** Records per SQS batch. */
  readonly batchSize: number;
  /** Batches processed at the same time (the intake's reserved concurrency allows 5). */
  readonly concurrentBatches: number;
  /** Called after each scheduled step with the deliveries done so far (progress output). */
  readonly onProgress?: (delivered: number, now: number) => void;
}

export async function runScenario(stack: LocalStack, scenario: SoakScenario, cadence: Cadence): Promise<void> {
  const { deliveries, asOf } = scenario;
  let nextSweep = (deliveries[0]?.deliverAt ?? asOf) + cadence.sweepEveryMs;
  let nextLifecycle = (deliveries[0]?.deliverAt ?? asOf) + cadence.lifecycleEveryMs;
  let batch: string[] = [];
  let batchAt = 0;
  let delivered = 0;

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    // SQS does not keep order: records of one case may land in concurrent batches and race.
    const batches = Array.from({ length: Math.ceil(batch.length / cadence.batchSize) }, (_, index) =>
      batch.filter((_body, position) => position % Math.ceil(batch.length / cadence.batchSize) === index),
    );
    await stack.deliverConcurrently(batches, batchAt);
    delivered += batch.length;
    batch = [];
  };
  const scheduledUntil = async (until: number): Promise<void> => {
    while (Math.min(nextSweep, nextLifecycle) <= until) {
      await flush();
      if (nextLifecycle <= nextSweep) {
        await stack.lifecycle(nextLifecycle);
        await stack.deliverNotices(nextLifecycle);
        nextLifecycle += cadence.lifecycleEveryMs;
      } else {
        await stack.sweep(nextSweep);
        await stack.deliverNotices(nextSweep);
        nextSweep += cadence.sweepEveryMs;
      }
      cadence.onProgress?.(delivered, stack.clock.at);
    }
  };

  for (const delivery of deliveries) {
    await scheduledUntil(delivery.deliverAt);
    if (delivery.termination) {
      await flush();
      await stack.sweep(delivery.deliverAt);
    }
    batch.push(delivery.body);
    batchAt = delivery.deliverAt;
    if (batch.length >= cadence.batchSize * cadence.concurrentBatches || delivery.termination) await flush();
  }
  await flush();
  await scheduledUntil(asOf - 1);
  await stack.sweep(asOf);
  await stack.deliverNotices(asOf);
  // Credit notices of the last changes wait for their years to settle: the sweep's re-drive (only that
  // part runs past asOf) then hands them to the notifier.
  await stack.settleExpiredLeases(asOf + stack.settleMs);
  await stack.deliverNotices(asOf + stack.settleMs);
  // A send that died after SES accepted leaves its notice `sending`: once its lease runs out the sweep
  // marks it unknown and alerts operations (only that part of the sweep runs past asOf). The alert's
  // own send may die the same way, so twice.
  for (const round of [1, 2]) {
    await stack.settleExpiredLeases(asOf + stack.settleMs + round * (LEASE_MS + 1));
    await stack.deliverNotices(asOf + stack.settleMs + round * (LEASE_MS + 1));
  }
}
