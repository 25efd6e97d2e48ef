/**
 * The port a credit notice is checked against when it is sent (docs/design.md#order-and-duplicates "What the customer is told is
 * what happened"): its contract year as it is now, and the year's credit notices with what they said.
 */
import type { Kpi } from '#domain/model.ts';
import type { NoticeType } from '#notices/types.ts';
import type { StoredNotice } from './notice-repository.ts';
import type { ContractRecord, YearRecord } from './store.ts';

/** The notices about a year's credits: they wait for the year to settle and are checked again at send time. */
export const CREDIT_NOTICE_TYPES = ['credit.issued', 'credit.adjusted', 'credit.cap_reached'] as const satisfies readonly NoticeType[];
export type CreditNoticeType = (typeof CREDIT_NOTICE_TYPES)[number];

export function isCreditNoticeType(type: NoticeType): type is CreditNoticeType {
  return (CREDIT_NOTICE_TYPES as readonly NoticeType[]).includes(type);
}

export interface CreditYearState {
  readonly contract: ContractRecord;
  /** Null when the year has no record: nothing was ever declared or booked in it. */
  readonly year: YearRecord | null;
  /** Every credit notice of the year (by `payload.yearIndex`), whatever its state, with the payload it holds. */
  readonly notices: readonly StoredNotice[];
}

export interface CreditStateRepository {
  /** The year and its credit notices, read consistently; null when the contract does not exist. */
  creditState(contractId: string, yearIndex: number): Promise<CreditYearState | null>;
  /**
   * Whether a case's clock has its outcome decided (met, or a declared breach), read consistently: a breach
   * warning for such a clock no longer tells anyone anything. False when the case does not exist.
   */
  clockDecided(contractId: string, caseId: string, kpi: Kpi): Promise<boolean>;
}
