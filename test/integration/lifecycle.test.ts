/**
 * One contract driven over three years against DynamoDB Local and the SES emulator: the intake applies
 * its events as they happen, the sweep books what they breached, the lifecycle handler runs every morning at 06:00 Oslo time (three missed
 * mornings included), the notifier delivers what each day created. The customer gets exactly the
 * expected reminders, statements, amounts due and the end.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { addDays, instantOfWallTime, startOfLocalDate } from '#domain/time.ts';
import type { AftercareEventV1 } from '#events/v1.ts';
import { makeLifecycleHandler } from '#functions/lifecycle/app.ts';
import { makeNotifierHandler } from '#functions/notifier/app.ts';
import { noticeStreamEvent } from '#functions/notifier/stream.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import { DynamoCreditState } from '#store/dynamo-credit-state.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoLifecycleRepository } from '#store/lifecycle-repository.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeLifecycle, type LifecycleReport } from '#usecases/lifecycle.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import { aCaseEvent, aRegistration, aTerminationRequest, defaultCatalog, TestClock } from '#test/support/factories/events.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { documentClient } from '#store/dynamo-client.ts';

const local = useEmulators();
const dynamo = new DynamoDBClient(local.dynamodb);
const documents = documentClient(dynamo);
const ses = new SESv2Client(local.ses);
const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
const customerEmail = `${local.queuePrefix}@kunde.example`;
const contractId = `C-${local.queuePrefix}`;

const store = new DynamoStore({ client: documents, tableName: local.tableName });
const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
/** The every-minute sweep: it books the breaches intake recorded (run here once after each day's events). */
const sweep = makeSweep({ store, catalog: defaultCatalog(), clock });
const logger = makeLogger('lifecycle');
const lifecycleHandler = makeLifecycleHandler({
  lifecycle: makeLifecycle({
    store,
    contracts: new DynamoLifecycleRepository({ client: documents, tableName: local.tableName }),
    catalog: defaultCatalog(),
    clock,
  }),
  logger,
  metrics: makeMetrics('AftercareTest', 'lifecycle', logger),
});
const notifierHandler = makeNotifierHandler({
  delivery: makeNoticeDelivery({
    notices: new DynamoNoticeRepository({ client: documents, tableName: local.tableName }),
    sender: sesNoticeSender({ client: ses, from: 'aftercare@provider.example', configurationSetName: 'aftercare-test' }),
    suppressions: new DynamoDeliveryFeedbackRepository({ client: documents, tableName: local.tableName }),
    clock,
    credits: new DynamoCreditState({ client: documents, tableName: local.tableName }),
    catalog: defaultCatalog(),
    operatorEmail: 'drift@provider.example',
    sleep: () => Promise.resolve(),
  }),
  logger: makeLogger('notifier'),
  metrics: makeMetrics('AftercareTest', 'notifier', logger),
});

/** Case events: two late first responses in 2026, a timely one, and a late one in 2028; all resolved in time. */
function aCase(caseId: string, openedAt: string, respondedAfterMinutes: number): AftercareEventV1[] {
  const opened = Date.parse(openedAt);
  const later = (minutes: number): string => new Date(opened + minutes * 60_000).toISOString();
  return [
    aCaseEvent('case.opened', { contractId, caseId, at: openedAt }),
    aCaseEvent('case.responded', { contractId, caseId, at: later(respondedAfterMinutes) }),
    aCaseEvent('case.resolved', { contractId, caseId, at: later(240) }),
  ];
}

const EVENTS: AftercareEventV1[] = [
  aRegistration({
    contractId,
    eventId: `crm-${contractId}-registered`,
    occurredAt: '2025-12-15T10:00:00+01:00',
    customer: { name: 'Nordlys Logistikk AS', email: customerEmail, locale: 'nb' },
    startDate: '2026-01-01',
    bindingYears: 2,
  }),
  ...aCase('K-1', '2026-03-02T09:00:00Z', 30),
  ...aCase('K-2', '2026-06-15T13:00:00Z', 45),
  ...aCase('K-3', '2026-10-05T07:30:00Z', 5),
  ...aCase('K-4', '2028-03-06T08:00:00Z', 20),
  aTerminationRequest({ contractId, eventId: `crm-${contractId}-notice`, occurredAt: '2028-09-20T10:00:00+02:00', reason: 'notice' }),
].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));

/** Lifecycle mornings the schedule missed: the run on 4 December catches up. */
const MISSED = new Set(['2027-12-01', '2027-12-02', '2027-12-03']);

async function deliverPending(): Promise<void> {
  const partition = await store.readContractPartition(contractId);
  const pending = partition.notices.filter((n) => n.state === 'pending').map((n) => ({ contractId, id: n.id }));
  if (pending.length === 0) return;
  const { batchItemFailures } = await notifierHandler(noticeStreamEvent(pending), aLambdaContext('aftercare-notifier'));
  expect(batchItemFailures).toEqual([]);
}

async function runLifecycleAt(date: string): Promise<LifecycleReport> {
  clock.at = instantOfWallTime(date, 6 * 60, 'Europe/Oslo');
  return lifecycleHandler({ scheduledTime: new Date(clock.now()).toISOString() }, aLambdaContext('aftercare-lifecycle'));
}

