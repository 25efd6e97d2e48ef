/**
 * The billing events the stack publishes on its EventBridge bus (docs/design.md#12-contract-changes-and-billing): what
 * a billing integration needs to build the next invoice, each with a deterministic `id` in its detail
 * (EventBridge sets no client id: consumers dedupe on `detail.id`). Pure: built from the ledger entries
 * and the notices that the outbox carries.
 */
import type { Kpi } from '#domain/model.ts';
import type { Instant, LocalDate } from '#domain/time.ts';
import type { NoticePayload } from '#notices/types.ts';

export const BILLING_EVENT_SOURCE = 'aftercare.billing';
export const BILLING_EVENT_VERSION = 1;

export const BILLING_DETAIL_TYPES = {
  'credit.booked': 'Credit Booked',
  'credit.reversed': 'Credit Reversed',
  'year.closed': 'Year Closed',
  'termination.accepted': 'Termination Accepted',
  'contract.ended': 'Contract Ended',
} as const;
export type BillingEventType = keyof typeof BILLING_DETAIL_TYPES;


interface DetailBase {
  readonly version: typeof BILLING_EVENT_VERSION;
  /** Deterministic: the same change always has the same id. Dedupe on it. */
  readonly id: string;
  readonly contractId: string;
  /** ISO 8601 instant of the change. */
  readonly occurredAt: string;
  readonly currency: string;
}

export type BillingDetail =
  | (DetailBase & {
      readonly type: 'credit.booked' | 'credit.reversed';
      readonly yearIndex: number;
      /** The ledger entry: unique within the contract year, append-only. */
      readonly seq: number;
      readonly caseId: string;
      readonly kpi: Kpi;
      /** Signed, in minor units: positive for a booked credit, negative for a reversal. */
      readonly amountMinor: number;
      readonly why: 'breach_declared' | 'breach_withdrawn' | 'recomputed';
    })
  | (DetailBase & {
      readonly type: 'year.closed';
      readonly yearIndex: number;
      readonly start: LocalDate;
      /** Exclusive. */
      readonly end: LocalDate;
      readonly feeMinor: number;
      readonly creditsMinor: number;
      /** Next year's fee less this year's credits: what the next invoice should say. */
      readonly amountDueNextYearMinor: number;
    })
  | (DetailBase & {
      readonly type: 'termination.accepted';
      readonly reason: 'notice' | 'credit_cap_breach';
      readonly requestedAt: string;
      /** When the contract ends (exclusive). */
      readonly endsAt: string;
      readonly yearIndex: number;
      readonly yearCreditsMinor: number;
      readonly endsInThisYear: boolean;
    })
  | (DetailBase & {
      readonly type: 'contract.ended';
      readonly endedOn: LocalDate;
      /** Credits of the last year, owed to the customer: not deducted from any fee. */
      readonly creditsOwedMinor: number;
      readonly years: readonly { readonly index: number; readonly feeMinor: number; readonly creditsMinor: number }[];
    });

export interface BillingEvent {
  readonly detailType: (typeof BILLING_DETAIL_TYPES)[BillingEventType];
  readonly time: Instant;
  readonly detail: BillingDetail;
}

function event(detail: BillingDetail, time: Instant): BillingEvent {
  return { detailType: BILLING_DETAIL_TYPES[detail.type], time, detail };
}

const iso = (instant: Instant): string => new Date(instant).toISOString();

export interface CreditEntry {
  readonly contractId: string;
  readonly yearIndex: number;
  readonly seq: number;
  readonly caseId: string;
  readonly kpi: Kpi;
  readonly amountMinor: number;
  readonly bookedAt: Instant;
  readonly why: 'breach_declared' | 'breach_withdrawn' | 'recomputed';
}

/** One event per ledger entry: `credit.booked#<contract>#<year>#<seq>` or `credit.reversed#…`. */
export function creditEvent(entry: CreditEntry, currency: string): BillingEvent {
  const type = entry.amountMinor >= 0 ? 'credit.booked' : 'credit.reversed';
  return event(
    {
      version: BILLING_EVENT_VERSION,
      type,
      id: `${type}#${entry.contractId}#${entry.yearIndex}#${entry.seq}`,
      contractId: entry.contractId,
      occurredAt: iso(entry.bookedAt),
      currency,
      yearIndex: entry.yearIndex,
      seq: entry.seq,
      caseId: entry.caseId,
      kpi: entry.kpi,
      amountMinor: entry.amountMinor,
      why: entry.why,
    },
    entry.bookedAt,
  );
}

/** The billing event a notice carries, with the notice's own id; null for a notice billing is not told about. */
export function noticeBillingEvent(notice: { readonly id: string; readonly payload: NoticePayload; readonly createdAt: Instant }): BillingEvent | null {
  const { id, payload, createdAt } = notice;
  const base = { version: BILLING_EVENT_VERSION, id, occurredAt: iso(createdAt) } as const;
  if (payload.type === 'year.statement') {
    const { contract, year } = payload;
    return event(
      {
        ...base,
        type: 'year.closed',
        contractId: contract.contractId,
        currency: contract.currency,
        yearIndex: year.index,
        start: year.start,
        end: year.end,
        feeMinor: year.feeMinor,
        creditsMinor: year.creditsMinor,
        amountDueNextYearMinor: year.amountDueNextYearMinor,
      },
      createdAt,
    );
  }
  if (payload.type === 'termination.confirmed') {
    return event(
      {
        ...base,
        type: 'termination.accepted',
        contractId: payload.contract.contractId,
        currency: payload.contract.currency,
        reason: payload.reason,
        requestedAt: iso(payload.requestedAt),
        endsAt: iso(payload.endsAt),
        yearIndex: payload.yearIndex,
        yearCreditsMinor: payload.yearCreditsMinor,
        endsInThisYear: payload.endsInThisYear,
      },
      createdAt,
    );
  }
  if (payload.type === 'contract.ended') {
    return event(
      {
        ...base,
        type: 'contract.ended',
        contractId: payload.contract.contractId,
        currency: payload.contract.currency,
        endedOn: payload.endedOn,
        creditsOwedMinor: payload.creditsOwedMinor,
        years: payload.years.map((y) => ({ index: y.index, feeMinor: y.feeMinor, creditsMinor: y.creditsMinor })),
      },
      createdAt,
    );
  }
  return null;
}
