import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { MessageRejected, SendEmailCommand, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import type { DynamoDBRecord } from 'aws-lambda';
import { makeNotifierHandler } from '#functions/notifier/app.ts';
import { noticeStreamEvent } from '#functions/notifier/stream.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import type { NoticeRecord } from '#store/store.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { MemoryCreditState } from '#test/support/memory-credit-state.ts';
import { MemoryDeliveryFeedback } from '#test/support/memory-delivery-feedback.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCatalog } from '#test/support/factories/contracts.ts';
import { aContractRecord, aCreditYear, aYearTelling, seedContractYear } from '#test/support/factories/credit-years.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import {
  aBreachWarningRecord,
  aCreditIssuedRecord,
  CREATED_AT,
  CUSTOMER_EMAIL,
  CUSTOMER_NAME,
  OPERATOR_EMAIL,
} from '#test/support/factories/notices.ts';

const refOf = (record: NoticeRecord) => ({ contractId: record.contractId, id: record.id });

/** The outbox holding `records`; each credit.issued has the settled contract year it describes. */
async function handlerWith(...records: NoticeRecord[]) {
  const notices = new MemoryNoticeRepository();
  const store = new MemoryStore();
  await seedContractYear(store, aContractRecord(), null);
  for (const record of records) {
    notices.add(record);
    if (record.type === 'credit.issued') await store.commit([{ kind: 'year', record: aYearTelling(record) }]);
  }
  const ses = mockClient(SESv2Client);
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  const logger = makeLogger('notifier');
  const metrics = makeMetrics('AftercareTest', 'notifier', logger);
  const addMetric = vi.spyOn(metrics, 'addMetric');
  const delivery = makeNoticeDelivery({
    notices,
    sender: sesNoticeSender({ client: new SESv2Client({ region: 'eu-north-1' }), from: 'varsler@aftercare.example', configurationSetName: 'cs' }),
    suppressions: new MemoryDeliveryFeedback(notices),
    clock: { now: () => CREATED_AT + 1_000 },
    credits: new MemoryCreditState(store, notices),
    catalog: aCatalog(),
    operatorEmail: OPERATOR_EMAIL,
    sleep: () => Promise.resolve(),
  });
  const handler = makeNotifierHandler({ delivery, logger, metrics });
  return { handler, notices, store, ses, addMetric, delivery };
}

