/**
 * Pools and loans (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools) on DynamoDB Local
 * and the SES emulator: the demo's shared pool of two units and its three entitled contracts, an exclusive
 * pool, a demonstration loan, with the lifecycle every morning and the notifier delivering what each step
 * created. A third request while both units are out is refused and alerted, its replacement KPI breaches
 * and credits, the loans come back, borrowers are reminded (the demo borrower, who has no contract, too),
 * the overdue loan is alerted once, and `aftercare pools` and `aftercare statement` show the figures. Two
 * requests at the same instant for the last unit: the conditional write lets exactly one take it.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, type StoredEmail } from '#cli/local/emulators.ts';
import { CreatedNotices, makeNoticeDriver, watchedNotices, watchedStore, type NoticeDriver } from '#cli/local/notice-outbox.ts';
import { runCli } from '#cli/main.ts';
import type { Output } from '#cli/output.ts';
import { parseEvent } from '#events/parse.ts';
import type { AftercareEventV1 } from '#events/schemas.ts';
import { makeNotifierHandler } from '#functions/notifier/app.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { DynamoCreditState } from '#store/dynamo-credit-state.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoPoolRepository } from '#store/dynamo-pool-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoLifecycleRepository } from '#store/lifecycle-repository.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { makeLifecycle } from '#usecases/lifecycle.ts';
import { makeLoanUpkeep } from '#usecases/loan-upkeep.ts';
import { catalogRuntime } from '#usecases/runtime.ts';
import { readStatement } from '#usecases/statement.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';

const local = useEmulators();
const dynamo = new DynamoDBClient(local.dynamodb);
const documents = documentClient(dynamo);
const ses = new SESv2Client(local.ses);
const catalog = defaultCatalog();
const clock = new TestClock(0);
const tableName = local.tableName;
/** Addresses of this file only: the SES emulator is shared by every test file. */
const domain = `${local.queuePrefix}.example`;
const operatorEmail = `drift@${domain}`;
const DAY = 86_400_000;
const AS_OF = Date.parse('2026-06-01T00:00:00Z');

const demoText = readFileSync(new URL('../../examples/demo-pools.jsonl', import.meta.url), 'utf8').replaceAll('.example"', `.${domain}"`);
const eventsOf = (text: string): AftercareEventV1[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const parsed = parseEvent(line);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.event;
    });

const created = new CreatedNotices();
const store = watchedStore(new DynamoStore({ client: documents, tableName }), created);
const pools = new DynamoPoolRepository({ client: documents, tableName });
const intake = makeIntake({ store, catalog, clock, pools });
/** The every-minute sweep: it books what intake recorded (run here after each event). */
const sweep = makeSweep({ store, catalog, clock, notices: new DynamoNoticeRepository({ client: documents, tableName }) });
const lifecycle = makeLifecycle({
  store,
  contracts: new DynamoLifecycleRepository({ client: documents, tableName }),
  catalog,
  clock,
  loans: makeLoanUpkeep({ pools, cases: store, store, runtime: catalogRuntime(catalog), clock }),
});
const logger = makeLogger('notifier');
const noticeRepository = new DynamoNoticeRepository({ client: documents, tableName });
const delivery: NoticeDriver = makeNoticeDriver({
  created,
  notices: watchedNotices(noticeRepository, created),
  handler: makeNotifierHandler({
    delivery: makeNoticeDelivery({
      notices: noticeRepository,
      sender: sesNoticeSender({ client: ses, from: 'aftercare@provider.example', configurationSetName: 'aftercare-test' }),
      suppressions: new DynamoDeliveryFeedbackRepository({ client: documents, tableName }),
      clock,
      credits: new DynamoCreditState({ client: documents, tableName }),
      catalog,
      operatorEmail,
      sleep: () => Promise.resolve(),
    }),
    logger,
    metrics: makeMetrics('AftercareTest', 'notifier', logger),
  }),
});

/** An event as the queue hands it: a failure is received again, as SQS redelivers it. */
async function deliverEvent(target: Intake, event: AftercareEventV1): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await target.processEvent(event);
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

