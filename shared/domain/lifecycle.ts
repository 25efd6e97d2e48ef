/**
 * What a contract-local date brings to a contract (docs/design.md#4-contracts, docs/design.md#5-cases-clocks-breaches-credits, docs/design.md#7-notices): reminders before a term end,
 * the close of a contract year, a renewal, the end, a termination right lapsing — and the next date
 * that brings anything. Pure: the lifecycle use case turns one day's occurrences into one transaction.
 *
 * Day D stands for the instants in (start of D-1, start of D]: a term end or anniversary at midnight is
 * handled on its own date, a termination for breach at 14:00 on the following morning.
 */
import { amountDueMinor, type TerminationRight, type YearCredits } from './credits.ts';
import type { ContractTerms, ServiceLevel, Termination, TerminationReason } from './model.ts';
import { buildStatement, creditsByYear, type ClockOutcome, type YearStatement } from './statement.ts';
import type { BreachRecord } from './credits.ts';
import { allReminderDays, contractEndsAt, feeOfYear, noticeDeadline, termEndAfter, termSettings, yearIndexAt } from './terms.ts';
import { addDays, addYears, localDateAt, splitDate, startOfLocalDate, type Instant, type LocalDate } from './time.ts';

/** Everything the planner needs to know about one contract. */
export interface LifecycleSubject {
  readonly terms: ContractTerms;
  readonly level: ServiceLevel;
  /** The catalog's levels by key, for a contract whose level changes (docs/design.md#12-contract-changes-and-billing). */
  readonly levelOf?: (serviceLevel: string) => ServiceLevel;
  readonly termination: Termination | null;
  /** Every declared breach of the contract (any year). */
  readonly breaches: readonly BreachRecord[];
  /** Decided clocks, for "KPIs met in %"; only read on days that close a year or end the contract. */
  readonly outcomes: readonly ClockOutcome[];
}

export type EndCause = 'no_auto_renew' | TerminationReason;

export type LifecycleOccurrence =
  | {
      readonly kind: 'renewalReminder';
      readonly termEnd: LocalDate;
      readonly daysBefore: number;
      readonly nextFeeMinor: number;
      readonly creditsDeductedMinor: number;
      readonly amountDueMinor: number;
      readonly noticeDeadline: LocalDate;
    }
  | {
      readonly kind: 'expiryReminder';
      readonly termEnd: LocalDate;
      readonly daysBefore: number;
      readonly because: EndCause;
      readonly creditsOwedMinor: number;
    }
  | { readonly kind: 'yearClosed'; readonly year: YearStatement }
  | { readonly kind: 'renewed'; readonly termEnd: LocalDate; readonly nextTermEnd: LocalDate }
  | {
      readonly kind: 'ended';
      readonly endedOn: LocalDate;
      readonly endsAt: Instant;
      readonly because: EndCause;
      readonly years: readonly YearStatement[];
      readonly creditsOwedMinor: number;
    }
  | { readonly kind: 'terminationRightLapsed'; readonly yearIndex: number; readonly right: TerminationRight };

export type LifecycleOccurrenceKind = LifecycleOccurrence['kind'];

export interface DayPlan {
  readonly date: LocalDate;
  readonly occurrences: readonly LifecycleOccurrence[];
  /** The contract has ended by the start of this date: nothing follows. */
  readonly ended: boolean;
}

interface ContractEnd {
  readonly endsAt: Instant;
  /** The date a reader names: the term end for a midnight end, the local date of the instant otherwise. */
  readonly endedOn: LocalDate;
  /** The first date whose start is at or after the end: the day that handles it. */
  readonly handledOn: LocalDate;
  readonly because: EndCause;
  /**
   * The local date of the termination request that set this end, or null for an end known from the
   * start (no renewal). A reminder of the end dated before it is not sent (docs/design.md#order-and-duplicates): its day passed
   * before the event that made it due.
   */
  readonly knownSince: LocalDate | null;
}

// A run plans many days of one subject: its end and credits are derived once per subject object.
interface Derived {
  readonly end: ContractEnd | null;
  readonly credits: ReadonlyMap<number, YearCredits>;
  /** Termination rights by year, with the date that handles their lapse. */
  readonly rights: readonly { readonly yearIndex: number; readonly right: TerminationRight; readonly lapsesOn: LocalDate }[];
}

const derived = new WeakMap<LifecycleSubject, Derived>();

