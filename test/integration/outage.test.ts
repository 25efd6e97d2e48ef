/**
 * Integration outages, beside the kill points: the same three weeks of cases delivered on time, after a
 * day-long outage (one burst next morning), after a week drained over two hours while the sweep runs
 * every minute, and with the helpdesk catching up and then silent for an hour. docs/design.md#order-and-duplicates "What the
 * customer is told is what happened": every way ends with the customer emails, the ledger and the
 * statements of on-time delivery, and no credit.adjusted at all.
 */
import { describe, it } from 'vitest';
import type { StoredEmail } from '#cli/local/emulators.ts';
import type { ContractStatement } from '#domain/statement.ts';
import { readStatement } from '#usecases/statement.ts';
import { defaultCatalog } from '#test/support/factories/events.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { OUTAGE_KINDS, outageScenario, type OutageKind, type OutageScenario } from '#test/support/generators/outage-events.ts';
import { LocalStack } from '#test/faults/local-stack.ts';

const SEED = Number(process.env.OUTAGE_SEED ?? 20261201);
const MINUTE = 60_000;
const catalog = defaultCatalog();

interface Told {
  /**
   * Per customer, the subjects of the emails they received, sorted: the case, the KPI and the credit. The
   * text may differ in what was known when it was sent (a late answer not yet in when a credit was told).
   */
  readonly emails: Readonly<Record<string, readonly string[]>>;
  /** Per contract, the notices with their final state (ids and types are deterministic). */
  readonly notices: Readonly<Record<string, readonly string[]>>;
  /** Per contract, the ledger without booking instants. */
  readonly ledger: Readonly<Record<string, readonly string[]>>;
  readonly statements: Readonly<Record<string, unknown>>;
  readonly creditAdjusted: number;
  readonly deliveries: number;
}

/** A statement without what only says when things happened: booking instants and notice states. */
function comparable(statement: ContractStatement): unknown {
  const { ledger: _ledger, notices: _notices, ...rest } = statement;
  return rest;
}

/** Deliveries in SQS batches of ten per minute, the sweep at its instants, the lifecycle at 05:00 UTC. */
async function drive(stack: LocalStack, scenario: OutageScenario): Promise<void> {
  const lifecycles: number[] = [];
  for (let at = scenario.sweeps[0] ?? 0; at <= scenario.asOf; at += 86_400_000) lifecycles.push(at + 5 * 60 * MINUTE);
  const timeline = [
    ...scenario.deliveries.map((delivery) => ({ at: delivery.deliverAt, kind: 'delivery' as const, body: delivery.body })),
    ...scenario.sweeps.map((at) => ({ at, kind: 'sweep' as const, body: '' })),
    ...lifecycles.map((at) => ({ at, kind: 'lifecycle' as const, body: '' })),
  ].sort((a, b) => (a.at !== b.at ? a.at - b.at : a.kind === 'delivery' ? -1 : 1));

  let batch: string[] = [];
  let batchMinute = -1;
  let batchAt = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await stack.deliverConcurrently([batch], batchAt);
    batch = [];
  };
  for (const step of timeline) {
    if (step.kind === 'delivery') {
      const minute = Math.floor(step.at / MINUTE);
      if (minute !== batchMinute || batch.length === 10) await flush();
      batchMinute = minute;
      batch.push(step.body);
      batchAt = step.at;
      continue;
    }
    await flush();
    if (step.kind === 'sweep') await stack.sweep(step.at);
    else await stack.lifecycle(step.at);
    await stack.deliverNotices(step.at);
  }
  await flush();
  // Past the end, long enough for every credit notice to settle and be sent.
  for (const at of [scenario.asOf, scenario.asOf + 30 * MINUTE, scenario.asOf + 60 * MINUTE]) {
    await stack.sweep(at);
    await stack.deliverNotices(at);
  }
}

async function told(kind: OutageKind): Promise<Told> {
  const emulators = useEmulators();
  const scenario = outageScenario(kind, { seed: SEED, runTag: `-${emulators.queuePrefix}` });
  const stack = await LocalStack.start({ emulators, catalog, operatorEmail: `ops@${emulators.queuePrefix}.example`, killAt: null });
  try {
    await drive(stack, scenario);
    const emails: StoredEmail[] = await emulators.sesStore();
    const result: {
      emails: Record<string, string[]>;
      notices: Record<string, string[]>;
      ledger: Record<string, string[]>;
      statements: Record<string, unknown>;
    } = { emails: {}, notices: {}, ledger: {}, statements: {} };
    let creditAdjusted = 0;
    for (const [contractId, address] of scenario.customers) {
      // Addresses carry the run's tag; the comparison is by contract.
      result.emails[contractId] = emails
        .filter((email) => email.destination.to.includes(address))
        .map((email) => email.subject)
        .sort();
      const statement = await readStatement(stack.store, catalog, contractId, scenario.asOf);
      if (statement === null) throw new Error(`${contractId} is not registered`);
      const customerNotices = statement.notices.filter((notice) => !notice.type.startsWith('ops.'));
      result.notices[contractId] = customerNotices.map((notice) => `${notice.id} ${notice.state}`).sort();
      creditAdjusted += customerNotices.filter((notice) => notice.type === 'credit.adjusted').length;
      result.ledger[contractId] = statement.ledger.map((entry) => `${entry.yearIndex} ${entry.caseId} ${entry.kpi} ${entry.amountMinor}`).sort();
      result.statements[contractId] = comparable(statement);
    }
    return { ...result, creditAdjusted, deliveries: scenario.deliveries.length };
  } finally {
    stack.destroy();
  }
}

describe(`an integration outage tells the customers what on-time delivery tells them (seed ${SEED})`, () => {
  const runs = new Map<OutageKind, Promise<Told>>();
  const run = (kind: OutageKind): Promise<Told> => {
    let started = runs.get(kind);
    if (started === undefined) {
      started = told(kind);
      runs.set(kind, started);
    }
    return started;
  };

  it('on time, the three contracts get credit notices for their true breaches and no credit.adjusted', { timeout: 900_000 }, async ({ expect }) => {
    const onTime = await run('onTime');

    const emails = Object.values(onTime.emails).flat();
    expect(emails.length).toBeGreaterThan(3);
    expect(onTime.creditAdjusted).toBe(0);
    console.info(`outage test, on time: ${onTime.deliveries} deliveries, ${emails.length} customer emails`);
  });

  it.concurrent.for(OUTAGE_KINDS.filter((kind) => kind !== 'onTime'))(
    'after %s: the same customer emails, notices, ledger and statements as on time, and zero credit.adjusted',
    { timeout: 900_000 },
    async (kind, { expect }) => {
      // Prepare and Act: both runs, side by side (each has its own table, queues and addresses).
      const [onTime, outage] = await Promise.all([run('onTime'), run(kind)]);

      // Assess
      console.info(`outage test, ${kind}: ${Object.values(outage.emails).flat().length} customer emails (on time ${Object.values(onTime.emails).flat().length})`);
      expect(outage.creditAdjusted).toBe(0);
      expect(outage.emails).toEqual(onTime.emails);
      expect(outage.notices).toEqual(onTime.notices);
      expect(outage.ledger).toEqual(onTime.ledger);
      expect(outage.statements).toEqual(onTime.statements);
    },
  );
});