/** Each event a minute after it happened, the sweep after it; the lifecycle at 05:00 UTC of every day in between; the notifier after each. */
async function play(events: readonly AftercareEventV1[], until: number): Promise<void> {
  const sorted = [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  let nextRun = Date.parse('2026-01-02T05:00:00Z');
  const runDaysBefore = async (instant: number): Promise<void> => {
    while (nextRun < instant) {
      clock.at = nextRun;
      await lifecycle.run();
      await delivery.deliverCreated();
      nextRun += DAY;
    }
  };
  for (const event of sorted) {
    const at = Date.parse(event.occurredAt) + MINUTE;
    await runDaysBefore(at);
    clock.at = at;
    await deliverEvent(intake, event);
    await sweep.run();
    await delivery.deliverCreated();
  }
  await runDaysBefore(until);
  clock.at = until;
}

async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: Output = { out: (text) => stdout.push(text), err: (text) => stderr.push(text), errIsTty: false };
  const status = await runCli(argv, output);
  return { status, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

let emails: StoredEmail[] = [];
const emailsTo = (address: string): StoredEmail[] => emails.filter((email) => email.destination.to.includes(address));

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: local.region,
    AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamodb.endpoint,
  });
  await createTable(dynamo, tableName, { stream: false });
  await play(eventsOf(demoText), AS_OF);
  emails = (await local.sesStore()).filter((email) => email.destination.to.some((to) => to.endsWith(domain)));
}, 600_000);

afterAll(() => {
  documents.destroy();
  dynamo.destroy();
  ses.destroy();
});

describe('the demo pools on DynamoDB Local', () => {
  it('refuses the third request while both units of the shared pool are out, and alerts operations by email at once', async () => {
    // Act
    const state = await pools.readPool('POOL-OSLO-1');

    // Assess
    expect(state.refused.map(({ contractId, caseId, reason }) => ({ contractId, caseId, reason }))).toEqual([
      { contractId: 'C-POOLS-3', caseId: 'K-4001', reason: 'pool POOL-OSLO-1 has 2 units, 2 out: the pool is empty' },
    ]);
    const alerts = emailsTo(operatorEmail).filter((email) => (email.body.text ?? '').includes('K-4001') && (email.body.text ?? '').includes('POOL-OSLO-1'));
    expect(alerts.length).toBeGreaterThanOrEqual(1);
  });

  it('lets the refused case breach its replacement KPI and credits it as before', async () => {
    // Act
    const statement = await readStatement(store, catalog, 'C-POOLS-3', AS_OF, pools);

    // Assess: standard, 60 000.00 NOK, replacement 2 % = 1 200.00 NOK
    expect(statement?.years[0]?.breaches.replacement).toBe(1);
    const replacementCredits = (statement?.ledger ?? []).filter((entry) => entry.caseId === 'K-4001' && entry.kpi === 'replacement');
    expect(replacementCredits.reduce((sum, entry) => sum + entry.amountMinor, 0)).toBe(120_000);
    expect(statement?.loans).toEqual([]);
  });

  it('never lends the exclusive unit to another contract', async () => {
    // Act
    const state = await pools.readPool('POOL-NORDLYS-1');

    // Assess
    expect(state.refused.map((refused) => refused.reason)).toEqual(['pool POOL-NORDLYS-1 is exclusive to contract C-POOLS-1, not C-POOLS-2']);
    expect(state.loans.map((loan) => loan.contractId)).toEqual(['C-POOLS-1']);
  });

  it('brings every loan back, and the statement shows them with their days out and the exclusive pool fee', async () => {
    // Act
    const statement = await readStatement(store, catalog, 'C-POOLS-2', AS_OF, pools);
    const exclusive = await readStatement(store, catalog, 'C-POOLS-1', AS_OF, pools);

    // Assess
    expect(statement?.loans.map(({ unitId, caseId, returnedAt, daysOut }) => ({ unitId, caseId, back: returnedAt !== null, daysOut }))).toEqual([
      { unitId: 'LX-0008', caseId: 'K-3001', back: true, daysOut: 23 },
      { unitId: 'LX-0011', caseId: 'K-3002', back: true, daysOut: 10 },
    ]);
    expect(exclusive?.pools.map((pool) => [pool.poolId, pool.upFrontFee?.minor ?? null])).toEqual([['POOL-NORDLYS-1', 1_500_000], ['POOL-OSLO-1', null]]);
    expect(exclusive?.years[0]?.exclusivePoolFeesMinor).toBe(1_500_000);
  });

  it('reminds the borrowers by email before a loan is due — the demonstration borrower without a contract too — and alerts operations once for the overdue one', () => {
    // Assess
    expect(emailsTo(`innkjop@fjord-kontor.${domain}`).length).toBe(1);
    expect(emailsTo(`service@vestkyst-trykk.${domain}`).length).toBe(1);
    const overdue = emailsTo(operatorEmail).filter((email) => (email.body.text ?? '').includes('LX-0008') && /overdue/i.test(email.subject));
    expect(overdue.length).toBe(1);
  });

  it('shows the figures in `aftercare pools` and the loans in `aftercare statement --json`', async () => {
    // Act
    const report = await cli('pools', '--table', tableName, '--as-of', '2026-06-01T00:00:00Z');
    const json = await cli('pools', '--table', tableName, '--as-of', '2026-06-01T00:00:00Z', '--json');
    const statement = await cli('statement', 'C-POOLS-2', '--table', tableName, '--as-of', '2026-06-01T00:00:00Z', '--json');

    // Assess
    expect([report.status, report.stderr]).toEqual([0, '']);
    expect(report.stdout).toContain('POOL-OSLO-1 — Loan printer LX-500, Oslo depot, Økern (shared)');
    expect(report.stdout).toContain('units 3, out 0; contracts: C-POOLS-1, C-POOLS-2, C-POOLS-3');
    expect(report.stdout).toContain('refused draws: 1');
    const rows = (JSON.parse(json.stdout) as { pools: { poolId: string; units: number; drawsPerYear: number; meanTurnaroundDays: number; pEmpty: number }[] }).pools;
    const shared = rows.find((row) => row.poolId === 'POOL-OSLO-1');
    expect(shared?.units).toBe(3);
    expect(shared?.drawsPerYear).toBeGreaterThan(0);
    expect(shared?.meanTurnaroundDays).toBeGreaterThan(5);
    expect(shared?.pEmpty).toBeGreaterThan(0);
    expect(shared?.pEmpty).toBeLessThan(1);
    const loans = (JSON.parse(statement.stdout) as { loans: { unitId: string; returnedAt: string | null }[] }).loans;
    expect(loans.map((loan) => loan.unitId)).toEqual(['LX-0008', 'LX-0011']);
  });
});