function derive(subject: LifecycleSubject): Derived {
  const cached = derived.get(subject);
  if (cached !== undefined) return cached;
  const credits = creditsByYear(subject.terms, subject.level, subject.breaches, subject.levelOf);
  const rights = [...credits.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([yearIndex, year]) => {
      const right = year.terminationRight;
      return right === null ? [] : [{ yearIndex, right, lapsesOn: dayHandling(subject.terms, right.until) }];
    });
  const found: Derived = { end: endOf(subject), credits, rights };
  derived.set(subject, found);
  return found;
}

function endOf(subject: LifecycleSubject): ContractEnd | null {
  const { terms, termination } = subject;
  const endsAt = contractEndsAt(terms, termination);
  if (endsAt === null) return null;
  const byTermination = termination !== null && termination.effectiveAt === endsAt;
  return {
    endsAt,
    endedOn: localDateAt(endsAt, terms.timeZone),
    handledOn: dayHandling(terms, endsAt),
    because: byTermination ? termination.reason : 'no_auto_renew',
    knownSince: byTermination ? localDateAt(termination.requestedAt, terms.timeZone) : null,
  };
}

/** Whether a reminder of `end` dated `date` is due: not when its day passed before the end was known. */
function remindsOf(end: ContractEnd, date: LocalDate): boolean {
  return end.knownSince === null || date >= end.knownSince;
}

/** n when `date` is the n-th anniversary of the start (n ≥ 1), else 0. Counted from the start, so 29 Feb never drifts. */
function anniversaryIndex(terms: ContractTerms, date: LocalDate): number {
  const years = splitDate(date)[0] - splitDate(terms.startDate)[0];
  return years >= 1 && addYears(terms.startDate, years) === date ? years : 0;
}

function isTermEnd(terms: ContractTerms, date: LocalDate): boolean {
  return anniversaryIndex(terms, date) >= terms.bindingYears;
}

function creditsOf(credits: ReadonlyMap<number, YearCredits>, index: number): number {
  return credits.get(index)?.totalMinor ?? 0;
}

/** What `date` brings, in a stable order: the end alone, or reminders, then the year's close, renewal, lapses. */
export function planDay(subject: LifecycleSubject, date: LocalDate): DayPlan {
  const { terms } = subject;
  if (date < terms.startDate) return { date, occurrences: [], ended: false };
  const { end, credits, rights } = derive(subject);
  if (end !== null && date >= end.handledOn) return { date, occurrences: [ended(subject, end)], ended: true };

  const occurrences: LifecycleOccurrence[] = [
    ...reminders(subject, date, end, credits),
    ...yearClose(subject, date),
    ...renewal(terms, date),
    ...rights
      .filter((held) => held.lapsesOn === date)
      .map(({ yearIndex, right }): LifecycleOccurrence => ({ kind: 'terminationRightLapsed', yearIndex, right })),
  ];
  return { date, occurrences, ended: false };
}

function ended(subject: LifecycleSubject, end: ContractEnd): LifecycleOccurrence {
  const statement = buildStatement(statementInput(subject, end.endsAt));
  return {
    kind: 'ended',
    endedOn: end.endedOn,
    endsAt: end.endsAt,
    because: end.because,
    years: statement.years,
    creditsOwedMinor: statement.creditsOwedMinor,
  };
}

function reminders(
  subject: LifecycleSubject,
  date: LocalDate,
  end: ContractEnd | null,
  credits: ReadonlyMap<number, YearCredits>,
): LifecycleOccurrence[] {
  const { terms } = subject;
  const found: LifecycleOccurrence[] = [];
  for (const daysBefore of allReminderDays(terms).sort((a, b) => b - a)) {
    const termEnd = addDays(date, daysBefore);
    // Each term has its own reminder days once amended (docs/design.md#12-contract-changes-and-billing).
    if (!termSettings(terms, termEnd).reminderDays.includes(daysBefore)) continue;
    if (end !== null && termEnd === end.endedOn) {
      if (!remindsOf(end, date)) continue;
      const lastYear = yearIndexAt(terms, end.endsAt - 1);
      found.push({ kind: 'expiryReminder', termEnd, daysBefore, because: end.because, creditsOwedMinor: creditsOf(credits, lastYear) });
    } else if (isTermEnd(terms, termEnd) && (end === null || startOfLocalDate(termEnd, terms.timeZone) < end.endsAt)) {
      // Credits of the year ending at this term end are the discount on the next year's fee (that year's own fee).
      const endingYear = anniversaryIndex(terms, termEnd);
      const creditsDeductedMinor = creditsOf(credits, endingYear);
      const nextFeeMinor = feeOfYear(terms, endingYear + 1);
      found.push({
        kind: 'renewalReminder',
        termEnd,
        daysBefore,
        nextFeeMinor,
        creditsDeductedMinor,
        amountDueMinor: amountDueMinor(nextFeeMinor, creditsDeductedMinor),
        noticeDeadline: noticeDeadline(terms, termEnd),
      });
    }
  }
  return found;
}

