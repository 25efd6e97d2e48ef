import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AccountSuspendedException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SendEmailCommand,
  SendingPausedException,
  SESv2Client,
  SESv2ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { sesNoticeSender } from '#notices/sender.ts';
import type { NoticeRecord } from '#store/store.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { makeNoticeUpkeep } from '#usecases/notice-upkeep.ts';
import { LEASE_MS, MAX_NOTICE_LEASES, SEND_TRIES } from '#usecases/notice-timing.ts';
import { MemoryCreditState } from '#test/support/memory-credit-state.ts';
import { MemoryDeliveryFeedback } from '#test/support/memory-delivery-feedback.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCatalog } from '#test/support/factories/contracts.ts';
import { aContractRecord, aYearTelling, seedContractYear } from '#test/support/factories/credit-years.ts';
import {
  aBreachWarningRecord,
  aCreditIssuedRecord,
  CREATED_AT,
  CUSTOMER_EMAIL,
  OPERATOR_EMAIL,
} from '#test/support/factories/notices.ts';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const throttled = () => new TooManyRequestsException({ message: 'Too many requests', ...meta(429) });

/** The outbox holding `records`; each credit.issued has the settled contract year it describes. */
async function setUp(...records: NoticeRecord[]) {
  const notices = new MemoryNoticeRepository();
  const store = new MemoryStore();
  await seedContractYear(store, aContractRecord(), null);
  for (const record of records) {
    notices.add(record);
    if (record.type === 'credit.issued') await store.commit([{ kind: 'year', record: aYearTelling(record) }]);
  }
  const ses = mockClient(SESv2Client);
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
  const clock = { at: CREATED_AT + 5_000, now: () => clock.at };
  const waits: number[] = [];
  const feedback = new MemoryDeliveryFeedback(notices);
  const delivery = makeNoticeDelivery({
    notices,
    sender: sesNoticeSender({ client: new SESv2Client({ region: 'eu-north-1' }), from: 'varsler@aftercare.example', configurationSetName: 'cs' }),
    suppressions: feedback,
    clock,
    credits: new MemoryCreditState(store, notices),
    catalog: aCatalog(),
    operatorEmail: OPERATOR_EMAIL,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  const sends = () => ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
  return { notices, ses, clock, waits, delivery, sends, feedback };
}

const refOf = (record: NoticeRecord) => ({ contractId: record.contractId, id: record.id });

describe('delivering a pending notice', () => {
  it('sends a customer notice once, in the customer locale, and marks it sent with the SES message id', async () => {
    // Prepare
    const notice = aCreditIssuedRecord({ locale: 'nb' });
    const { notices, delivery, sends } = await setUp(notice);

    // Act
    const report = await delivery.deliver(refOf(notice));

    // Assess
    expect(report.outcome).toEqual({ kind: 'sent', messageId: 'ses-message-1', recorded: true });
    expect(sends()).toHaveLength(1);
    expect(sends()[0]?.Destination?.ToAddresses).toEqual([CUSTOMER_EMAIL]);
    expect(sends()[0]?.Content?.Simple?.Subject?.Data).toMatch(/^Servicekreditt på/);
    expect(notices.get(refOf(notice))).toMatchObject({ state: 'sent', messageId: 'ses-message-1', attempts: 1 });
  });

  it('sends an operations notice to the operator address, in English', async () => {
    // Prepare
    const warning = aBreachWarningRecord();
    const { delivery, sends } = await setUp(warning);

    // Act
    await delivery.deliver(refOf(warning));

    // Assess
    expect(sends()[0]?.Destination?.ToAddresses).toEqual([OPERATOR_EMAIL]);
    expect(sends()[0]?.Content?.Simple?.Subject?.Data).toMatch(/Breach warning/);
  });

  it('never sends a sent notice again', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { delivery, sends } = await setUp(notice);
    await delivery.deliver(refOf(notice));

    // Act
    const again = await delivery.deliver(refOf(notice));

    // Assess
    expect(again.outcome.kind).toBe('skipped');
    expect(sends()).toHaveLength(1);
  });

  it('skips a notice another invocation has leased', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { notices, clock, delivery, sends } = await setUp(notice);
    await notices.lease(refOf(notice), clock.now(), clock.now() + LEASE_MS);

    // Act
    const report = await delivery.deliver(refOf(notice));

    // Assess
    expect(report.outcome.kind).toBe('skipped');
    expect(sends()).toHaveLength(0);
    expect(notices.get(refOf(notice))).toMatchObject({ state: 'sending', attempts: 1 });
  });

  it('lets only one of two simultaneous deliveries of a notice send it', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { delivery, sends } = await setUp(notice);

    // Act
    const reports = await Promise.all([delivery.deliver(refOf(notice)), delivery.deliver(refOf(notice))]);

    // Assess
    expect(reports.map((report) => report.outcome.kind).sort()).toEqual(['sent', 'skipped']);
    expect(sends()).toHaveLength(1);
  });
});

