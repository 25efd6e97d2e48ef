/**
 * The read model of one contract (docs/design.md#8-read-model-the-statement), built from its terms, breaches, clock outcomes and history.
 */
import { amountDueMinor, creditYear, liabilityCapMinor } from './credits.ts';
import type { BreachRecord, TerminationRight, YearCredits } from './credits.ts';
import { KPIS } from './model.ts';
import type { ContractTerms, Kpi, Locale, Money, ServiceLevel, Termination } from './model.ts';
import { daysOut, exclusiveFeesByYear, isOverdue, type Loan, type PoolKind, type PoolTerms } from './pools.ts';
import {
  bindingEnd,
  contractEndsAt,
  contractYear,
  holdsAt,
  noticeDeadline,
  statusAt,
  termEndAfter,
  yearIndexAt,
} from './terms.ts';
import type { ContractStatus, ContractYear } from './terms.ts';
import { localDateAt } from './time.ts';
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

/** As the outbox holds them (shared/store/notice-repository.ts): bounced and complained come from SES feedback. */
export const NOTICE_STATES = ['pending', 'sending', 'sent', 'unknown', 'failed', 'superseded', 'bounced', 'complained'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

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
  /** Absent = the default source. */
  readonly source?: string;
  readonly type: string;
  readonly reason: string;
}

/** An item the sweep or the lifecycle set aside after it kept failing (docs/design.md#order-and-duplicates), as recorded then. */
export interface QuarantinedItem {
  readonly kind: 'case' | 'parked' | 'lifecycle';
  readonly id: string;
  readonly reason: string;
  readonly attempts: number;
  readonly at: Instant;
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
  /** Absent: none. */
  readonly quarantined?: readonly QuarantinedItem[];
  /** The pools the contract may draw from and its loans from them; absent: none. */
  readonly pools?: StatementPoolsInput;
  readonly asOf: Instant;
}

/** What the statement needs of a contract's pools (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
export interface StatementPoolsInput {
  readonly pools: readonly PoolTerms[];
  /** The contract's loans (swaps left out), each with its due instant as the rules read it and who holds it. */
  readonly loans: readonly { readonly loan: Loan; readonly dueAt: Instant | null; readonly borrower: string }[];
}

export interface StatementPool {
  readonly poolId: string;
  readonly kind: PoolKind;
  readonly location: string;
  readonly holds: string;
  /** An exclusive pool's up-front fee; null for a shared pool. */
  readonly upFrontFee: Money | null;
}

export interface StatementLoan {
  readonly poolId: string;
  readonly unitId: string;
  readonly caseId: string | null;
  /** Who holds (held) the unit: the borrower's name. */
  readonly borrower: string;
  readonly startedAt: Instant;
  /** Null while its case is open (a case loan is due `loanReturnDays` after the case ends). */
  readonly dueAt: Instant | null;
  /** When it came back (or was used up); null while out. */
  readonly returnedAt: Instant | null;
  readonly overdue: boolean;
  /** Whole days out, to its return or to the statement instant. */
  readonly daysOut: number;
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
  /** Credits carried as a discount to the next year's fee; 0 in the year the contract ends (they are owed). */
  readonly carriedToNextYearMinor: number;
  /** The next year's fee less the carried credits; 0 when the contract ends with this year. */
  readonly amountDueNextYearMinor: number;
  /** Up-front fees of the contract's exclusive pools registered in this year (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
  readonly exclusivePoolFeesMinor: number;
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
  readonly quarantined: readonly QuarantinedItem[];
  /** The pools the contract may draw from, by id. */
  readonly pools: readonly StatementPool[];
  /** Its loans, in the order they started: open, returned and overdue. */
  readonly loans: readonly StatementLoan[];
}

export function buildStatement(input: StatementInput): ContractStatement {
  const { terms, level, termination, asOf } = input;
  const endsAt = contractEndsAt(terms, termination);
  const status = statusAt(terms, termination, asOf);
  const credits = creditsByYear(terms, level, input.breaches);
  const feeMinor = terms.annualFee.minor;
  const poolFees = exclusiveFeesByYear(terms.contractId, input.pools?.pools ?? [], (at) => yearIndexAt(terms, at));

  const years = yearsBegunBy(terms, endsAt, asOf).map((year) => ({
    ...yearStatement(year, feeMinor, credits.get(year.index) ?? noCredits(terms, level), endsAt, input),
    exclusivePoolFeesMinor: poolFees.get(year.index) ?? 0,
  }));
  const lastYear = years.at(-1);

  // The term the contract is in as of asOf, or the one it ended in.
  const reference = endsAt === null ? asOf : Math.min(asOf, endsAt - 1);
  const currentTermEnd = termEndAfter(terms, localDateAt(reference, terms.timeZone));
  return {
    contractId: terms.contractId,
    status,
    serviceLevel: terms.serviceLevel,
    currency: terms.annualFee.currency,
    terms: {
      start: terms.startDate,
      bindingEnd: bindingEnd(terms),
      currentTermEnd,
      noticeDeadline: noticeDeadline(terms, currentTermEnd),
      endsAt,
    },
    terminationRight: status === 'ended' ? null : terminationRightAt(credits, asOf),
    liabilityCapMinor: liabilityCapMinor(feeMinor, level.liabilityCapPercent),
    years,
    creditsOwedMinor: status === 'ended' && lastYear !== undefined ? lastYear.creditsMinor : 0,
    ledger: input.ledger,
    notices: input.notices,
    rejected: input.rejected,
    parked: input.parked,
    quarantined: input.quarantined ?? [],
    ...statementPools(input.pools, asOf),
  };
}

