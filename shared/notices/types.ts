/**
 * What each notice says, as data. The outbox item stores one of these; rendering turns it into email.
 * Amounts are minor units, instants epoch ms, dates contract-local `YYYY-MM-DD`.
 */
import type { Kpi, Locale } from '#domain/model.ts';
import type { Instant, LocalDate } from '#domain/time.ts';

export const CUSTOMER_NOTICE_TYPES = [
  'credit.issued',
  'credit.adjusted',
  'credit.cap_reached',
  'renewal.reminder',
  'term.expiry_reminder',
  'termination.confirmed',
  'year.statement',
  'contract.ended',
  'loan.return_reminder',
] as const;
export type CustomerNoticeType = (typeof CUSTOMER_NOTICE_TYPES)[number];

export const OPERATIONS_NOTICE_TYPES = [
  'ops.breach_warning',
  'ops.event_rejected',
  'ops.parked_events',
  'ops.notice_unknown',
  'ops.notice_failed',
  'ops.item_quarantined',
  'ops.notice_bounced',
  'ops.notice_complained',
  'ops.pool_exhausted',
  'ops.loan_overdue',
  'ops.pool_risk',
] as const;
export type OperationsNoticeType = (typeof OPERATIONS_NOTICE_TYPES)[number];

export type NoticeType = CustomerNoticeType | OperationsNoticeType;

/** Facts every customer notice carries about its contract. */
export interface ContractContext {
  readonly contractId: string;
  readonly customerName: string;
  readonly serviceLevelName: string;
  readonly currency: string;
  readonly timeZone: string;
}

export interface YearFigures {
  readonly index: number;
  readonly start: LocalDate;
  readonly end: LocalDate;
  readonly feeMinor: number;
  readonly breaches: Readonly<Record<Kpi, number>>;
  readonly kpisMetPercent: Readonly<Record<Kpi, number | null>>;
  readonly creditsMinor: number;
  readonly capMinor: number;
  /**
   * The next year's own fee, from which this year's credits are deducted (docs/design.md#12-contract-changes-and-billing).
   * Absent in notices created before amendments: the amount due was then this year's fee less the credits.
   */
  readonly nextYearFeeMinor?: number;
  readonly amountDueNextYearMinor: number;
}