describe('an address that cannot be delivered', () => {
  it.each([
    ['header injection', 'kunde@example.no\r\nBcc: all@example.no'],
    ['no domain', 'kunde@'],
    ['two at signs', 'a@b@example.no'],
  ])('(%s) ends failed with an operations alert and no send', async (_label, to) => {
    // Prepare
    const notice = aCreditIssuedRecord({ to });
    const { notices, delivery, sends } = await setUp(notice);

    // Act
    const report = await delivery.deliver(refOf(notice));

    // Assess
    expect(report.outcome).toMatchObject({ kind: 'failed', alerted: true, reason: 'the recipient address is not deliverable' });
    expect(sends()).toHaveLength(0);
    expect(notices.get({ contractId: 'C-1', id: `ops.notice_failed#${notice.id}` })).toMatchObject({
      state: 'pending',
      audience: 'operations',
      payload: { type: 'ops.notice_failed', noticeId: notice.id, noticeType: 'credit.issued', contractId: 'C-1' },
    });
  });
});

describe('SES throttling and server errors', () => {
  it('are retried with backoff inside the invocation, and the notice is sent once', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { ses, waits, delivery, sends, notices } = await setUp(notice);
    ses
      .on(SendEmailCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(new SESv2ServiceException({ name: 'InternalFailure', message: 'oops', $fault: 'server', ...meta(503) }))
      .resolves({ MessageId: 'ses-after-retries' });

    // Act
    const report = await delivery.deliver(refOf(notice));

    // Assess
    expect(report.outcome).toMatchObject({ kind: 'sent', messageId: 'ses-after-retries' });
    expect(report.sendTries).toBe(3);
    expect(sends()).toHaveLength(3);
    expect(waits).toEqual([250, 500]);
    expect(notices.get(refOf(notice))?.state).toBe('sent');
  });

  it('release the lease after the last try, so a later pass delivers it once', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { ses, clock, delivery, sends, notices } = await setUp(notice);
    ses.on(SendEmailCommand).rejects(throttled());

    // Act
    const first = await delivery.deliver(refOf(notice));
    const tooEarly = await delivery.deliver(refOf(notice));
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-later' });
    clock.at += 60_000;
    const later = await delivery.deliver(refOf(notice));

    // Assess
    expect(first.outcome).toMatchObject({ kind: 'released', notBefore: CREATED_AT + 5_000 + 60_000 });
    expect(tooEarly.outcome.kind).toBe('skipped');
    expect(later.outcome).toMatchObject({ kind: 'sent', messageId: 'ses-later' });
    expect(sends()).toHaveLength(SEND_TRIES + 1);
    expect(notices.get(refOf(notice))).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it(`end failed, alerted, after ${MAX_NOTICE_LEASES} attempts`, async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { ses, clock, delivery, notices } = await setUp(notice);
    ses.on(SendEmailCommand).rejects(throttled());

    // Act
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= MAX_NOTICE_LEASES; attempt += 1) {
      outcomes.push((await delivery.deliver(refOf(notice))).outcome.kind);
      clock.at += 60 * 60_000;
    }

    // Assess
    expect(outcomes).toEqual([...Array<string>(MAX_NOTICE_LEASES - 1).fill('released'), 'failed']);
    expect(notices.get(refOf(notice))?.outcomeReason).toMatch(/^gave up after 8 attempts: TooManyRequestsException/);
    expect(notices.get({ contractId: 'C-1', id: `ops.notice_failed#${notice.id}` })).toBeDefined();
  });
});

