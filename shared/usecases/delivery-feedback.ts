/**
 * SES feedback is part of delivery (docs/design.md#7-notices): a permanent bounce or a complaint about a sent notice marks
 * it bounced / complained, alerts operations once and suppresses the address until the contract's contact
 * is amended; a transient bounce is only noted on the notice. SES delivers its events at least once, so
 * the same event twice changes nothing the second time.
 */
import type { Instant } from '#domain/time.ts';
import { FeedbackNotMatchedError } from '../errors.ts';
import type { DeliveryFeedbackRepository, FeedbackState } from '#store/delivery-feedback-repository.ts';
import type { StoredNotice } from '#store/notice-repository.ts';
import { deliveryAlert } from './delivery-alerts.ts';
import type { Clock } from './ports.ts';

/** What SES said, as the feedback function's edge parsed it from the configuration-set event; never an address. */
export type SesFeedback =
  | {
      readonly kind: 'bounce';
      readonly messageId: string;
      /** SES's bounceType: `Permanent`, `Transient` or `Undetermined`. */
      readonly bounceType: string;
      readonly bounceSubType: string;
      /** The recipients' SMTP status codes (e.g. `5.1.1`), without their addresses. */
      readonly statuses: readonly string[];
      readonly at: Instant;
    }
  | {
      readonly kind: 'complaint';
      readonly messageId: string;
      /** The feedback report's type (`abuse`, `not-spam`, …) when the provider sent one. */
      readonly feedbackType: string | null;
      readonly at: Instant;
    };

/**
 * bounced / complained: recorded now. noted: a transient bounce, written on the notice as its reason.
 * duplicate: the notice no longer is `sent` with this message id (the event came before, or a later
 * feedback settled it); nothing changed.
 */
export type FeedbackOutcome =
  | {
      readonly kind: FeedbackState;
      readonly noticeId: string;
      readonly noticeType: StoredNotice['type'];
      readonly reason: string;
      readonly alerted: boolean;
      readonly suppressed: boolean;
    }
  | { readonly kind: 'noted'; readonly noticeId: string; readonly noticeType: StoredNotice['type']; readonly reason: string }
  | { readonly kind: 'duplicate'; readonly noticeId: string; readonly noticeType: StoredNotice['type'] };

export interface DeliveryFeedbackDependencies {
  readonly feedback: DeliveryFeedbackRepository;
  readonly clock: Clock;
}

export interface DeliveryFeedback {
  /** Throws FeedbackNotMatchedError, or what the table threw. */
  record(event: SesFeedback): Promise<FeedbackOutcome>;
}

/** Only a permanent bounce says the address is bad; SES retries transient ones itself. */
const isPermanent = (event: SesFeedback): boolean => event.kind === 'complaint' || event.bounceType === 'Permanent';

function reasonOf(event: SesFeedback): string {
  if (event.kind === 'complaint') return event.feedbackType === null ? 'complaint' : `complaint (${event.feedbackType})`;
  const statuses = event.statuses.length === 0 ? '' : `, status ${[...new Set(event.statuses)].join(' ')}`;
  return `${event.bounceType.toLowerCase()} bounce (${event.bounceSubType}${statuses})`;
}

export function makeDeliveryFeedback(dependencies: DeliveryFeedbackDependencies): DeliveryFeedback {
  const { feedback, clock } = dependencies;

  return {
    async record(event) {
      const notice = await feedback.noticeOfMessage(event.messageId);
      if (notice === null) throw new FeedbackNotMatchedError(event.messageId);
      const facts = { noticeId: notice.id, noticeType: notice.type };
      const reason = reasonOf(event);
      if (notice.state !== 'sent' || notice.messageId !== event.messageId) return { kind: 'duplicate', ...facts };

      if (!isPermanent(event)) {
        const note = `sent; SES reported a ${reason}, which does not suppress the address`;
        const noted = await feedback.note({ contractId: notice.contractId, id: notice.id }, event.messageId, note);
        return noted ? { kind: 'noted', ...facts, reason } : { kind: 'duplicate', ...facts };
      }

      const state: FeedbackState = event.kind === 'bounce' ? 'bounced' : 'complained';
      const now = clock.now();
      const alert = deliveryAlert(state === 'bounced' ? 'ops.notice_bounced' : 'ops.notice_complained', notice, reason, now);
      // An operations notice goes to the operator address: suppressing it would silence every alert.
      const suppression =
        notice.audience === 'customer' && notice.to !== null
          ? { address: notice.to, reason, noticeId: notice.id, contractId: notice.contractId, since: event.at }
          : null;
      const settled = await feedback.settle({
        ref: { contractId: notice.contractId, id: notice.id },
        messageId: event.messageId,
        state,
        reason,
        at: now,
        alert,
        suppression,
      });
      if (!settled) return { kind: 'duplicate', ...facts };
      return { kind: state, ...facts, reason, alerted: alert !== null, suppressed: suppression !== null };
    },
  };
}
