import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { makeNotifierHandler, type NotifierHandler } from '#functions/notifier/app.ts';
import { noticeStreamEvent } from '#functions/notifier/stream.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import { DynamoCreditState } from '#store/dynamo-credit-state.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import type { NoticeRef, NoticeRepository } from '#store/notice-repository.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { makeIntake } from '#usecases/intake.ts';
import { LEASE_MS, REDRIVE_AFTER_MS, SEND_TRIES } from '#usecases/notice-timing.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { useEmulators, type EmulatorContext } from '#test/support/emulator-context.ts';
import { aCaseEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import { aYearStatementRecord } from '#test/support/factories/notices.ts';
import { documentClient } from '#store/dynamo-client.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const SENDER = 'varsler@aftercare.example';

let emulators: EmulatorContext;
let store: DynamoStore;
let notices: DynamoNoticeRepository;
let credits: DynamoCreditState;
let feedback: DynamoDeliveryFeedbackRepository;
let ses: SESv2Client;
let clock: TestClock;

beforeAll(async () => {
  emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  const client = documentClient(dynamo);
  store = new DynamoStore({ client, tableName: emulators.tableName });
  notices = new DynamoNoticeRepository({ client, tableName: emulators.tableName });
  credits = new DynamoCreditState({ client, tableName: emulators.tableName });
  feedback = new DynamoDeliveryFeedbackRepository({ client, tableName: emulators.tableName });
  ses = new SESv2Client({ ...emulators.ses, maxAttempts: 1 });
});

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  clock = new TestClock(openedAt + 21 * MINUTE);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Addresses no other test (or test file sharing the SES emulator) uses. */
function aScenario() {
  const unique = randomUUID().slice(0, 8);
  return {
    contractId: `N-${unique}`,
    customerEmail: `innkjop-${unique}@fjellvik-bygg.example`,
    operatorEmail: `drift-${unique}@aftercare.example`,
  };
}

function notifierWith(operatorEmail: string, options: { notices?: NoticeRepository; client?: SESv2Client } = {}): NotifierHandler {
  const logger = makeLogger('notifier');
  return makeNotifierHandler({
    delivery: makeNoticeDelivery({
      notices: options.notices ?? notices,
      sender: sesNoticeSender({ client: options.client ?? ses, from: SENDER, configurationSetName: 'aftercare-test' }),
      suppressions: feedback,
      clock,
      credits,
      catalog: defaultCatalog(),
      operatorEmail,
      sleep: () => Promise.resolve(),
    }),
    logger,
    metrics: makeMetrics('AftercareTest', 'notifier', logger),
  });
}

const SETTLE = defaultCatalog().noticeSettleMinutes * MINUTE;

async function aRegisteredContract(contractId: string, customerEmail: string): Promise<void> {
  const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
  await intake.processEvent(
    aRegistration({ contractId, customer: { name: 'Fjellvik Bygg AS', email: customerEmail, locale: 'nb' } }),
  );
  await intake.processEvent(aCaseEvent('case.opened', { contractId, at: OPENED }));
}

/**
 * A late first response on premium: 2 % of 120 000,00 kr is credited, and a credit.issued notice is
 * pending; `settled` (the default) moves the clock past the settle time, so it may be sent.
 */
async function aBreachThroughIntake(contractId: string, customerEmail: string, options: { settled?: boolean } = {}): Promise<void> {
  await aRegisteredContract(contractId, customerEmail);
  await makeIntake({ store, catalog: defaultCatalog(), clock }).processEvent(
    aCaseEvent('case.responded', { contractId, at: new Date(openedAt + 20 * MINUTE).toISOString() }),
  );
  // Intake records the late answer; the next sweep (each minute when deployed) books the breach.
  await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
  if (options.settled ?? true) clock.at += SETTLE;
}

async function noticesOf(contractId: string) {
  return (await store.readContractPartition(contractId)).notices;
}

/** The stream's view: every pending notice of the contract, as new images. */
async function pendingRefs(contractId: string): Promise<NoticeRef[]> {
  return (await noticesOf(contractId)).filter((n) => n.state === 'pending').map((n) => ({ contractId, id: n.id }));
}

async function emailsTo(address: string) {
  return (await emulators.sesStore()).filter((email) => email.destination.to.includes(address));
}

const plain = (text: string): string => text.replace(/[\s\u00a0\u202f]+/g, ' ');

describe('notice delivery against DynamoDB Local and the SES emulator', () => {
  it('delivers exactly one email with the credit amount for a breach taken in through intake', async () => {
    // Prepare
    const { contractId, customerEmail, operatorEmail } = aScenario();
    await aBreachThroughIntake(contractId, customerEmail);
    const notifier = notifierWith(operatorEmail);
    const stream = noticeStreamEvent(await pendingRefs(contractId));

    // Act
    const response = await notifier(stream, aLambdaContext('aftercare-notifier'));
    const redelivery = await notifier(stream, aLambdaContext('aftercare-notifier'));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(redelivery.batchItemFailures).toEqual([]);
    const emails = await emailsTo(customerEmail);
    expect(emails).toHaveLength(1);
    expect(plain(emails[0]?.subject ?? '')).toContain('2 400,00 kr');
    const [credit] = (await noticesOf(contractId)).filter((n) => n.type === 'credit.issued');
    expect(credit).toMatchObject({ state: 'sent' });
    const [stored] = await notices.read([{ contractId, id: credit?.id ?? '' }]);
    expect(stored?.messageId).toBe(emails[0]?.messageId);
  });

  it('marks a notice unknown when the invocation died between send and mark, alerts operations and never sends it again', async () => {
    // Prepare
    const { contractId, customerEmail, operatorEmail } = aScenario();
    await aBreachThroughIntake(contractId, customerEmail);
    const crashing: NoticeRepository = Object.assign(Object.create(notices) as DynamoNoticeRepository, {
      markSent: () => Promise.reject(new Error('the invocation died after SES accepted the email')),
    });
    const refs = await pendingRefs(contractId);
    const crashed = await notifierWith(operatorEmail, { notices: crashing })(noticeStreamEvent(refs), aLambdaContext());

    // Act
    const retried = await notifierWith(operatorEmail)(noticeStreamEvent(refs), aLambdaContext());
    clock.at += LEASE_MS;
    const sweep = await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
    const alerts = await pendingRefs(contractId);
    await notifierWith(operatorEmail)(noticeStreamEvent([...refs, ...alerts]), aLambdaContext());

    // Assess
    expect(crashed.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(sweep.noticesUnknown).toBe(1);
    expect(alerts.map((ref) => ref.id)).toEqual([`ops.notice_unknown#${refs[0]?.id ?? ''}`]);
    expect(await emailsTo(customerEmail)).toHaveLength(1);
    const operatorEmails = await emailsTo(operatorEmail);
    expect(operatorEmails).toHaveLength(1);
    expect(operatorEmails[0]?.subject).toContain(refs[0]?.id);
    expect((await noticesOf(contractId)).map((n) => [n.type, n.state]).sort()).toEqual([
      ['credit.issued', 'unknown'],
      ['ops.notice_unknown', 'sent'],
    ]);
  });

  it('delivers a throttled notice once, on a later pass after the sweep re-drives it', async () => {
    // Prepare
    const { contractId, customerEmail, operatorEmail } = aScenario();
    await aBreachThroughIntake(contractId, customerEmail);
    const throttling = new SESv2Client({ ...emulators.ses, maxAttempts: 1 });
    let throttledCalls = 0;
    throttling.middlewareStack.add(
      (next) => (args) => {
        if (throttledCalls >= SEND_TRIES) return next(args);
        throttledCalls += 1;
        return Promise.reject(new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: { httpStatusCode: 429 } }));
      },
      { step: 'initialize', name: 'throttleFirstCalls' },
    );
    const notifier = notifierWith(operatorEmail, { client: throttling });
    const refs = await pendingRefs(contractId);

    // Act
    await notifier(noticeStreamEvent(refs), aLambdaContext());
    const afterThrottling = await emailsTo(customerEmail);
    const releasedRecord = await pendingRefs(contractId);
    await notifier(noticeStreamEvent(releasedRecord), aLambdaContext());
    const beforeRedrive = await emailsTo(customerEmail);
    clock.at += MINUTE;
    const sweep = await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
    await notifier(noticeStreamEvent(await pendingRefs(contractId)), aLambdaContext());

    // Assess
    expect(throttledCalls).toBe(SEND_TRIES);
    expect(afterThrottling).toHaveLength(0);
    expect(releasedRecord).toEqual(refs);
    expect(beforeRedrive).toHaveLength(0);
    expect(sweep.noticesRedriven).toBe(1);
    expect(await emailsTo(customerEmail)).toHaveLength(1);
    const [stored] = await notices.read(refs);
    expect(stored).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('lets one of two concurrent invocations send a notice; the other skips it', async () => {
    // Prepare
    const { contractId, customerEmail, operatorEmail } = aScenario();
    await aBreachThroughIntake(contractId, customerEmail);
    const stream = noticeStreamEvent(await pendingRefs(contractId));

    // Act
    await Promise.all([notifierWith(operatorEmail)(stream, aLambdaContext()), notifierWith(operatorEmail)(stream, aLambdaContext())]);

    // Assess
    expect(await emailsTo(customerEmail)).toHaveLength(1);
  });

  it('fails a notice to an undeliverable address with its alert in one transaction, and takes it off the attention index', async () => {
    // Prepare
    const { contractId, operatorEmail } = aScenario();
    const notice = aYearStatementRecord({ id: `year.statement#${contractId}#1`, contractId, to: 'kunde@@example.no', createdAt: clock.now() });
    await store.createNoticeOnce(notice);

    // Act
    await notifierWith(operatorEmail)(noticeStreamEvent([{ contractId, id: notice.id }]), aLambdaContext());

    // Assess
    expect((await noticesOf(contractId)).map((n) => [n.id, n.state]).sort()).toEqual([
      [`ops.notice_failed#${notice.id}`, 'pending'],
      [notice.id, 'failed'],
    ]);
    const attention = await notices.needingAttention(clock.now() + 60 * MINUTE);
    expect(attention.filter((ref) => ref.contractId === contractId).map((ref) => ref.id)).toEqual([`ops.notice_failed#${notice.id}`]);
  });
});

describe('credit notices that settle, against DynamoDB Local', () => {
  it('a credit notice is not leased before its year settles, uses no attempt, and is sent after the sweep re-drives it', async () => {
    // Prepare
    const { contractId, customerEmail, operatorEmail } = aScenario();
    await aBreachThroughIntake(contractId, customerEmail, { settled: false });
    const refs = await pendingRefs(contractId);
    const notifier = notifierWith(operatorEmail);

    // Act
    const createdAt = clock.now();
    await notifier(noticeStreamEvent(refs), aLambdaContext());
    const [waiting] = await notices.read(refs);
    clock.at += SETTLE - 1;
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
    const [tooEarly] = await notices.read(refs);
    clock.at += 1;
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
    const [redriven] = await notices.read(refs);
    await notifier(noticeStreamEvent(refs), aLambdaContext());

    // Assess
    expect(refs).toHaveLength(1);
    expect(waiting).toMatchObject({ state: 'pending', attempts: 0, notBefore: createdAt + SETTLE, redriveAt: createdAt + SETTLE });
    expect(tooEarly?.redriveAt).toBe(createdAt + SETTLE);
    expect(redriven?.redriveAt).toBe(createdAt + SETTLE + REDRIVE_AFTER_MS);
    const emails = await emailsTo(customerEmail);
    expect(emails).toHaveLength(1);
    expect(plain(emails[0]?.subject ?? '')).toContain('2 400,00 kr');
    const [sent] = await notices.read(refs);
    expect(sent).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('a credit booked and reversed inside the settle time sends nothing: both notices end superseded', async () => {
    // Prepare: the running first response is declared breached; 4 minutes later a late event shows it was met.
    const { contractId, customerEmail, operatorEmail } = aScenario();
    await aRegisteredContract(contractId, customerEmail);
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
    clock.at += 4 * MINUTE;
    await makeIntake({ store, catalog: defaultCatalog(), clock }).processEvent(
      aCaseEvent('case.responded', { contractId, at: new Date(openedAt + 10 * MINUTE).toISOString() }),
    );
    // The next sweep withdraws the breach the answer in time took back.
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
    const reversedAt = clock.now();
    const notifier = notifierWith(operatorEmail);

    // Act: the credit.issued comes due before the reversal has settled, then both after.
    clock.at = reversedAt + SETTLE - 4 * MINUTE;
    await notifier(noticeStreamEvent(await pendingRefs(contractId)), aLambdaContext());
    const deferred = (await noticesOf(contractId)).find((n) => n.type === 'credit.issued');
    const [deferredStored] = await notices.read([{ contractId, id: deferred?.id ?? '' }]);
    clock.at = reversedAt + SETTLE;
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
    const redriven = await notices.read(await pendingRefs(contractId));
    await notifier(noticeStreamEvent(await pendingRefs(contractId)), aLambdaContext());

    // Assess
    expect(deferredStored).toMatchObject({ state: 'pending', attempts: 0, notBefore: reversedAt + SETTLE });
    expect(redriven.filter((n) => n.audience === 'customer').map((n) => [n.type, n.redriveAt]).sort()).toEqual([
      ['credit.adjusted', reversedAt + SETTLE + REDRIVE_AFTER_MS],
      ['credit.issued', reversedAt + SETTLE + REDRIVE_AFTER_MS],
    ]);
    expect(await emailsTo(customerEmail)).toHaveLength(0);
    const partitionNotices = await noticesOf(contractId);
    expect(partitionNotices.filter((n) => n.type.startsWith('ops.notice_'))).toEqual([]);
    expect(partitionNotices.filter((n) => n.audience === 'customer').map((n) => [n.type, n.state]).sort()).toEqual([
      ['credit.adjusted', 'superseded'],
      ['credit.issued', 'superseded'],
    ]);
    const partition = await store.readContractPartition(contractId);
    expect(partition.ledger.map((entry) => entry.amountMinor)).toEqual([240_000, -240_000]);
  });
});
