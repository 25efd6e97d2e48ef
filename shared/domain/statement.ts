/**
 * The read model of one contract (docs/design.md#8-read-model-the-statement), built from its terms, breaches, clock outcomes and history.
 */
import { amountDueMinor, creditYear, liabilityCapMinor } from './credits.ts';
import type { BreachRecord, TerminationRight, YearCredits } from './credits.ts';
import { KPIS } from './model.ts';
import { monthsOf } from './months.ts';
import type { MonthStatement } from './months.ts';
import type { CaseEvent, ContractTerms, CostRates, Kpi, Locale, Money, ReportedVisit, ServiceLevel, Termination } from './model.ts';
import { poolYearCost, yearEconomics, type ClockCounts, type PoolHolding, type YearEconomics } from './economics.ts';
import { casePausedTime, type CasePausedTime } from './pauses.ts';
import { noCostRates } from './visit-cost.ts';
import { daysOut, exclusiveFeesByYear, isOverdue, poolHoldingsOfYear, type Loan, type PoolCarried, type PoolKind, type PoolTerms } from './pools.ts';
import {
  bindingEnd,
  contractEndsAt,
  contractYear,
  feeOfYear,
  holdsAt,
  levelOfYear,
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
  /** The registered level; every year's when the contract's level never changes. */
  readonly level: ServiceLevel;
  /** The catalog's levels by key, needed once a contract's level changes (docs/design.md#12-contract-changes-and-billing). */
  readonly levelOf?: (serviceLevel: string) => ServiceLevel;
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
  /** Every case event of the contract: visits and pauses are read from them. Absent: none. */
  readonly caseEvents?: readonly CaseEvent[];
  /** The pools the contract held per contract year (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). Absent: none. */
  readonly poolHoldings?: readonly { readonly yearIndex: number; readonly holding: PoolHolding }[];
  /** The catalog's cost rates (pool carrying cost); absent: every rate is 0. */
  readonly costRates?: CostRates;
  /** The pools the contract may draw from and its loans from them; absent: none. */
  readonly pools?: StatementPoolsInput;
  readonly asOf: Instant;
}

/** What the statement needs of a contract's pools (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
export interface StatementPoolsInput {
  readonly pools: readonly PoolTerms[];
  /** Each pool's units and draws, for its carrying cost in the economics; absent: no carrying cost. */
  readonly histories?: readonly PoolCarried[];
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
  /** The service level of the year (catalog key). */
  readonly serviceLevel: string;
  readonly breaches: Readonly<Record<Kpi, number>>;
  /** Per KPI: decided clocks met in time, in % with one decimal; null when none was decided. */
  readonly kpisMetPercent: Readonly<Record<Kpi, number | null>>;
  readonly creditsMinor: number;
  readonly capMinor: number;
  readonly capReached: boolean;
  /** Credits carried as a discount to the next year's fee; 0 in the year the contract ends (they are owed). */
  readonly carriedToNextYearMinor: number;
  /** The next year's own fee (an amendment may have changed it); null when the contract ends with this year. */
  readonly nextYearFeeMinor: number | null;
  /** The next year's fee less the carried credits, never below zero; 0 when the contract ends with this year. */
  readonly amountDueNextYearMinor: number;
  /** Per KPI: clocks decided in the year (deadline in it) and how many breached; the breach rate's figures. */
  readonly clocks: Readonly<Record<Kpi, ClockCounts>>;
  /** Visits, revenue, cost to serve and margin (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). */
  readonly economics: YearEconomics;
  /** Up-front fees of the contract's exclusive pools registered in this year (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
  readonly exclusivePoolFeesMinor: number;
}

export interface ContractStatement {
  readonly contractId: string;
  /** The customer's name as in force (for an invoice run; never logged). */
  readonly customerName: string;
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
  /** Calendar months from the start to the statement instant or the end: the replay report's series. */
  readonly months: readonly MonthStatement[];
  /** Credits owed to the customer at the end (final statement); 0 while active. */
  readonly creditsOwedMinor: number;
  readonly ledger: readonly LedgerEntry[];
  readonly notices: readonly NoticeSummary[];
  readonly rejected: readonly RejectedEvent[];
  readonly parked: readonly ParkedEvent[];
  readonly quarantined: readonly QuarantinedItem[];
  /** Cases that were ever paused, with each pause (reason, from, to): force majeure is settled from it. */
  readonly pausedTime: readonly CasePausedTime[];
  /** The pools the contract may draw from, by id. */
  readonly pools: readonly StatementPool[];
  /** Its loans, in the order they started: open, returned and overdue. */
  readonly loans: readonly StatementLoan[];
}

