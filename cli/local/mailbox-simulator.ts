/**
 * SES's mailbox simulator for the local stack. aws-ses-v2-local accepts every email and reports nothing
 * back, so the embedded stack does what SES does for its simulator addresses: a notice sent to
 * `bounce@simulator.amazonses.com` bounces permanently (SMTP 550 5.1.1), one sent to
 * `complaint@simulator.amazonses.com` draws a complaint. The event is built in the shape EventBridge
 * delivers from a configuration set and handed to the real feedback handler once the notifier has
 * settled the send, as SES's own feedback arrives after the send was accepted.
 * https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html#send-email-simulator
 */
import { randomUUID } from 'node:crypto';
import type { Instant } from '#domain/time.ts';
import type { FeedbackHandler } from '#functions/feedback/app.ts';
import type { NoticeSender } from '#notices/sender.ts';
import type { DeliveryFeedbackRepository } from '#store/delivery-feedback-repository.ts';
import type { Clock } from '#usecases/ports.ts';
import type { CreatedNotices } from './notice-outbox.ts';
import { localLambdaContext } from './lambda-context.ts';

export const SIMULATOR_BOUNCE = 'bounce@simulator.amazonses.com';
export const SIMULATOR_COMPLAINT = 'complaint@simulator.amazonses.com';

const LOCAL_ACCOUNT = '000000000000';

/** An EventBridge event of SES's configuration-set event destination, as SES publishes it for the simulator. */
export function simulatedFeedbackEvent(kind: 'bounce' | 'complaint', messageId: string, to: string, at: Instant): Record<string, unknown> {
  const timestamp = new Date(at).toISOString();
  const mail = { timestamp, messageId, destination: [to], sendingAccountId: LOCAL_ACCOUNT, tags: {} };
  const detail =
    kind === 'bounce'
      ? {
          eventType: 'Bounce',
          mail,
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [{ emailAddress: to, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
            timestamp,
            feedbackId: randomUUID(),
            reportingMTA: 'dsn; local.simulator.amazonses.com',
          },
        }
      : {
          eventType: 'Complaint',
          mail,
          complaint: {
            complainedRecipients: [{ emailAddress: to }],
            complaintFeedbackType: 'abuse',
            timestamp,
            feedbackId: randomUUID(),
          },
        };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': kind === 'bounce' ? 'Email Bounced' : 'Email Complaint Received',
    source: 'aws.ses',
    account: LOCAL_ACCOUNT,
    time: timestamp,
    region: 'local',
    resources: [],
    detail,
  };
}

export class MailboxSimulator {
  private pending: Record<string, unknown>[] = [];

  constructor(private readonly clock: Clock) {}

  /** `sender`, noting the feedback SES would report for each email it accepted for a simulator address. */
  wrap(sender: NoticeSender): NoticeSender {
    return {
      send: async (notice) => {
        const messageId = await sender.send(notice);
        const to = notice.to.trim().toLowerCase();
        const kind = to === SIMULATOR_BOUNCE ? 'bounce' : to === SIMULATOR_COMPLAINT ? 'complaint' : null;
        if (kind !== null) this.pending.push(simulatedFeedbackEvent(kind, messageId, notice.to, this.clock.now()));
        return messageId;
      },
    };
  }

  /**
   * Hands the noted feedback to the feedback handler. A failed invocation is logged by the handler and
   * dropped, as the failed-invocations queue would keep it in AWS; the local stack carries on.
   */
  async deliver(handler: FeedbackHandler): Promise<number> {
    const events = this.pending;
    this.pending = [];
    for (const event of events) {
      try {
        await handler(event, localLambdaContext('feedback'));
      } catch {
        // Logged by the handler.
      }
    }
    return events.length;
  }
}

/** The feedback repository, noting the operations alerts a feedback settlement created. */
export function watchedFeedback(feedback: DeliveryFeedbackRepository, created: CreatedNotices): DeliveryFeedbackRepository {
  return {
    noticeOfMessage: (messageId) => feedback.noticeOfMessage(messageId),
    note: (ref, messageId, note) => feedback.note(ref, messageId, note),
    async settle(settlement) {
      const settled = await feedback.settle(settlement);
      if (settled && settlement.alert !== null) created.note(settlement.alert);
      return settled;
    },
  };
}
