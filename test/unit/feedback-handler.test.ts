/**
 * The feedback function's edge: SES configuration-set events as EventBridge delivers them become the
 * use case's feedback (message id, bounce type and subtype, status codes, complaint type — never the
 * address), a recorded bounce or complaint is counted, and a malformed event fails the invocation.
 */
import { describe, expect, it, vi } from 'vitest';
import { makeFeedbackHandler } from '#functions/feedback/app.ts';
import { PoisonMessageError } from '../../shared/errors.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import type { DeliveryFeedback, SesFeedback } from '#usecases/delivery-feedback.ts';
import { makeDeliveryFeedback } from '#usecases/delivery-feedback.ts';
import { MemoryCreditState } from '#test/support/memory-credit-state.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { defaultCatalog } from '#test/support/factories/events.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { MemoryDeliveryFeedback } from '#test/support/memory-delivery-feedback.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import { anSesBounceEvent, anSesComplaintEvent, SES_MESSAGE_ID } from '#test/support/factories/ses-events.ts';
import { aYearStatementRecord, CREATED_AT, CUSTOMER_EMAIL, OPERATOR_EMAIL } from '#test/support/factories/notices.ts';

/** A handler over a use case that only remembers what it was given. */
function recordingHandler() {
  const given: SesFeedback[] = [];
  const feedback: DeliveryFeedback = {
    record(event) {
      given.push(event);
      return Promise.resolve({ kind: 'duplicate', noticeId: 'n', noticeType: 'credit.issued' });
    },
  };
  const logger = makeLogger('feedback');
  const handler = makeFeedbackHandler({ feedback, logger, metrics: makeMetrics('AftercareTest', 'feedback', logger) });
  return { handler, given };
}

describe('the feedback handler', () => {
  it("maps SES's documented bounce event to a bounce of its message id, with type, subtype and status but no address", async () => {
    // Prepare
    const { handler, given } = recordingHandler();

    // Act
    await handler(anSesBounceEvent({ recipient: CUSTOMER_EMAIL }), aLambdaContext('feedback'));

    // Assess
    expect(given).toEqual([
      {
        kind: 'bounce',
        messageId: SES_MESSAGE_ID,
        bounceType: 'Permanent',
        bounceSubType: 'General',
        statuses: ['5.1.1'],
        at: Date.parse('2026-11-28T09:00:06.669Z'),
      },
    ]);
    expect(JSON.stringify(given)).not.toContain(CUSTOMER_EMAIL);
  });

  it("maps SES's documented complaint event, with or without a feedback type", async () => {
    // Prepare
    const { handler, given } = recordingHandler();

    // Act
    await handler(anSesComplaintEvent(), aLambdaContext('feedback'));
    await handler(anSesComplaintEvent({ feedbackType: null }), aLambdaContext('feedback'));

    // Assess
    expect(given).toEqual([
      { kind: 'complaint', messageId: SES_MESSAGE_ID, feedbackType: 'abuse', at: Date.parse('2026-11-28T10:12:00.000Z') },
      { kind: 'complaint', messageId: SES_MESSAGE_ID, feedbackType: null, at: Date.parse('2026-11-28T10:12:00.000Z') },
    ]);
  });

  it.each([
    ['no SES event at all', { source: 'aws.ses', detail: { eventType: 'Delivery', mail: { messageId: 'm' } } }],
    ['not from SES', { ...anSesBounceEvent(), source: 'aftercare' }],
    ['a bounce without its message id', { ...anSesBounceEvent(), detail: { ...anSesBounceEvent().detail, mail: {} } }],
    ['a bounce without a type', { ...anSesBounceEvent(), detail: { ...anSesBounceEvent().detail, bounce: { timestamp: '2026-11-28T09:00:06Z' } } }],
    ['not an object', 'Email Bounced'],
  ])('reports a malformed event (%s) as a failure, recording nothing', async (_what, event) => {
    // Prepare
    const { handler, given } = recordingHandler();

    // Act / Assess
    await expect(handler(event, aLambdaContext('feedback'))).rejects.toBeInstanceOf(PoisonMessageError);
    expect(given).toEqual([]);
  });

  it('records a bounce of a sent notice end to end and counts it as NoticesBounced', async () => {
    // Prepare
    const notices = new MemoryNoticeRepository();
    const feedback = new MemoryDeliveryFeedback(notices);
    const clock = { now: () => CREATED_AT + 5_000 };
    const notice = aYearStatementRecord();
    notices.add(notice);
    const sender = { send: () => Promise.resolve(SES_MESSAGE_ID) };
    await makeNoticeDelivery({ notices, sender, suppressions: feedback, credits: new MemoryCreditState(new MemoryStore(), notices), catalog: defaultCatalog(), clock, operatorEmail: OPERATOR_EMAIL }).deliver({
      contractId: notice.contractId,
      id: notice.id,
    });
    const logger = makeLogger('feedback');
    const metrics = makeMetrics('AftercareTest', 'feedback', logger);
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const handler = makeFeedbackHandler({ feedback: makeDeliveryFeedback({ feedback, clock }), logger, metrics });

    // Act
    const outcome = await handler(anSesBounceEvent({ recipient: CUSTOMER_EMAIL }), aLambdaContext('feedback'));

    // Assess
    expect(outcome.kind).toBe('bounced');
    expect(notices.get({ contractId: notice.contractId, id: notice.id })?.state).toBe('bounced');
    expect(addMetric).toHaveBeenCalledWith('NoticesBounced', 'Count', 1);
  });
});