export function buildStatement(input: StatementInput): ContractStatement {
  const { terms, level, termination, asOf } = input;
  const endsAt = contractEndsAt(terms, termination);
  const status = statusAt(terms, termination, asOf);
  const credits = creditsByYear(terms, level, input.breaches, input.levelOf);
  const levelOf = levelResolver(level, input.levelOf);

  const poolFees = exclusiveFeesByYear(terms.contractId, input.pools?.pools ?? [], (at) => yearIndexAt(terms, at));

  const years = yearsBegunBy(terms, endsAt, asOf).map((year) => ({
    ...yearStatement(year, terms, credits.get(year.index) ?? noCredits(terms, levelOf, year.index), endsAt, input),
    exclusivePoolFeesMinor: poolFees.get(year.index) ?? 0,
  }));
  // The year in force at asOf (or the last one): its level is shown, its fee is the last twelve months' for the liability cap.
  const currentIndex = Math.max(1, yearIndexAt(terms, endsAt === null ? asOf : Math.min(asOf, endsAt - 1)));
  const currentLevel = levelOf(levelOfYear(terms, currentIndex));
  const lastYear = years.at(-1);

  // The term the contract is in as of asOf, or the one it ended in.
  const reference = endsAt === null ? asOf : Math.min(asOf, endsAt - 1);
  const currentTermEnd = termEndAfter(terms, localDateAt(reference, terms.timeZone));
  return {
    contractId: terms.contractId,
    customerName: terms.customer.name,
    status,
    serviceLevel: currentLevel.key,
    currency: terms.annualFee.currency,
    terms: {
      start: terms.startDate,
      bindingEnd: bindingEnd(terms),
      currentTermEnd,
      noticeDeadline: noticeDeadline(terms, currentTermEnd),
      endsAt,
    },
    terminationRight: status === 'ended' ? null : terminationRightAt(credits, asOf),
    liabilityCapMinor: liabilityCapMinor(feeOfYear(terms, currentIndex), currentLevel.liabilityCapPercent),
    years,
    months: monthsOf({
      terms,
      credits,
      capOf: (index) => noCredits(terms, levelOf, index).capMinor,
      outcomes: input.outcomes,
      until: endsAt === null ? asOf : Math.min(asOf, endsAt),
    }),
    creditsOwedMinor: status === 'ended' && lastYear !== undefined ? lastYear.creditsMinor : 0,
    ledger: input.ledger,
    notices: input.notices,
    rejected: input.rejected,
    parked: input.parked,
    quarantined: input.quarantined ?? [],
    pausedTime: pausedTimeOf(input.caseEvents ?? [], input.asOf, endsAt),
    ...statementPools(input.pools, asOf),
  };
}

/** The cases that were ever paused: only a `case.paused` opens a pause, so the others have none to show. */
function pausedTimeOf(events: readonly CaseEvent[], asOf: Instant, endsAt: Instant | null): CasePausedTime[] {
  const paused = new Set<string>();
  for (const event of events) if (event.type === 'case.paused') paused.add(event.caseId);
  const byCase = new Map<string, CaseEvent[]>();
  for (const event of events) {
    if (!paused.has(event.caseId)) continue;
    const ofCase = byCase.get(event.caseId);
    if (ofCase === undefined) byCase.set(event.caseId, [event]);
    else ofCase.push(event);
  }
  return [...byCase.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([caseId, caseEvents]) => casePausedTime(caseId, caseEvents, asOf, endsAt))
    .filter((time) => time.pauses.length > 0);
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
  levelOf?: (serviceLevel: string) => ServiceLevel,
): Map<number, YearCredits> {
  const levels = levelResolver(level, levelOf);
  const byYear = new Map<number, BreachRecord[]>();
  const yearIndexOf = yearIndexer(terms);
  for (const breach of breaches) {
    const index = yearIndexOf(breach.deadline);
    const ofYear = byYear.get(index);
    if (ofYear === undefined) byYear.set(index, [breach]);
    else ofYear.push(breach);
  }
  const credits = new Map<number, YearCredits>();
  for (const [index, yearBreaches] of byYear) credits.set(index, creditsOfYear(terms, levels, index, yearBreaches));
  return credits;
}

