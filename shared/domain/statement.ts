/**
 * The read model of one contract (DESIGN §8), built from its terms, breaches, clock outcomes and history.
 * STUB — signatures are fixed; the implementation is being written.
 */
import type { BreachRecord, TerminationRight } from './credits.ts';
import type { ContractTerms, Kpi, Locale, ServiceLevel, Termination } from './model.ts';
import type { ContractStatus } from './terms.ts';
import type { Instant, LocalDate } from './time.ts';

/** A clock whose outcome is decided: met (stopped in time) or breached. Feeds "KPIs met in %". */
export interface ClockOutcome {
  readonly caseId: string;
  readonly kpi: Kpi;
  readonly deadline: Instant;
  readonly breached: boolean;
}

export interface LedgerEntry {
  readonly seq: number;
  readonly yearIndex: number;
  readonly caseId: string;
  readonly kpi: Kpi;
  /** Positive for a credit, negative for a reversal. */
  readonly amountMinor: number;
  readonly bookedAt: Instant;
}

export type NoticeState = 'pending' | 'sending' | 'sent' | 'unknown' | 'failed';

export interface NoticeSummary {
  readonly id: string;
  readonly type: string;
  readonly contractId: string;
  readonly to: string;
  readonly locale: Locale;
  readonly state: NoticeState;
}

export interface RejectedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly reason: string;
}

export interface ParkedEvent {
  readonly eventId: string;
  readonly caseId: string;
  readonly receivedAt: Instant;
}

export interface StatementInput {
  readonly terms: ContractTerms;
  readonly level: ServiceLevel;
  readonly termination: Termination | null;
  /** Every declared breach of the contract (any year). */
  readonly breaches: readonly BreachRecord[];
  readonly outcomes: readonly ClockOutcome[];
  readonly ledger: readonly LedgerEntry[];
  readonly notices: readonly NoticeSummary[];
  readonly rejected: readonly RejectedEvent[];
  readonly parked: readonly ParkedEvent[];
  readonly asOf: Instant;
}

export interface YearStatement {
  readonly index: number;
  readonly start: LocalDate;
  readonly end: LocalDate;
  readonly feeMinor: number;
  readonly breaches: Readonly<Record<Kpi, number>>;
  /** Per KPI: decided clocks met in time, in % with one decimal; null when none was decided. */
  readonly kpisMetPercent: Readonly<Record<Kpi, number | null>>;
  readonly creditsMinor: number;
  readonly capMinor: number;
  readonly capReached: boolean;
  /** Credits carried as a discount to the next year's fee. */
  readonly carriedToNextYearMinor: number;
  readonly amountDueNextYearMinor: number;
}

export interface ContractStatement {
  readonly contractId: string;
  readonly status: ContractStatus;
  readonly serviceLevel: string;
  readonly currency: string;
  readonly terms: {
    readonly start: LocalDate;
    readonly bindingEnd: LocalDate;
    /** The term end the contract is in as of `asOf` (or ended at). */
    readonly currentTermEnd: LocalDate;
    readonly noticeDeadline: LocalDate;
    readonly endsAt: Instant | null;
  };
  readonly terminationRight: TerminationRight | null;
  readonly liabilityCapMinor: number;
  readonly years: readonly YearStatement[];
  /** Credits owed to the customer at the end (final statement); 0 while active. */
  readonly creditsOwedMinor: number;
  readonly ledger: readonly LedgerEntry[];
  readonly notices: readonly NoticeSummary[];
  readonly rejected: readonly RejectedEvent[];
  readonly parked: readonly ParkedEvent[];
}

export function buildStatement(_input: StatementInput): ContractStatement {
  throw new Error('buildStatement: not implemented yet');
}
