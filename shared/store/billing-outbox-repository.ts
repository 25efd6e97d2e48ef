/**
 * The billing outbox (docs/design.md#12-contract-changes-and-billing): what billing is told rides on items the change
 * writes anyway, in the same transaction — a ledger item (the credits booked and reversed in one commit)
 * and the notice of a closed year, an accepted termination or an ended contract — marked
 * `billing = pending` until the publisher has put its events on the bus. No extra transaction item.
 */
import type { Instant } from '#domain/time.ts';
import type { BillingEvent } from '#events/billing.ts';
import type { NoticeType } from '#notices/types.ts';

/** The attribute and values the publisher's stream filter matches (infra/constructs/billing.ts). */
export const BILLING_OUTBOX = { attribute: 'billing', pending: 'pending', published: 'published' } as const;

/** The notices that tell what billing is told too: their item carries the billing outbox entry (shared/events/billing.ts maps them). */
export const BILLING_NOTICE_TYPES: ReadonlySet<NoticeType> = new Set(['year.statement', 'termination.confirmed', 'contract.ended']);

/** A ledger item is named by the first entry it holds; a notice by its id. */
export type BillingSourceRef =
  | { readonly kind: 'credits'; readonly contractId: string; readonly yearIndex: number; readonly firstSeq: number }
  | { readonly kind: 'notice'; readonly contractId: string; readonly noticeId: string };

export interface PendingBilling {
  readonly ref: BillingSourceRef;
  /** In the order they are told: ledger order for credits. */
  readonly events: readonly BillingEvent[];
}

export interface BillingOutboxRepository {
  /** The events of an item still `pending` (a strongly consistent read), or null: published already, or absent. */
  pending(ref: BillingSourceRef): Promise<PendingBilling | null>;
  /** Marks the item published, only if it is still pending; false when it was not. */
  markPublished(ref: BillingSourceRef, at: Instant): Promise<boolean>;
}

export function billingSourceId(ref: BillingSourceRef): string {
  return ref.kind === 'credits' ? `credits#${ref.contractId}#${ref.yearIndex}#${ref.firstSeq}` : ref.noticeId;
}
