/**
 * The ports of SES feedback (docs/design.md#7-notices): what SES said about a notice after it accepted it, and the
 * addresses no notice may be sent to because they bounced permanently or complained. Both are their own
 * repositories: the notice outbox port does not grow for them.
 */
import type { Instant } from '#domain/time.ts';
import type { NoticeRef, StoredNotice } from './notice-repository.ts';
import type { NoticeRecord } from './store.ts';

/** The final state SES feedback gives a sent notice. */
export type FeedbackState = 'bounced' | 'complained';

export interface SuppressionRecord {
  /** The address as the notice held it; the adapter keys it by a hash and never stores it in a key. */
  readonly address: string;
  readonly reason: string;
  readonly noticeId: string;
  readonly contractId: string | null;
  readonly since: Instant;
}

/** A suppression as read back: the address is not kept, only what caused it. */
export type Suppression = Omit<SuppressionRecord, 'address'>;

export interface FeedbackSettlement {
  readonly ref: NoticeRef;
  /** SES's message id: the settlement applies only to the notice still `sent` with this id. */
  readonly messageId: string;
  readonly state: FeedbackState;
  readonly reason: string;
  readonly at: Instant;
  /** The operations alert, created in the same transaction (null for an operations notice). */
  readonly alert: NoticeRecord | null;
  /** The address to suppress, in the same transaction (null for an operations notice). */
  readonly suppression: SuppressionRecord | null;
}

export interface DeliveryFeedbackRepository {
  /** The notice SES's message id belongs to (the pointer markSent wrote), read consistently; null if none. */
  noticeOfMessage(messageId: string): Promise<StoredNotice | null>;
  /**
   * sent → bounced | complained, with its alert and suppression, in one transaction. False when the notice
   * is no longer `sent` with this message id: the feedback was already recorded (SES delivers at least once).
   * A suppression that already exists keeps what first caused it.
   */
  settle(settlement: FeedbackSettlement): Promise<boolean>;
  /** Notes feedback that changes no state (a transient bounce) on a notice still `sent` with this message id. */
  note(ref: NoticeRef, messageId: string, note: string): Promise<boolean>;
}

export interface SuppressionRepository {
  /** The suppression of `address` (compared trimmed and lower-cased), or null when it may be mailed. */
  suppressionOf(address: string): Promise<Suppression | null>;
  /**
   * Lifts the suppression of `address`; true when there was one. For `contract.amended` (docs/design.md#12-contract-changes-and-billing,
   * issue 16): when a contract's contact email is amended, the amendment lifts the suppression of the new
   * address, so the contact the customer has just confirmed is mailed again.
   */
  releaseSuppression(address: string): Promise<boolean>;
}