describe('two requests for the last unit at the same instant on DynamoDB Local', () => {
  it('lets exactly one take it: the other is refused as an empty pool', async () => {
    // Prepare: a pool of one unit and two entitled contracts (in their own ids on the same table)
    const base = eventsOf(demoText).slice(0, 5);
    const body = (event: AftercareEventV1, changes: Record<string, unknown>): AftercareEventV1 => {
      const parsed = parseEvent(JSON.stringify({ ...event, ...changes }));
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.event;
    };
    const [pool, , first, second] = base as [AftercareEventV1, AftercareEventV1, AftercareEventV1, AftercareEventV1];
    clock.at = Date.parse('2026-07-01T08:00:00Z');
    await intake.processEvent(body(pool, { eventId: 'race-pool', poolId: 'POOL-RACE', units: ['R-1'], occurredAt: '2026-07-01T10:00:00+02:00' }));
    for (const [event, id] of [[first, 'C-RACE-1'], [second, 'C-RACE-2']] as const) {
      await intake.processEvent(body(event, { eventId: `race-${id}`, contractId: id, pools: ['POOL-RACE'], occurredAt: '2026-07-01T10:01:00+02:00' }));
    }
    const request = (contractId: string): AftercareEventV1[] => {
      const at = (minute: number): string => `2026-07-02T09:0${minute}:00+02:00`;
      return [
        body(eventsOf(demoText)[5] as AftercareEventV1, { eventId: `${contractId}-opened`, contractId, caseId: 'K-R', occurredAt: at(0) }),
        body(eventsOf(demoText)[7] as AftercareEventV1, { eventId: `${contractId}-requested`, contractId, caseId: 'K-R', poolId: 'POOL-RACE', occurredAt: at(1) }),
      ];
    };
    const [opened1, requested1] = request('C-RACE-1') as [AftercareEventV1, AftercareEventV1];
    const [opened2, requested2] = request('C-RACE-2') as [AftercareEventV1, AftercareEventV1];
    clock.at = Date.parse('2026-07-02T07:02:00Z');
    await intake.processEvent(opened1);
    await intake.processEvent(opened2);

    // Act
    await Promise.all([deliverEvent(intake, requested1), deliverEvent(intake, requested2)]);

    // Assess
    const state = await pools.readPool('POOL-RACE');
    expect(state.loans.map((loan) => loan.unitId)).toEqual(['R-1']);
    expect(state.refused.map((refused) => refused.reason)).toEqual(['pool POOL-RACE has 1 unit, 1 out: the pool is empty']);
    expect([...state.loans.map((loan) => loan.contractId), ...state.refused.map((refused) => refused.contractId)].sort()).toEqual(['C-RACE-1', 'C-RACE-2']);
  });
});
