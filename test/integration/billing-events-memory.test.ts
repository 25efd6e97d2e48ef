/**
 * Billing is told on the memory engine what it is told on DynamoDB Local (billing-events.test.ts, the same
 * scenario: test/support/billing-scenario.ts): the memory table's commits mark their outbox items pending
 * (MemoryBillingOutbox), the billing handler puts them on the memory engine's local bus and marks them
 * published, as `npm start` without Java wires it (cli/local/stack.ts). Each event is published once, with
 * its deterministic id, and handing the items over again publishes nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BillingOutboxDriver, memoryBillingBus, type LocalBillingEvent } from '#cli/local/billing-sink.ts';
import { CreatedNotices, watchedStore } from '#cli/local/notice-outbox.ts';
import { makeBillingHandler } from '#functions/billing/app.ts';
import { MemoryBillingOutbox } from '#store/memory/memory-billing-outbox.ts';
import { memoryTable } from '#store/memory/memory-table.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeBillingPublisher } from '#usecases/publish-billing.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { BILLING_SCENARIO_START, billingScenarioEvents, expectedBillingEvents, runBillingScenario, scenarioLifecycle } from '#test/support/billing-scenario.ts';
import { defaultCatalog, TestClock } from '#test/support/factories/events.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';

const clock = new TestClock(BILLING_SCENARIO_START);
const contractId = 'B-MEMORY-1';
const catalog = defaultCatalog();
const table = memoryTable({ recordCommits: false });
const outbox = new MemoryBillingOutbox();
const bus = memoryBillingBus(clock);

const logger = makeLogger('billing');
const billing = new BillingOutboxDriver(
  makeBillingHandler({
    publisher: makeBillingPublisher({ outbox, bus, clock, sleep: () => Promise.resolve() }),
    logger,
    metrics: makeMetrics('AftercareTest', 'billing', logger),
  }),
);
const written: Parameters<BillingOutboxDriver['note']>[0][] = [];
const store = watchedStore(table.store, new CreatedNotices(), (writes) => {
  written.push(writes);
  outbox.recordCommit(writes, (id) => table.store.contracts.get(id));
  billing.note(writes);
});
const lifecycle = scenarioLifecycle({ store, contracts: table.lifecycle, catalog, clock, logger });

let events: LocalBillingEvent[] = [];
let handedAgain = 0;

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  await runBillingScenario({
    clock,
    events: billingScenarioEvents(contractId, 'drift@kunde.example'),
    intake: makeIntake({ store, catalog, clock }),
    sweep: makeSweep({ store, catalog, clock, notices: table.notices }),
    lifecycle,
    billing,
  });
  events = await bus.read();
  for (const writes of written) billing.note(writes);
  handedAgain = await billing.publishCreated();
}, 120_000);

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('billing over two contract years on the memory engine', () => {
  it('is told the same events as on DynamoDB Local: each credit, the closed year, the accepted termination and the end, in order, each once', () => {
    expect(events.map((event) => [event.detailType, event.detail.id])).toEqual(expectedBillingEvents(contractId));
    expect(events.every((event) => event.source === 'aftercare.billing')).toBe(true);
    const [booked, reversed, , closed, , termination, ended] = events.map((event) => event.detail);
    expect(booked).toMatchObject({ caseId: 'K-1', kpi: 'firstResponse', amountMinor: 240_000, currency: 'NOK', why: 'breach_declared' });
    expect(reversed).toMatchObject({ caseId: 'K-1', kpi: 'firstResponse', amountMinor: -240_000, why: 'breach_withdrawn' });
    expect(closed).toMatchObject({ yearIndex: 1, feeMinor: 12_000_000, creditsMinor: 240_000, amountDueNextYearMinor: 11_760_000 });
    expect(termination).toMatchObject({ reason: 'notice', endsAt: '2027-12-31T23:00:00.000Z', yearCreditsMinor: 240_000 });
    expect(ended).toMatchObject({ endedOn: '2028-01-01', creditsOwedMinor: 240_000 });
  });

  it('marks every outbox item published, and publishes nothing when the items are handed over again', async () => {
    expect(handedAgain).toBeGreaterThan(0);
    expect(await bus.read()).toHaveLength(events.length);
    expect([...outbox.items.values()].every((item) => item.publishedAt !== null)).toBe(true);
    expect(outbox.items.size).toBe(7); // four ledger items (one commit each) and three notices
  });
});
