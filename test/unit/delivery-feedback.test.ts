/**
 * SES feedback is part of delivery (docs/design.md#7-notices): bounces and complaints mark the notice, alert operations
 * once and stop further sends to the address until the suppression is released; a notice is `sent` only
 * while SES has said nothing against it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NoticeSender } from '#notices/sender.ts';
import type { NoticeRecord } from '#store/store.ts';
import { MemoryCreditState } from '#test/support/memory-credit-state.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { defaultCatalog } from '#test/support/factories/events.ts';
import { makeNoticeDelivery, SUPPRESSED_REASON } from '#usecases/deliver-notice.ts';
import { makeDeliveryFeedback, type SesFeedback } from '#usecases/delivery-feedback.ts';
import { FeedbackNotMatchedError } from '../../shared/errors.ts';
import { MemoryDeliveryFeedback } from '#test/support/memory-delivery-feedback.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import {
  aBreachWarningRecord,
  aYearStatementRecord,
  CREATED_AT,
  CUSTOMER_EMAIL,
  OPERATOR_EMAIL,
} from '#test/support/factories/notices.ts';

/** A sender that accepts every email with message ids ses-1, ses-2, … and remembers the recipients. */
function acceptingSender(): NoticeSender & { readonly recipients: string[] } {
  const recipients: string[] = [];
  return {
    recipients,
    send(notice) {
      recipients.push(notice.to);
      return Promise.resolve(`ses-${recipients.length}`);
    },
  };
}

function setUp() {
  const notices = new MemoryNoticeRepository();
  const feedback = new MemoryDeliveryFeedback(notices);
  const sender = acceptingSender();
  const clock = { at: CREATED_AT + 5_000, now: () => clock.at };
  const delivery = makeNoticeDelivery({ notices, sender, suppressions: feedback, credits: new MemoryCreditState(new MemoryStore(), notices), catalog: defaultCatalog(), clock, operatorEmail: OPERATOR_EMAIL, sleep: () => Promise.resolve() });
  const useCase = makeDeliveryFeedback({ feedback, clock });
  /** Adds `record` to the outbox and delivers it; the SES message id it was sent with. */
  async function sent(record: NoticeRecord): Promise<string> {
    notices.add(record);
    const report = await delivery.deliver({ contractId: record.contractId, id: record.id });
    if (report.outcome.kind !== 'sent') throw new Error(`expected the notice to be sent, it was ${report.outcome.kind}`);
    return report.outcome.messageId;
  }
  const alerts = () => notices.all().filter((notice) => notice.audience === 'operations');
  const stateOf = (record: NoticeRecord) => notices.get({ contractId: record.contractId, id: record.id })?.state;
  return { notices, feedback, sender, delivery, useCase, sent, alerts, stateOf };
}

const aPermanentBounce = (messageId: string, overrides: Partial<Extract<SesFeedback, { kind: 'bounce' }>> = {}): SesFeedback => ({
  kind: 'bounce',
  messageId,
  bounceType: 'Permanent',
  bounceSubType: 'General',
  statuses: ['5.1.1'],
  at: CREATED_AT + 6_000,
  ...overrides,
});
const aComplaint = (messageId: string): SesFeedback => ({ kind: 'complaint', messageId, feedbackType: 'abuse', at: CREATED_AT + 60_000 });

const aSecondNotice = (overrides: Partial<NoticeRecord> = {}) =>
  aYearStatementRecord({ id: 'year.statement#C-1#2', ...overrides });