const reports = new Map<string, LifecycleReport>();
const secondRuns: LifecycleReport[] = [];

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  await createTable(dynamo, local.tableName, { stream: false });

  // Prepare and Act: three years and a day, morning by morning; each day's events after its run.
  let next = 0;
  for (let date = '2025-12-15'; date <= '2029-01-02'; date = addDays(date, 1)) {
    if (!MISSED.has(date)) {
      const report = await runLifecycleAt(date);
      reports.set(date, report);
      if (report.noticesCreated > 0) {
        secondRuns.push(await runLifecycleAt(date));
        await deliverPending();
      }
    }
    const dayEnd = startOfLocalDate(addDays(date, 1), 'Europe/Oslo');
    let applied = false;
    for (; next < EVENTS.length && Date.parse((EVENTS[next] as AftercareEventV1).occurredAt) < dayEnd; next += 1) {
      const event = EVENTS[next] as AftercareEventV1;
      clock.at = Date.parse(event.occurredAt) + 1_000;
      expect((await intake.processEvent(event)).kind).toBe('applied');
      applied = true;
    }
    if (applied) {
      await sweep.run();
      await deliverPending();
    }
  }
}, 900_000);

afterAll(() => {
  vi.unstubAllEnvs();
  dynamo.destroy();
  ses.destroy();
});

describe('a contract over three years, run by the lifecycle handler every morning', () => {
  it('creates exactly the expected lifecycle notices, each once, on the expected mornings', async () => {
    // Assess
    const partition = await store.readContractPartition(contractId);
    const lifecycleNotices = partition.notices.filter((n) => !n.type.startsWith('credit.') && !n.type.startsWith('ops.'));
    expect(lifecycleNotices.map((n) => [n.id, new Date(n.createdAt).toISOString().slice(0, 10)]).sort()).toEqual([
      [`contract.ended#${contractId}`, '2029-01-01'],
      [`renewal.reminder#${contractId}#2028-01-01#120`, '2027-09-03'],
      [`renewal.reminder#${contractId}#2028-01-01#30`, '2027-12-04'],
      [`renewal.reminder#${contractId}#2029-01-01#120`, '2028-09-03'],
      [`term.expiry_reminder#${contractId}#2029-01-01#30`, '2028-12-02'],
      [`termination.confirmed#${contractId}#default#crm-${contractId}-notice`, '2028-09-20'],
      [`year.statement#${contractId}#1`, '2027-01-01'],
      [`year.statement#${contractId}#2`, '2028-01-01'],
    ]);
  });

  it('tells the amounts: statements, credits deducted from the next fee, and credits owed at the end', async () => {
    // Assess
    const partition = await store.readContractPartition(contractId);
    const payloadOf = (id: string) => partition.notices.find((n) => n.id === id)?.payload;
    expect(payloadOf(`year.statement#${contractId}#1`)).toMatchObject({
      year: {
        index: 1,
        breaches: { firstResponse: 2, onSite: 0, replacement: 0, resolution: 0 },
        kpisMetPercent: { firstResponse: 33.3, resolution: 100 },
        creditsMinor: 480_000,
        capMinor: 2_400_000,
        amountDueNextYearMinor: 11_520_000,
      },
    });
    expect(payloadOf(`year.statement#${contractId}#2`)).toMatchObject({ year: { index: 2, creditsMinor: 0, amountDueNextYearMinor: 12_000_000 } });
    expect(payloadOf(`renewal.reminder#${contractId}#2029-01-01#120`)).toMatchObject({
      termEnd: '2029-01-01',
      creditsDeductedMinor: 240_000,
      amountDueMinor: 11_760_000,
      noticeDeadline: '2028-10-03',
    });
    expect(payloadOf(`term.expiry_reminder#${contractId}#2029-01-01#30`)).toMatchObject({ because: 'notice', creditsOwedMinor: 240_000 });
    expect(payloadOf(`contract.ended#${contractId}`)).toMatchObject({ endedOn: '2029-01-01', creditsOwedMinor: 240_000 });
  });

  it('ends the contract: off the attention index, and later mornings find nothing to do', async () => {
    // Assess
    const { contract } = await store.readContractPartition(contractId);
    expect(contract).toMatchObject({ lastAdvancedDate: '2029-01-01', nextLifecycleDate: null });
    expect(reports.get('2029-01-02')).toMatchObject({ contractsDue: 0, daysAdvanced: 0 });
  });

  it('does a missed morning\'s work on the next run, and a second run on a day sends nothing', () => {
    // Assess
    expect(reports.get('2027-12-04')).toMatchObject({ daysAdvanced: 1, noticesCreated: 1 });
    expect(secondRuns.length).toBeGreaterThan(0);
    expect(secondRuns.map((r) => r.noticesCreated + r.daysAdvanced)).toEqual(secondRuns.map(() => 0));
  });

  it('emails the customer every notice once, through the SES emulator', async () => {
    // Assess
    const partition = await store.readContractPartition(contractId);
    const emails = (await local.sesStore()).filter((email) => email.destination.to.includes(customerEmail));
    const customerNotices = partition.notices.filter((n) => n.audience === 'customer');
    expect(customerNotices.every((n) => n.state === 'sent')).toBe(true);
    expect(emails).toHaveLength(customerNotices.length);
    expect(customerNotices.map((n) => n.type).sort()).toEqual([
      'contract.ended',
      'credit.issued',
      'credit.issued',
      'credit.issued',
      'renewal.reminder',
      'renewal.reminder',
      'renewal.reminder',
      'term.expiry_reminder',
      'termination.confirmed',
      'year.statement',
      'year.statement',
    ]);
  });
});