/** A year's credits on its own fee and under its own level's cap (docs/design.md#12-contract-changes-and-billing). */
export function creditsOfYear(
  terms: ContractTerms,
  levelOf: (serviceLevel: string) => ServiceLevel,
  index: number,
  breaches: readonly BreachRecord[],
): YearCredits {
  const level = levelOf(levelOfYear(terms, index));
  return creditYear({
    feeMinor: feeOfYear(terms, index),
    capPercent: level.creditCapPercent,
    terminationWindowDays: level.terminationWindowDays,
    timeZone: terms.timeZone,
    breaches,
  });
}

/** Levels by key: the given level for its own key; any other needs the catalog's (a loud error, not a silent wrong cap). */
export function levelResolver(
  level: ServiceLevel,
  levelOf: ((serviceLevel: string) => ServiceLevel) | undefined,
): (serviceLevel: string) => ServiceLevel {
  return (key) => {
    if (levelOf !== undefined) return levelOf(key);
    if (key === level.key) return level;
    throw new RangeError(`service level ${key} of an amended contract needs the catalog's levels (levelOf)`);
  };
}

/**
 * `yearIndexAt` for many instants of one contract: each year's boundaries computed once (zone
 * arithmetic through Intl is the costly step; a portfolio's statements ask it for every breach).
 */
function yearIndexer(terms: ContractTerms): (at: Instant) => number {
  const years = new Map<number, ContractYear>();
  const year = (index: number): ContractYear => {
    let known = years.get(index);
    if (known === undefined) {
      known = contractYear(terms, index);
      years.set(index, known);
    }
    return known;
  };
  return (at) => {
    if (at < year(1).startsAt) return 0;
    let index = 1;
    while (year(index).endsAt <= at) index += 1;
    return index;
  };
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

function noCredits(terms: ContractTerms, levelOf: (serviceLevel: string) => ServiceLevel, index: number): YearCredits {
  return creditsOfYear(terms, levelOf, index, []);
}

function yearStatement(
  year: ContractYear,
  terms: ContractTerms,
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
  const nextYearFeeMinor = hasNextYear ? feeOfYear(terms, year.index + 1) : null;
  const clocks = Object.fromEntries(
    KPIS.map((kpi) => {
      const decided = outcomes.filter((o) => o.kpi === kpi);
      return [kpi, { decided: decided.length, breached: decided.filter((o) => o.breached).length }];
    }),
  ) as Record<Kpi, ClockCounts>;
  const visits: ReportedVisit[] = [];
  for (const event of input.caseEvents ?? []) {
    if (event.type === 'case.visit_reported' && inYear(event.occurredAt) && event.occurredAt <= input.asOf) visits.push(event.visit);
  }
  const currency = input.terms.annualFee.currency;
  const rates = input.costRates ?? noCostRates(currency);
  const holdings = [
    ...(input.poolHoldings ?? []).filter((held) => held.yearIndex === year.index).map((held) => held.holding),
    ...poolHoldingsOfYear(terms.contractId, year.index, input.pools?.histories ?? [], (at) => yearIndexAt(terms, at)),
  ];
  const pools = holdings.map((holding) => poolYearCost(holding, rates, currency));
  const feeMinor = credits.feeMinor;
  const economics = yearEconomics({
    feeMinor,
    creditsMinor: credits.totalMinor,
    visits,
    pools,
    liabilityCapMinor: liabilityCapMinor(feeMinor, levelResolver(input.level, input.levelOf)(levelOfYear(terms, year.index)).liabilityCapPercent),
  });
  return {
    index: year.index,
    start: year.start,
    end: year.end,
    feeMinor: credits.feeMinor,
    serviceLevel: levelOfYear(terms, year.index),
    breaches: countPerKpi(credits.breaches),
    kpisMetPercent,
    creditsMinor: credits.totalMinor,
    capMinor: credits.capMinor,
    capReached: credits.capReached,
    carriedToNextYearMinor: hasNextYear ? credits.totalMinor : 0,
    nextYearFeeMinor,
    amountDueNextYearMinor: nextYearFeeMinor === null ? 0 : amountDueMinor(nextYearFeeMinor, credits.totalMinor),
    clocks,
    economics,
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