describe('SES feedback on a sent notice', () => {
  it('a permanent bounce marks the notice bounced, alerts once and suppresses the address', async () => {
    // Prepare
    const { useCase, sent, alerts, stateOf, feedback, notices } = setUp();
    const notice = aYearStatementRecord();
    const messageId = await sent(notice);

    // Act
    const outcome = await useCase.record(aPermanentBounce(messageId));

    // Assess
    expect(outcome).toMatchObject({ kind: 'bounced', noticeId: notice.id, alerted: true, suppressed: true });
    expect(stateOf(notice)).toBe('bounced');
    expect(notices.get({ contractId: 'C-1', id: notice.id })?.outcomeReason).toBe('permanent bounce (General, status 5.1.1)');
    expect(alerts().map((alert) => [alert.id, alert.type, alert.state])).toEqual([[`ops.notice_bounced#${notice.id}`, 'ops.notice_bounced', 'pending']]);
    expect(alerts()[0]?.payload).toMatchObject({ noticeId: notice.id, contractId: 'C-1', reason: 'permanent bounce (General, status 5.1.1)' });
    expect(JSON.stringify(alerts())).not.toContain(CUSTOMER_EMAIL);
    expect(await feedback.suppressionOf(CUSTOMER_EMAIL)).toMatchObject({ noticeId: notice.id, contractId: 'C-1' });
    expect(JSON.stringify([...feedback.suppressions])).not.toContain(CUSTOMER_EMAIL);
  });

  it('a complaint marks the notice complained, alerts once and suppresses the address', async () => {
    // Prepare
    const { useCase, sent, alerts, stateOf, feedback } = setUp();
    const notice = aYearStatementRecord();
    const messageId = await sent(notice);

    // Act
    const outcome = await useCase.record(aComplaint(messageId));

    // Assess
    expect(outcome).toMatchObject({ kind: 'complained', reason: 'complaint (abuse)', alerted: true, suppressed: true });
    expect(stateOf(notice)).toBe('complained');
    expect(alerts().map((alert) => alert.id)).toEqual([`ops.notice_complained#${notice.id}`]);
    expect(await feedback.suppressionOf(CUSTOMER_EMAIL)).not.toBeNull();
  });

  it.each(['Transient', 'Undetermined'])('a %s bounce suppresses nothing: the notice stays sent, with a note', async (bounceType) => {
    // Prepare
    const { useCase, sent, alerts, stateOf, feedback, notices } = setUp();
    const notice = aYearStatementRecord();
    const messageId = await sent(notice);

    // Act
    const outcome = await useCase.record(aPermanentBounce(messageId, { bounceType, bounceSubType: 'MailboxFull', statuses: ['4.2.2'] }));

    // Assess
    expect(outcome.kind).toBe('noted');
    expect(stateOf(notice)).toBe('sent');
    expect(notices.get({ contractId: 'C-1', id: notice.id })?.outcomeReason).toContain(`${bounceType.toLowerCase()} bounce (MailboxFull, status 4.2.2)`);
    expect(alerts()).toEqual([]);
    expect(await feedback.suppressionOf(CUSTOMER_EMAIL)).toBeNull();
  });

  it('the same SES event twice changes nothing the second time', async () => {
    // Prepare
    const { useCase, sent, notices, feedback } = setUp();
    const messageId = await sent(aYearStatementRecord());
    await useCase.record(aPermanentBounce(messageId));
    const before = structuredClone({ notices: notices.all(), suppressions: [...feedback.suppressions] });

    // Act
    const again = await useCase.record(aPermanentBounce(messageId));

    // Assess
    expect(again.kind).toBe('duplicate');
    expect({ notices: notices.all(), suppressions: [...feedback.suppressions] }).toEqual(before);
  });

  it('any sequence of SES events, each delivered at least once, ends as if each came once', async () => {
    const anEvent = fc.oneof(
      fc.constant<'permanent' | 'transient' | 'complaint'>('permanent'),
      fc.constant<'permanent' | 'transient' | 'complaint'>('transient'),
      fc.constant<'permanent' | 'transient' | 'complaint'>('complaint'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(anEvent, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 5 }), async (kinds, repeats) => {
        const run = async (withRepeats: boolean) => {
          const { useCase, sent, notices, feedback } = setUp();
          const messageId = await sent(aYearStatementRecord());
          const events = kinds.map((kind) =>
            kind === 'complaint' ? aComplaint(messageId) : aPermanentBounce(messageId, kind === 'transient' ? { bounceType: 'Transient' } : {}),
          );
          for (const [index, event] of events.entries()) {
            await useCase.record(event);
            if (withRepeats && repeats.includes(index)) await useCase.record(event);
          }
          return { notices: notices.all(), suppressions: [...feedback.suppressions] };
        };
        expect(await run(true)).toEqual(await run(false));
      }),
      { numRuns: 50 },
    );
  });

  it('feedback on an operations notice marks it but suppresses nothing and raises no alert about an alert', async () => {
    // Prepare
    const { useCase, sent, alerts, stateOf, feedback } = setUp();
    const warning = aBreachWarningRecord();
    const messageId = await sent(warning);

    // Act
    const outcome = await useCase.record(aPermanentBounce(messageId));

    // Assess
    expect(outcome).toMatchObject({ kind: 'bounced', alerted: false, suppressed: false });
    expect(stateOf(warning)).toBe('bounced');
    expect(alerts().map((alert) => alert.id)).toEqual([warning.id]);
    expect(await feedback.suppressionOf(OPERATOR_EMAIL)).toBeNull();
  });

  it('feedback for a message id no notice was sent with fails, to be retried', async () => {
    const { useCase } = setUp();
    await expect(useCase.record(aPermanentBounce('ses-unknown'))).rejects.toBeInstanceOf(FeedbackNotMatchedError);
  });
});