/** Everything the logger writes, one parsed JSON line per entry. */
function captureLogs(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  return () =>
    lines
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('notifier handler', () => {
  it('delivers every notice of a stream batch and counts them as sent', async () => {
    // Prepare
    const credit = aCreditIssuedRecord();
    const warning = aBreachWarningRecord();
    const { handler, notices, ses, addMetric } = await handlerWith(credit, warning);

    // Act
    const response = await handler(noticeStreamEvent([refOf(credit), refOf(warning)]), aLambdaContext('aftercare-notifier'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    expect(notices.all().map((notice) => notice.state)).toEqual(['sent', 'sent']);
    expect(addMetric.mock.calls).toEqual([
      ['NoticesSent', 'Count', 1],
      ['NoticesSent', 'Count', 1],
    ]);
  });

  it('publishes NoticesFailed for a refused notice and NoticesUnknown for a send in doubt', async () => {
    // Prepare
    const rejected = aCreditIssuedRecord();
    const doubtful = aCreditIssuedRecord({ id: 'credit.issued#C-1#CASE-2#onSite' });
    const { handler, ses, addMetric } = await handlerWith(rejected, doubtful);
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new MessageRejected({ message: 'rejected', $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));

    // Act
    await handler(noticeStreamEvent([refOf(rejected), refOf(doubtful)]), aLambdaContext('aftercare-notifier'));

    // Assess
    expect(addMetric.mock.calls).toEqual([
      ['NoticesFailed', 'Count', 1],
      ['NoticesUnknown', 'Count', 1],
    ]);
  });

  it('publishes NoticesSuperseded, and raises no alert, for a credit notice whose credit was reversed before it was sent', async () => {
    // Prepare
    const credit = aCreditIssuedRecord();
    const { handler, notices, store, ses, addMetric } = await handlerWith(credit);
    const reversed = aCreditYear({ breaches: [], changedAt: CREATED_AT - 3_600_000 });
    await store.commit([{ kind: 'year', record: { ...reversed, version: 1 } }]);

    // Act
    const response = await handler(noticeStreamEvent([refOf(credit)]), aLambdaContext('aftercare-notifier'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(notices.all().map((notice) => [notice.id, notice.state])).toEqual([[credit.id, 'superseded']]);
    expect(addMetric.mock.calls).toEqual([['NoticesSuperseded', 'Count', 1]]);
  });

  it('reports a record whose delivery threw, so the stream retries from it, and goes on with the others', async () => {
    // Prepare
    const broken = aCreditIssuedRecord();
    const fine = aBreachWarningRecord();
    const { handler, notices } = await handlerWith(broken, fine);
    const lease = notices.lease.bind(notices);
    notices.lease = (ref, now, until) =>
      ref.id === broken.id ? Promise.reject(new Error('DynamoDB unavailable')) : lease(ref, now, until);
    const event = noticeStreamEvent([refOf(broken), refOf(fine)]);

    // Act
    const response = await handler(event, aLambdaContext('aftercare-notifier'));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber }]);
    expect(notices.get(refOf(fine))?.state).toBe('sent');
  });

  it('ignores a stream record that is not a notice', async () => {
    // Prepare
    const { handler, ses } = await handlerWith();
    const contractRecord: DynamoDBRecord = {
      eventID: 'e-1',
      dynamodb: { Keys: { pk: { S: 'CONTRACT#C-1' }, sk: { S: 'CONTRACT' } }, NewImage: { entity: { S: 'contract' } }, SequenceNumber: '1' },
    };

    // Act
    const response = await handler({ Records: [contractRecord] }, aLambdaContext('aftercare-notifier'));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});

describe('notifier logs', () => {
  it('carry notice ids and types, never a customer name or email address, whatever the outcome', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const logs = captureLogs();
    const sent = aCreditIssuedRecord();
    const throttled = aCreditIssuedRecord({ id: 'credit.issued#C-1#CASE-2#onSite' });
    const badAddress = aCreditIssuedRecord({ id: 'credit.issued#C-1#CASE-3#onSite', to: `${CUSTOMER_NAME} <${CUSTOMER_EMAIL}>` });
    const rejected = aCreditIssuedRecord({ id: 'credit.issued#C-1#CASE-4#onSite' });
    const { handler, ses } = await handlerWith(sent, throttled, badAddress, rejected);
    const tooMany = new TooManyRequestsException({ message: `Too many requests for ${CUSTOMER_EMAIL}`, $metadata: { httpStatusCode: 429 } });
    ses
      .on(SendEmailCommand)
      .resolvesOnce({ MessageId: 'ses-1' })
      .rejectsOnce(tooMany)
      .rejectsOnce(tooMany)
      .rejectsOnce(tooMany)
      .rejectsOnce(new MessageRejected({ message: `Address ${CUSTOMER_EMAIL} rejected`, $metadata: { httpStatusCode: 400 } }));

    // Act
    await handler(
      noticeStreamEvent([sent, throttled, badAddress, rejected].map(refOf)),
      aLambdaContext('aftercare-notifier'),
    );

    // Assess
    const entries = logs();
    const text = JSON.stringify(entries);
    expect(text).not.toContain(CUSTOMER_EMAIL);
    expect(text).not.toContain(CUSTOMER_NAME);
    expect(text).not.toContain(OPERATOR_EMAIL);
    const outcomes = entries.filter((entry) => 'outcome' in entry).map((entry) => [entry.noticeId, entry.noticeType, entry.outcome]);
    expect(outcomes).toEqual([
      [sent.id, 'credit.issued', 'sent'],
      [throttled.id, 'credit.issued', 'released'],
      [badAddress.id, 'credit.issued', 'failed'],
      [rejected.id, 'credit.issued', 'failed'],
    ]);
  });
});
