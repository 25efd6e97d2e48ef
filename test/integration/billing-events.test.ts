/**
 * Billing is told, over two contract years against DynamoDB Local (docs/design.md#12-contract-changes-and-billing): a
 * premium contract earns credits (one booked by the sweep and reversed by a late event, two that stay),
 * its first year closes with the amount due, a termination by notice is accepted and the contract ends
 * with credits owed. Every commit's outbox items go through the billing handler as the stream would hand
 * them (the local stack's path: `BillingOutboxDriver`, the local bus in the table). Each event is
 * published once, with its deterministic id, and handing the items over again publishes nothing. The
 * memory engine's twin: billing-events-memory.test.ts (test/support/billing-scenario.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BillingOutboxDriver, readLocalBillingEvents, tableBillingBus, type LocalBillingEvent } from '#cli/local/billing-sink.ts';
import { createTable } from '#cli/local/emulators.ts';
import { CreatedNotices, watchedStore } from '#cli/local/notice-outbox.ts';
import { buildBillingHandler } from '#functions/billing/wiring.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoLifecycleRepository } from '#store/lifecycle-repository.ts';
import { ledgerKey, noticeKey } from '#store/keys.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { useEmulators } from '#test/support/emulator-context.ts';
import { BILLING_SCENARIO_START, billingScenarioEvents, expectedBillingEvents, runBillingScenario, scenarioLifecycle } from '#test/support/billing-scenario.ts';
import { defaultCatalog, TestClock } from '#test/support/factories/events.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';

const local = useEmulators();
const dynamo = new DynamoDBClient(local.dynamodb);
const documents = documentClient(dynamo);
const clock = new TestClock(BILLING_SCENARIO_START);
const contractId = `B-${local.queuePrefix}`;
const catalog = defaultCatalog();

const logger = makeLogger('billing');
const billing = new BillingOutboxDriver(
  buildBillingHandler({
    table: { documents, tableName: local.tableName },
    clock,
    logger,
    metrics: makeMetrics('AftercareTest', 'billing', logger),
    bus: tableBillingBus({ documents, tableName: local.tableName, clock }),
    sleep: () => Promise.resolve(),
  }),
);
const written: Parameters<BillingOutboxDriver['note']>[0][] = [];
const store = watchedStore(new DynamoStore({ client: documents, tableName: local.tableName }), new CreatedNotices(), (writes) => {
  written.push(writes);
  billing.note(writes);
});
const intake = makeIntake({ store, catalog, clock });
const notices = new DynamoNoticeRepository({ client: documents, tableName: local.tableName });
const sweep = makeSweep({ store, catalog, clock, notices });
const lifecycleHandler = scenarioLifecycle({ store, contracts: new DynamoLifecycleRepository({ client: documents, tableName: local.tableName }), catalog, clock, logger });

let events: LocalBillingEvent[] = [];
let handedAgain = 0;

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  await createTable(dynamo, local.tableName, { stream: false });
  await runBillingScenario({ clock, events: billingScenarioEvents(contractId, `${local.queuePrefix}@kunde.example`), intake, sweep, lifecycle: lifecycleHandler, billing });
  events = await readLocalBillingEvents(documents, local.tableName);
  // The stream may hand a record over again (a retry, a MODIFY of the same item): nothing is put twice.
  for (const writes of written) billing.note(writes);
  handedAgain = await billing.publishCreated();
}, 900_000);

afterAll(() => {
  vi.unstubAllEnvs();
  dynamo.destroy();
});

const mine = (): LocalBillingEvent[] => events.filter((event) => event.detail.contractId === contractId);

describe('billing over two contract years', () => {
  it('is told each credit, the closed year, the accepted termination and the end, in order, each once', () => {
    expect(mine().map((event) => [event.detailType, event.detail.id])).toEqual(expectedBillingEvents(contractId));
    expect(mine().every((event) => event.source === 'aftercare.billing')).toBe(true);
  });

  it('tells the amounts: 2 % of the fee per late first response, the reversal, the amount due and the credits owed', () => {
    const [booked, reversed, k2, closed, k3, termination, ended] = mine().map((event) => event.detail);
    expect(booked).toMatchObject({ caseId: 'K-1', kpi: 'firstResponse', amountMinor: 240_000, currency: 'NOK', why: 'breach_declared' });
    expect(reversed).toMatchObject({ caseId: 'K-1', kpi: 'firstResponse', amountMinor: -240_000, why: 'breach_withdrawn' });
    expect(k2).toMatchObject({ caseId: 'K-2', amountMinor: 240_000 });
    expect(closed).toMatchObject({ yearIndex: 1, feeMinor: 12_000_000, creditsMinor: 240_000, amountDueNextYearMinor: 11_760_000, start: '2026-01-01', end: '2027-01-01' });
    expect(k3).toMatchObject({ caseId: 'K-3', yearIndex: 2, amountMinor: 240_000 });
    expect(termination).toMatchObject({ reason: 'notice', endsAt: '2027-12-31T23:00:00.000Z', yearIndex: 2, yearCreditsMinor: 240_000 });
    expect(ended).toMatchObject({ endedOn: '2028-01-01', creditsOwedMinor: 240_000 });
  });

  it('marks every outbox item published, and publishes nothing when the items are handed over again', async () => {
    expect(handedAgain).toBeGreaterThan(0);
    expect((await readLocalBillingEvents(documents, local.tableName)).filter((e) => e.detail.contractId === contractId)).toHaveLength(mine().length);
    const itemOf = async (key: { pk: string; sk: string }) => (await documents.send(new GetCommand({ TableName: local.tableName, Key: key }))).Item;
    expect((await itemOf(ledgerKey(contractId, 1, 1)))?.billing).toBe('published');
    expect((await itemOf(noticeKey(contractId, `year.statement#${contractId}#1`)))?.billing).toBe('published');
    expect((await itemOf(noticeKey(contractId, `contract.ended#${contractId}`)))?.billing).toBe('published');
  });
});