describe('a suppressed address', () => {
  it('a notice to a suppressed address is not sent and ends failed with the reason, without an alert of its own', async () => {
    // Prepare
    const { useCase, sent, delivery, notices, sender, alerts } = setUp();
    await useCase.record(aPermanentBounce(await sent(aYearStatementRecord())));
    const next = aSecondNotice({ to: CUSTOMER_EMAIL.toUpperCase() });
    notices.add(next);

    // Act
    const report = await delivery.deliver({ contractId: next.contractId, id: next.id });

    // Assess
    expect(report.outcome).toEqual({ kind: 'suppressed', reason: SUPPRESSED_REASON, recorded: true });
    expect(SUPPRESSED_REASON).toBe("the address is suppressed after a bounce/complaint; amend the contract's contact");
    expect(notices.get({ contractId: next.contractId, id: next.id })).toMatchObject({ state: 'failed', outcomeReason: SUPPRESSED_REASON });
    expect(sender.recipients).toHaveLength(1);
    expect(alerts().map((alert) => alert.type)).toEqual(['ops.notice_bounced']);
  });

  it('an operations notice is sent whatever is suppressed', async () => {
    // Prepare
    const { useCase, sent, delivery, notices } = setUp();
    await useCase.record(aComplaint(await sent(aYearStatementRecord())));
    const alert = notices.all().find((notice) => notice.type === 'ops.notice_complained');

    // Act
    const report = await delivery.deliver({ contractId: alert?.contractId ?? null, id: alert?.id ?? '' });

    // Assess
    expect(report.outcome.kind).toBe('sent');
  });

  it('releasing the suppression lets the next notice go', async () => {
    // Prepare
    const { useCase, sent, delivery, notices, feedback, sender } = setUp();
    await useCase.record(aPermanentBounce(await sent(aYearStatementRecord())));
    const next = aSecondNotice();
    notices.add(next);

    // Act
    const released = await feedback.releaseSuppression(CUSTOMER_EMAIL.toUpperCase());
    const report = await delivery.deliver({ contractId: next.contractId, id: next.id });

    // Assess
    expect(released).toBe(true);
    expect(report.outcome.kind).toBe('sent');
    expect(sender.recipients).toEqual([CUSTOMER_EMAIL, CUSTOMER_EMAIL]);
    expect(await feedback.releaseSuppression(CUSTOMER_EMAIL)).toBe(false);
  });

  it('a second bounce to a suppressed address keeps the suppression its first bounce caused', async () => {
    // Prepare: two notices sent before SES reported on either
    const { useCase, sent, feedback } = setUp();
    const first = aYearStatementRecord();
    const second = aSecondNotice();
    const firstId = await sent(first);
    const secondId = await sent(second);

    // Act
    await useCase.record(aPermanentBounce(firstId));
    const outcome = await useCase.record(aComplaint(secondId));

    // Assess
    expect(outcome.kind).toBe('complained');
    expect(await feedback.suppressionOf(CUSTOMER_EMAIL)).toMatchObject({ noticeId: first.id, reason: 'permanent bounce (General, status 5.1.1)' });
  });
});