export type NoticePayload =
  | PoolNoticePayload
  | {
      readonly type: 'credit.issued';
      readonly contract: ContractContext;
      readonly caseId: string;
      readonly kpi: Kpi;
      readonly deadline: Instant;
      /** When the clock stopped (late), or null when it was still running at the breach. */
      readonly metAt: Instant | null;
      readonly creditMinor: number;
      readonly yearIndex: number;
      readonly yearTotalMinor: number;
      readonly capMinor: number;
    }
  | {
      readonly type: 'credit.adjusted';
      readonly contract: ContractContext;
      readonly yearIndex: number;
      /** Signed change per breach: positive credits, negative reversals. */
      readonly changes: readonly { readonly caseId: string; readonly kpi: Kpi; readonly amountMinor: number }[];
      readonly previousTotalMinor: number;
      readonly newTotalMinor: number;
      readonly capMinor: number;
    }
  | {
      readonly type: 'credit.cap_reached';
      readonly contract: ContractContext;
      readonly yearIndex: number;
      readonly capMinor: number;
      readonly rightSince: Instant;
      readonly rightUntil: Instant;
    }
  | {
      readonly type: 'renewal.reminder';
      readonly contract: ContractContext;
      readonly termEnd: LocalDate;
      readonly nextFeeMinor: number;
      readonly creditsDeductedMinor: number;
      readonly amountDueMinor: number;
      readonly noticeDeadline: LocalDate;
    }
  | {
      readonly type: 'term.expiry_reminder';
      readonly contract: ContractContext;
      readonly termEnd: LocalDate;
      /** Why the contract ends: no auto-renewal, or a termination given. */
      readonly because: 'no_auto_renew' | 'notice' | 'credit_cap_breach';
      readonly creditsOwedMinor: number;
    }
  | {
      readonly type: 'termination.confirmed';
      readonly contract: ContractContext;
      readonly reason: 'notice' | 'credit_cap_breach';
      readonly requestedAt: Instant;
      /** When the contract ends (exclusive). */
      readonly endsAt: Instant;
      /** The end's local date when the end is a midnight (its last day is the day before), else null. */
      readonly endDate: LocalDate | null;
      /** The contract year holding the request, and the credits booked in it so far. */
      readonly yearIndex: number;
      readonly yearCreditsMinor: number;
      /** The contract ends within that year: its credits are owed in the final statement, not deducted. */
      readonly endsInThisYear: boolean;
      /** Credits of the year before, already closed: deducted from this year's fee (0 in the first year). */
      readonly previousYearCreditsMinor: number;
      /** The local date the final statement is sent: the day the lifecycle handles the end. */
      readonly finalStatementOn: LocalDate;
    }
  | {
      readonly type: 'year.statement';
      readonly contract: ContractContext;
      readonly year: YearFigures;
    }
  | {
      readonly type: 'contract.ended';
      readonly contract: ContractContext;
      readonly endedOn: LocalDate;
      readonly years: readonly YearFigures[];
      readonly creditsOwedMinor: number;
    }
  | {
      readonly type: 'ops.breach_warning';
      readonly contractId: string;
      readonly caseId: string;
      readonly kpi: Kpi;
      readonly deadline: Instant;
      readonly percent: number;
    }
  | {
      readonly type: 'ops.event_rejected';
      readonly contractId: string;
      /** The integration that sent it (identity is source and eventId); absent in notices created before sources. */
      readonly source?: string;
      readonly eventId: string;
      readonly eventType: string;
      readonly reason: string;
    }
  | {
      readonly type: 'ops.parked_events';
      readonly count: number;
      readonly oldestReceivedAt: Instant;
      readonly contractIds: readonly string[];
      /** Parked events that expired this run (older than parkedRetentionDays), recorded as rejected. */
      readonly expired?: { readonly count: number; readonly retentionDays: number; readonly contractIds: readonly string[] };
    }
  | {
      readonly type: 'ops.item_quarantined';
      readonly contractId: string;
      /** What was set aside: a case, the parked events of one case or one parked request, a contract's lifecycle. */
      readonly item: 'case' | 'parked' | 'lifecycle';
      readonly itemId: string;
      readonly attempts: number;
      readonly reason: string;
    }
  | {
      readonly type: 'ops.notice_unknown' | 'ops.notice_failed';
      readonly noticeId: string;
      readonly noticeType: NoticeType;
      readonly contractId: string;
      readonly reason: string;
    }
  | {
      /** SES feedback after it accepted the notice (docs/design.md#7-notices); the address is suppressed. */
      readonly type: 'ops.notice_bounced' | 'ops.notice_complained';
      readonly noticeId: string;
      readonly noticeType: NoticeType;
      readonly contractId: string;
      /** Bounce type and subtype, or the complaint's feedback type: never the address. */
      readonly reason: string;
    };

/** What a pool notice says about its pool (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
export interface PoolContext {
  readonly poolId: string;
  readonly kind: 'exclusive' | 'shared';
  readonly holds: string;
  readonly location: string;
}

/** The pool notices (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
export type PoolNoticePayload =
  | {
      /** To the borrower, before the loan is due. */
      readonly type: 'loan.return_reminder';
      readonly pool: PoolContext;
      readonly unitId: string;
      readonly borrowerName: string;
      /** The contract and case it was lent for, when it was (null: a demonstration loan). */
      readonly contractId: string | null;
      readonly caseId: string | null;
      readonly startedAt: Instant;
      readonly dueAt: Instant;
      /** The zone its dates are shown in (the contract's, or the loan's own). */
      readonly timeZone: string;
    }
  | {
      /** A replacement was requested from an empty pool: the replacement KPI is at risk now. */
      readonly type: 'ops.pool_exhausted';
      readonly pool: PoolContext;
      readonly contractId: string;
      readonly caseId: string;
      readonly units: number;
      readonly out: number;
      readonly requestedAt: Instant;
    }
  | {
      readonly type: 'ops.loan_overdue';
      readonly pool: PoolContext;
      readonly unitId: string;
      readonly borrowerName: string;
      readonly contractId: string | null;
      readonly caseId: string | null;
      readonly startedAt: Instant;
      readonly dueAt: Instant;
      readonly timeZone: string;
    }
  | {
      /** A change took a shared pool below the catalog's target availability. */
      readonly type: 'ops.pool_risk';
      readonly pool: PoolContext;
      /** What changed: a contract entitled, units retired, a slower turnaround, more draws. */
      readonly cause: string;
      readonly units: number;
      readonly out: number;
      readonly contracts: number;
      readonly drawsPerYear: number;
      readonly meanTurnaroundDays: number;
      readonly pEmpty: number;
      readonly targetAvailability: number;
      readonly unitsNeeded: number;
    };

export interface RenderedNotice {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface NoticeRecipient {
  readonly to: string;
  readonly locale: Locale;
}