function statementPools(input: StatementPoolsInput | undefined, asOf: Instant): Pick<ContractStatement, 'pools' | 'loans'> {
  if (input === undefined) return { pools: [], loans: [] };
  const pools = [...input.pools]
    .sort((a, b) => (a.poolId < b.poolId ? -1 : a.poolId > b.poolId ? 1 : 0))
    .map(({ poolId, kind, location, holds, exclusiveTo }) => ({ poolId, kind, location, holds, upFrontFee: exclusiveTo?.upFrontFee ?? null }));
  const loans = input.loans
    .filter(({ loan }) => loan.startedAt <= asOf)
    .sort((a, b) => (a.loan.startedAt !== b.loan.startedAt ? a.loan.startedAt - b.loan.startedAt : a.loan.unitId < b.loan.unitId ? -1 : a.loan.unitId > b.loan.unitId ? 1 : 0))
    .map(({ loan, dueAt, borrower }) => {
      // A loan that ends after the statement instant is still out as of it.
      const asOfLoan = loan.endedAt !== null && loan.endedAt > asOf ? { ...loan, endedAt: null } : loan;
      return {
        poolId: loan.poolId,
        unitId: loan.unitId,
        caseId: loan.caseId,
        borrower,
        startedAt: loan.startedAt,
        dueAt,
        returnedAt: asOfLoan.endedAt,
        overdue: isOverdue(asOfLoan, dueAt, asOf),
        daysOut: daysOut(asOfLoan, asOf),
      };
    });
  return { pools, loans };
}

/** Credits of every contract year that has a breach, keyed by year index (the year holding the deadline). */
export function creditsByYear(
  terms: ContractTerms,
  level: ServiceLevel,
  breaches: readonly BreachRecord[],
): Map<number, YearCredits> {
  const byYear = new Map<number, BreachRecord[]>();
  for (const breach of breaches) {
    const index = yearIndexAt(terms, breach.deadline);
    byYear.set(index, [...(byYear.get(index) ?? []), breach]);
  }
  const credits = new Map<number, YearCredits>();
  for (const [index, yearBreaches] of byYear) {
    credits.set(index, creditYear({
      feeMinor: terms.annualFee.minor,
      capPercent: level.creditCapPercent,
      terminationWindowDays: level.terminationWindowDays,
      timeZone: terms.timeZone,
      breaches: yearBreaches,
    }));
  }
  return credits;
}

/**
 * The termination right the customer holds at `at`, whichever year's cap opened it. Rights of two years
 * may overlap (a cap reached late in one year, again early in the next): the one that holds longest.
 */
export function terminationRightAt(credits: ReadonlyMap<number, YearCredits>, at: Instant): TerminationRight | null {
  let held: TerminationRight | null = null;
  for (const { terminationRight: right } of credits.values()) {
    if (holdsAt(right, at) && (held === null || right.until > held.until)) held = right;
  }
  return held;
}

function yearsBegunBy(terms: ContractTerms, endsAt: Instant | null, asOf: Instant): ContractYear[] {
  const years: ContractYear[] = [];
  for (let index = 1; ; index += 1) {
    const year = contractYear(terms, index);
    if (year.startsAt > asOf || (endsAt !== null && year.startsAt >= endsAt)) return years;
    years.push(year);
  }
}

function noCredits(terms: ContractTerms, level: ServiceLevel): YearCredits {
  return creditYear({
    feeMinor: terms.annualFee.minor,
    capPercent: level.creditCapPercent,
    terminationWindowDays: level.terminationWindowDays,
    timeZone: terms.timeZone,
    breaches: [],
  });
}

function yearStatement(
  year: ContractYear,
  feeMinor: number,
  credits: YearCredits,
  contractEndsAt: Instant | null,
  input: StatementInput,
): Omit<YearStatement, 'exclusivePoolFeesMinor'> {
  // The year the contract ends in has no next year to discount: its credits are owed at the end instead.
  const hasNextYear = contractEndsAt === null || year.endsAt < contractEndsAt;
  const inYear = (deadline: Instant): boolean => deadline >= year.startsAt && deadline < year.endsAt;
  const outcomes = input.outcomes.filter((o) => inYear(o.deadline));
  const kpisMetPercent: Record<Kpi, number | null> = { firstResponse: null, onSite: null, replacement: null, resolution: null };
  for (const kpi of KPIS) kpisMetPercent[kpi] = metPercent(outcomes.filter((o) => o.kpi === kpi));
  return {
    index: year.index,
    start: year.start,
    end: year.end,
    feeMinor,
    breaches: countPerKpi(credits.breaches),
    kpisMetPercent,
    creditsMinor: credits.totalMinor,
    capMinor: credits.capMinor,
    capReached: credits.capReached,
    carriedToNextYearMinor: hasNextYear ? credits.totalMinor : 0,
    amountDueNextYearMinor: hasNextYear ? amountDueMinor(feeMinor, credits.totalMinor) : 0,
  };
}

function countPerKpi(breaches: readonly BreachRecord[]): Record<Kpi, number> {
  const counts: Record<Kpi, number> = { firstResponse: 0, onSite: 0, replacement: 0, resolution: 0 };
  for (const breach of breaches) counts[breach.kpi] += 1;
  return counts;
}

/** Share of decided clocks met in time, in % with one decimal rounded half up; null when none was decided. */
function metPercent(outcomes: readonly ClockOutcome[]): number | null {
  if (outcomes.length === 0) return null;
  const met = outcomes.filter((o) => !o.breached).length;
  return Math.round((met * 1000) / outcomes.length) / 10;
}
