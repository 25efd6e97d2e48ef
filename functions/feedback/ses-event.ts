/**
 * The SES configuration-set events the feedback function is given, as EventBridge delivers them
 * (`source` aws.ses, `detail-type` "Email Bounced" / "Email Complaint Received", the SES event record in
 * `detail`): validated here, at the edge, and reduced to what the use case needs. Recipients' addresses
 * and diagnostic texts (which quote them) are read past, never kept.
 * Record format: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { SesFeedback } from '#usecases/delivery-feedback.ts';
import { PoisonMessageError } from '../../shared/errors.ts';

z.config(en());

const text = z.string().check(z.minLength(1), z.maxLength(256));
/** SES's own vocabulary (`Permanent`, `General`, `5.1.1`, `abuse`): short, and shown to operators. */
const term = z.string().check(z.maxLength(64));
const instant = z.iso.datetime({ offset: true });

const mail = z.object({ messageId: text });

const bounceRecord = z.object({
  eventType: z.literal('Bounce'),
  mail,
  bounce: z.object({
    bounceType: z.string().check(z.minLength(1), z.maxLength(64)),
    bounceSubType: z.string().check(z.minLength(1), z.maxLength(64)),
    bouncedRecipients: z.array(z.object({ status: z.optional(term) })),
    timestamp: instant,
  }),
});

const complaintRecord = z.object({
  eventType: z.literal('Complaint'),
  mail,
  complaint: z.object({
    complaintFeedbackType: z.optional(z.nullable(term)),
    timestamp: instant,
  }),
});

const envelope = z.object({
  source: z.literal('aws.ses'),
  detail: z.discriminatedUnion('eventType', [bounceRecord, complaintRecord]),
});

/** The feedback an EventBridge event carries; throws PoisonMessageError (path and reason, no values) if malformed. */
export function parseSesFeedback(event: unknown): SesFeedback {
  const parsed = z.safeParse(envelope, event);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new PoisonMessageError(issue === undefined || issue.path.length === 0 ? '(event)' : issue.path.join('.'), issue?.message ?? 'invalid');
  }
  const { detail } = parsed.data;
  if (detail.eventType === 'Bounce') {
    return {
      kind: 'bounce',
      messageId: detail.mail.messageId,
      bounceType: detail.bounce.bounceType,
      bounceSubType: detail.bounce.bounceSubType,
      statuses: detail.bounce.bouncedRecipients.flatMap((recipient) => (recipient.status === undefined ? [] : [recipient.status])),
      at: Date.parse(detail.bounce.timestamp),
    };
  }
  const feedbackType = detail.complaint.complaintFeedbackType;
  return {
    kind: 'complaint',
    messageId: detail.mail.messageId,
    feedbackType: feedbackType === undefined || feedbackType === null || feedbackType === '' ? null : feedbackType,
    at: Date.parse(detail.complaint.timestamp),
  };
}
