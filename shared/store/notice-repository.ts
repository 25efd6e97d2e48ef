/**
 * The outbox port of notice delivery: leasing a pending notice, settling it, and the sweep's view of
 * notices that need attention. Every state change is conditional on the lease it acts for, so two
 * invocations, or an invocation and the sweep, can never both settle the same notice.
 */
import type { Locale } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import type { NoticePayload, NoticeType } from '#notices/types.ts';

export type NoticeAudience = 'customer' | 'operations';

/** A notice as it is created (in the transaction of the state change it tells about). */
export interface NoticeRecord {
  /** Deterministic: the same cause always yields the same id. */
  readonly id: string;
  /** Null for operations notices not tied to a contract. */
  readonly contractId: string | null;
  readonly type: NoticeType;
  readonly audience: NoticeAudience;
  /** Recipient snapshot for customer notices; null for operations (the notifier knows the operator). */
  readonly to: string | null;
  readonly locale: Locale | null;
  readonly payload: NoticePayload;
  readonly createdAt: Instant;
  /** Not sent before this instant (a credit notice waiting for its year to settle); absent: at once. */
  readonly sendFrom?: Instant;
}

/**
 * pending → sending (leased) → sent | failed | unknown | superseded, or back to pending when the lease is
 * released. sent → bounced | complained when SES feedback arrives. Every state but pending and sending is
 * final: nothing sends such a notice again. superseded: checked again at send time, the notice no longer
 * told what happened (docs/design.md#order-and-duplicates "What the customer is told is what happened").
 */
export const NOTICE_STATES = ['pending', 'sending', 'sent', 'failed', 'unknown', 'superseded', 'bounced', 'complained'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

export interface NoticeRef {
  /** Null for operations notices that belong to no contract (the OPS partition). */
  readonly contractId: string | null;
  readonly id: string;
}

/** A notice as the outbox holds it, with its delivery bookkeeping. */
export interface StoredNotice extends NoticeRecord {
  readonly state: NoticeState;
  /** Leases taken so far; the current lease is identified by this number. */
  readonly attempts: number;
  readonly leaseUntil: Instant | null;
  /** Set when a lease was released: no invocation may lease it before this instant. */
  readonly notBefore: Instant | null;
  /** When the sweep re-drives it if it is still pending; absent until first released or re-driven. */
  readonly redriveAt: Instant | null;
  readonly messageId: string | null;
  readonly outcomeReason: string | null;
}

/** The right to settle one notice: its ref and the attempt number the lease was taken with. */
export interface NoticeLease {
  readonly ref: NoticeRef;
  readonly attempt: number;
}

export interface NoticeRepository {
  /**
   * pending → sending until `leaseUntil`, counting an attempt. Null when the notice is missing, not
   * pending (leased by another invocation, or settled) or deferred past `now`.
   */
  lease(ref: NoticeRef, now: Instant, leaseUntil: Instant): Promise<StoredNotice | null>;
  /** The following settle a held lease; false when the lease was lost (expired and taken over). */
  markSent(lease: NoticeLease, messageId: string, at: Instant): Promise<boolean>;
  /** Back to pending, leasable again from `notBefore`. */
  release(lease: NoticeLease, notBefore: Instant, reason: string): Promise<boolean>;
  /**
   * Like release, but the attempt the lease counted is given back: the notice waits for its contract
   * year to settle, which is no failed delivery (docs/design.md#order-and-duplicates). Re-driven at `notBefore`.
   */
  defer(lease: NoticeLease, notBefore: Instant, reason: string): Promise<boolean>;
  /** Final, without an alert: checked again at send time, the notice no longer tells what happened. */
  markSuperseded(lease: NoticeLease, reason: string, at: Instant): Promise<boolean>;
  /** Rewrites what a held notice says (its figures refreshed at send time), so the stored payload is what was sent. */
  restate(lease: NoticeLease, payload: NoticePayload): Promise<boolean>;
  /** Final; `alert` (an operations notice) is created in the same transaction. */
  markFailed(lease: NoticeLease, reason: string, at: Instant, alert: NoticeRecord | null): Promise<boolean>;
  /** Final; `alert` is created in the same transaction. */
  markUnknown(lease: NoticeLease, reason: string, at: Instant, alert: NoticeRecord | null): Promise<boolean>;
  /** Like markUnknown, only if the lease has run out at `now` (the sweep, for a crashed invocation). */
  expireLease(lease: NoticeLease, now: Instant, reason: string, alert: NoticeRecord | null): Promise<boolean>;
  /** Rewrites a pending notice unchanged but for its re-drive time, so the table's stream delivers it again. */
  touch(ref: NoticeRef, nextRedriveAt: Instant): Promise<boolean>;
  /** Notices whose attention instant is at or before `now` (the attention index, eventually consistent). */
  needingAttention(now: Instant): Promise<NoticeRef[]>;
  /** The notices that exist among `refs`, read consistently. */
  read(refs: readonly NoticeRef[]): Promise<StoredNotice[]>;
}