describe('SES refusals', () => {
  it.each([
    ['MessageRejected', new MessageRejected({ message: 'Email address is not verified.', ...meta(400) })],
    ['MailFromDomainNotVerifiedException', new MailFromDomainNotVerifiedException({ message: 'no', ...meta(400) })],
    ['AccountSuspendedException', new AccountSuspendedException({ message: 'no', ...meta(400) })],
  ])('%s ends failed on the first try, with the reason and an operations alert', async (name, error) => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { ses, delivery, sends, notices } = await setUp(notice);
    ses.on(SendEmailCommand).rejects(error);

    // Act
    const report = await delivery.deliver(refOf(notice));

    // Assess
    expect(report.outcome).toMatchObject({ kind: 'failed', alerted: true });
    expect(sends()).toHaveLength(1);
    expect(notices.get(refOf(notice))).toMatchObject({ state: 'failed', outcomeReason: `SES refused the email: ${name} (HTTP 400)` });
    expect(notices.get({ contractId: 'C-1', id: `ops.notice_failed#${notice.id}` })?.payload).toMatchObject({
      type: 'ops.notice_failed',
      reason: `SES refused the email: ${name} (HTTP 400)`,
    });
  });

  it('a paused account or configuration set defers the notice without retrying inside the invocation', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { ses, delivery, sends, notices } = await setUp(notice);
    ses.on(SendEmailCommand).rejects(new SendingPausedException({ message: 'paused', ...meta(400) }));

    // Act
    const report = await delivery.deliver(refOf(notice));

    // Assess
    expect(report.outcome.kind).toBe('released');
    expect(sends()).toHaveLength(1);
    expect(notices.get(refOf(notice))?.state).toBe('pending');
  });

  it('a failed operations notice raises no alert about itself', async () => {
    // Prepare
    const warning = aBreachWarningRecord();
    const { ses, delivery, notices } = await setUp(warning);
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'no', ...meta(400) }));

    // Act
    const report = await delivery.deliver(refOf(warning));

    // Assess
    expect(report.outcome).toMatchObject({ kind: 'failed', alerted: false, recorded: true });
    expect(notices.all()).toHaveLength(1);
  });
});

describe('a send whose outcome is unknown', () => {
  it('after a timeout, is marked unknown and alerted, never retried', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { ses, delivery, sends, notices } = await setUp(notice);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('request timed out'), { name: 'TimeoutError' }));

    // Act
    const report = await delivery.deliver(refOf(notice));

    // Assess
    expect(report.outcome).toMatchObject({ kind: 'unknown', alerted: true });
    expect(sends()).toHaveLength(1);
    expect(notices.get(refOf(notice))?.state).toBe('unknown');
    expect(notices.get({ contractId: 'C-1', id: `ops.notice_unknown#${notice.id}` })?.state).toBe('pending');
  });

  it('after a crash between the send and the mark, ends unknown by the sweep and is not sent again', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { notices, clock, delivery, sends } = await setUp(notice);
    const markSent = notices.markSent.bind(notices);
    notices.markSent = () => Promise.reject(new Error('the invocation died here'));
    await expect(delivery.deliver(refOf(notice))).rejects.toThrow('the invocation died here');
    notices.markSent = markSent;
    const upkeep = makeNoticeUpkeep({ notices });

    // Act
    const beforeExpiry = await upkeep.run(clock.now() + LEASE_MS - 1);
    const redelivered = await delivery.deliver(refOf(notice));
    const atExpiry = await upkeep.run(clock.now() + LEASE_MS);
    const afterwards = await delivery.deliver(refOf(notice));

    // Assess
    expect(beforeExpiry.noticesUnknown).toBe(0);
    expect(redelivered.outcome.kind).toBe('skipped');
    expect(atExpiry.noticesUnknown).toBe(1);
    expect(afterwards.outcome.kind).toBe('skipped');
    expect(sends()).toHaveLength(1);
    expect(notices.get(refOf(notice))?.state).toBe('unknown');
    expect(notices.get({ contractId: 'C-1', id: `ops.notice_unknown#${notice.id}` })?.payload).toMatchObject({
      type: 'ops.notice_unknown',
      noticeId: notice.id,
    });
  });

  it('when the lease was lost before the mark, reports the send as unrecorded', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { notices, delivery } = await setUp(notice);
    notices.markSent = () => Promise.resolve(false);

    // Act
    const report = await delivery.deliver(refOf(notice));

    // Assess
    expect(report.outcome).toEqual({ kind: 'sent', messageId: 'ses-message-1', recorded: false });
  });
});
