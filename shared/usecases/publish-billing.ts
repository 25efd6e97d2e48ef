/**
 * Tells billing (docs/design.md#12-contract-changes-and-billing): reads an outbox item that is still pending, puts its
 * events on the bus in batches of at most 10, puts again only the entries the bus refused (with backoff),
 * and marks the item published once every event was accepted. At least once: a crash between the put and
 * the mark puts the events again on the retry, with the same `detail.id`, which is what consumers dedupe on.
 */
import type { Instant } from '#domain/time.ts';
import type { BillingEvent } from '#events/billing.ts';
import { MAX_ENTRIES_PER_PUT, type BillingEventBus } from '#events/billing-bus.ts';
import { billingSourceId, type BillingOutboxRepository, type BillingSourceRef } from '#store/billing-outbox-repository.ts';
import { BillingNotPublishedError } from '../errors.ts';
import type { Clock } from './ports.ts';

/** Tries per batch (the first put and the re-puts of refused entries), inside one invocation. */
export const BILLING_PUT_TRIES = 4;
const BACKOFF_BASE_MS = 100;

export interface BillingPublisherDependencies {
  readonly outbox: BillingOutboxRepository;
  readonly bus: BillingEventBus;
  readonly clock: Clock;
  /** Waits between tries; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** published: put and marked; skipped: already published (or gone); `lostMark`: put, but another run marked it first. */
export type BillingReport =
  | { readonly outcome: 'published'; readonly sourceId: string; readonly events: number; readonly puts: number; readonly recorded: boolean }
  | { readonly outcome: 'skipped'; readonly sourceId: string };

export interface BillingPublisher {
  publish(ref: BillingSourceRef): Promise<BillingReport>;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function makeBillingPublisher(dependencies: BillingPublisherDependencies): BillingPublisher {
  const { outbox, bus, clock } = dependencies;
  const sleep = dependencies.sleep ?? wait;

  /** Puts one batch until the bus has accepted every entry; how many puts it took. */
  async function putBatch(batch: readonly BillingEvent[]): Promise<number> {
    let remaining = batch;
    let lastReason = '';
    for (let attempt = 1; attempt <= BILLING_PUT_TRIES; attempt += 1) {
      if (attempt > 1) await sleep(BACKOFF_BASE_MS * 2 ** (attempt - 2));
      let refused;
      try {
        refused = await bus.put(remaining);
      } catch (error) {
        lastReason = error instanceof Error ? error.name : 'Error';
        continue;
      }
      if (refused.length === 0) return attempt;
      lastReason = [...new Set(refused.map((entry) => entry.code))].join(', ');
      const refusedAt = new Set(refused.map((entry) => entry.index));
      remaining = remaining.filter((_, index) => refusedAt.has(index));
    }
    throw new BillingNotPublishedError(`${remaining.length} of ${batch.length} billing events not accepted after ${BILLING_PUT_TRIES} tries (${lastReason})`);
  }

  return {
    async publish(ref) {
      const sourceId = billingSourceId(ref);
      const pending = await outbox.pending(ref);
      if (pending === null) return { outcome: 'skipped', sourceId };
      let puts = 0;
      for (let offset = 0; offset < pending.events.length; offset += MAX_ENTRIES_PER_PUT) {
        puts += await putBatch(pending.events.slice(offset, offset + MAX_ENTRIES_PER_PUT));
      }
      const at: Instant = clock.now();
      const recorded = await outbox.markPublished(ref, at);
      return { outcome: 'published', sourceId, events: pending.events.length, puts, recorded };
    },
  };
}
