/**
 * Kill points: each function dies at each of its step boundaries — before its transaction, after it but
 * before acknowledging, before the SES send, after SES accepted but before marking, before the billing
 * publisher's PutEvents, after the bus accepted but before marking the outbox item published — on the
 * first two attempts of every unit of work, and is redelivered or retried as AWS would (SQS up to
 * maxReceiveCount 5). Whatever dies where, the outcome must be the run without faults; billing is told
 * at least once with stable ids (the bus is outside the table's transaction): nothing lost, a duplicate
 * only after a crash between the put and the mark, and then the same event with the same `detail.id`.
 */
import { describe, it } from 'vitest';
import { defaultCatalog } from '#test/support/factories/events.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { generateSoak } from '#test/support/generators/soak-events.ts';
import { billingFindings, deadLetterFindings, ledgerMismatches, noticeFindings, statementsAgainstOracle, unprocessedEvents } from '#test/faults/checks.ts';
import { KILL_POINTS, type KillPoint } from '#test/faults/crash.ts';
import { LocalStack } from '#test/faults/local-stack.ts';
import { runScenario } from '#test/faults/run-scenario.ts';

const DAY = 86_400_000;
const SEED = Number(process.env.KILL_POINTS_SEED ?? 7);
const catalog = defaultCatalog();

async function runKilledAt(point: KillPoint) {
  // Prepare: three contracts, about 50 events over two years, parked, late, duplicated and poison ones.
  const emulators = useEmulators();
  const scenario = generateSoak({ seed: SEED, contracts: 3, events: 50, poisonShare: 0.03, runTag: `-${emulators.queuePrefix}` });
  const stack = await LocalStack.start({ emulators, catalog, operatorEmail: `ops@${emulators.queuePrefix}.example`, killAt: point, billing: true });
  try {
    // Act
    await runScenario(stack, scenario, { sweepEveryMs: 30 * DAY, lifecycleEveryMs: 30 * DAY, batchSize: 1, concurrentBatches: 1 });
    const emails = await emulators.sesStore();
    return {
      crashes: stack.crasher.crashes.get(point) ?? 0,
      statements: await statementsAgainstOracle(stack, scenario, catalog),
      lostEvents: await unprocessedEvents(stack, scenario),
      ledger: await ledgerMismatches(stack, scenario, catalog),
      notices: await noticeFindings(stack, scenario, emails),
      deadLetters: await deadLetterFindings(stack, scenario),
      billing: await billingFindings(stack, scenario),
    };
  } finally {
    stack.destroy();
  }
}

// Each kill point has its own table, queues and customer addresses, so they run side by side (vitest's
// maxConcurrency): one run alone leaves a core idle while it waits on DynamoDB Local.
describe(`killed at every step boundary (seed ${SEED})`, () => {
  it.concurrent.for(KILL_POINTS)(
    'loses no event, books no credit twice, sends no notice twice, tells billing every change with a stable id and ends with exact statements when killed at %s',
    { timeout: 600_000 },
    async (point, { expect }) => {
      const outcome = await runKilledAt(point);

      // Assess: the fault did fire, and nothing of it shows in the outcome.
      expect(outcome.crashes).toBeGreaterThan(0);
      expect(outcome.lostEvents).toEqual([]);
      expect(outcome.statements).toEqual([]);
      expect(outcome.ledger).toEqual([]);
      expect(outcome.notices).toEqual([]);
      expect(outcome.deadLetters).toEqual([]);
      expect(outcome.billing.findings).toEqual([]);
      expect(outcome.billing.events).toBeGreaterThan(0);
      // Put twice (the first two attempts die after the put) only where the process died between put and mark.
      if (point === 'billing:after-put') expect(outcome.billing.duplicates).toBeGreaterThan(0);
      else expect(outcome.billing.duplicates).toBe(0);
    },
  );
});