function yearClose(subject: LifecycleSubject, date: LocalDate): LifecycleOccurrence[] {
  const index = anniversaryIndex(subject.terms, date);
  if (index === 0) return [];
  const asOf = startOfLocalDate(date, subject.terms.timeZone) - 1;
  const year = buildStatement(statementInput(subject, asOf)).years.find((y) => y.index === index);
  return year === undefined ? [] : [{ kind: 'yearClosed', year }];
}

function renewal(terms: ContractTerms, date: LocalDate): LifecycleOccurrence[] {
  return isTermEnd(terms, date) ? [{ kind: 'renewed', termEnd: date, nextTermEnd: termEndAfter(terms, date) }] : [];
}

/** The date whose window (start of the day before, start of the date] holds `instant`. */
function dayHandling(terms: ContractTerms, instant: Instant): LocalDate {
  const date = localDateAt(instant, terms.timeZone);
  return startOfLocalDate(date, terms.timeZone) === instant ? date : addDays(date, 1);
}

function statementInput(subject: LifecycleSubject, asOf: Instant): Parameters<typeof buildStatement>[0] {
  return {
    terms: subject.terms,
    level: subject.level,
    ...(subject.levelOf === undefined ? {} : { levelOf: subject.levelOf }),
    termination: subject.termination,
    breaches: subject.breaches,
    outcomes: subject.outcomes,
    ledger: [],
    notices: [],
    rejected: [],
    parked: [],
    asOf,
  };
}

/** Whether a plan carries year figures, which need the contract's decided clocks. */
export function needsClockOutcomes(plan: DayPlan): boolean {
  return plan.occurrences.some((o) => o.kind === 'yearClosed' || o.kind === 'ended');
}

/**
 * The first date after `after` whose plan is not empty: the contract's next attention date. Every date
 * from the end on plans the end, so a contract whose end was handled is dropped by the caller, not here.
 */
export function nextLifecycleDate(subject: LifecycleSubject, after: LocalDate): LocalDate {
  const { terms } = subject;
  const from = after < terms.startDate ? addDays(terms.startDate, -1) : after;
  const { end, rights } = derive(subject);
  const candidates: LocalDate[] = [];
  if (end !== null) candidates.push(end.handledOn > from ? end.handledOn : addDays(from, 1));

  const [fromYear] = splitDate(from);
  const [startYear] = splitDate(terms.startDate);
  let years = Math.max(1, fromYear - startYear);
  while (addYears(terms.startDate, years) <= from) years += 1;
  candidates.push(addYears(terms.startDate, years));

  for (const daysBefore of allReminderDays(terms)) {
    const termEnd = termEndAfter(terms, addDays(from, daysBefore));
    if (end === null || startOfLocalDate(termEnd, terms.timeZone) < end.endsAt) candidates.push(addDays(termEnd, -daysBefore));
    if (end !== null && end.endedOn > addDays(from, daysBefore) && remindsOf(end, addDays(end.endedOn, -daysBefore))) {
      candidates.push(addDays(end.endedOn, -daysBefore));
    }
  }

  for (const { lapsesOn } of rights) if (lapsesOn > from) candidates.push(lapsesOn);
  return candidates.reduce((earliest, candidate) => (candidate < earliest ? candidate : earliest));
}

/**
 * The next lifecycle date once a termination is accepted: its end, or a reminder of it, may come before
 * the date already planned (a termination for breach mid-term). Reminders dated before the request are
 * never sent, so they are not waited for. A date already passed is kept: the run handles it late.
 */
export function lifecycleDateWithTermination(
  terms: ContractTerms,
  planned: LocalDate | null,
  termination: Termination,
): LocalDate | null {
  if (planned === null) return null;
  const endedOn = localDateAt(termination.effectiveAt, terms.timeZone);
  const requestedOn = localDateAt(termination.requestedAt, terms.timeZone);
  const reminders = allReminderDays(terms).map((days) => addDays(endedOn, -days)).filter((date) => date >= requestedOn);
  return [dayHandling(terms, termination.effectiveAt), ...reminders].reduce((earliest, date) => (date < earliest ? date : earliest), planned);
}
