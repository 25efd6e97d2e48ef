/**
 * Contract terms over time (docs/design.md#4-contracts): contract years, binding end, term ends with tacit renewal,
 * notice, termination for breach and the contract's status.
 */
import type { TerminationRight } from './credits.ts';
import type { ContractTerms, Termination, TerminationReason, TermsChange } from './model.ts';
import type { Instant, LocalDate } from './time.ts';
import { addDays, addYears, localDateAt, splitDate, startOfLocalDate, toIso } from './time.ts';

export interface ContractYear {
  readonly index: number;
  readonly start: LocalDate;
  /** Exclusive. */
  readonly end: LocalDate;
  readonly startsAt: Instant;
  readonly endsAt: Instant;
}

export type ContractStatus = 'active' | 'ending' | 'ended';

export interface TerminationRequest {
  readonly eventId: string;
  readonly reason: TerminationReason;
  readonly requestedAt: Instant;
  readonly effectiveDate?: LocalDate;
}

export type TerminationDecision =
  | { readonly accepted: true; readonly termination: Termination }
  | { readonly accepted: false; readonly reason: string };

/** Start + n years, always counted from the start date so a 31st or 29 February never drifts. */
function anniversary(terms: ContractTerms, years: number): LocalDate {
  return addYears(terms.startDate, years);
}

export function contractYear(terms: ContractTerms, index: number): ContractYear {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`contract years start at 1, got ${index}`);
  const start = anniversary(terms, index - 1);
  const end = anniversary(terms, index);
  return {
    index,
    start,
    end,
    startsAt: startOfLocalDate(start, terms.timeZone),
    endsAt: startOfLocalDate(end, terms.timeZone),
  };
}

/** Index of the contract year containing `at` (1-based); 0 before the start. Ignores any end. */
export function yearIndexAt(terms: ContractTerms, at: Instant): number {
  if (at < startOfLocalDate(terms.startDate, terms.timeZone)) return 0;
  const [localYear] = splitDate(localDateAt(at, terms.timeZone));
  const [startYear] = splitDate(terms.startDate);
  let index = Math.max(1, localYear - startYear + 1);
  while (index > 1 && contractYear(terms, index).startsAt > at) index -= 1;
  while (contractYear(terms, index).endsAt <= at) index += 1;
  return index;
}

export function bindingEnd(terms: ContractTerms): LocalDate {
  return anniversary(terms, terms.bindingYears);
}

/**
 * The first term end strictly after `date` (binding end, then yearly). This is the calendar of term
 * ends; whether the contract renews past the binding end is `contractEndsAt`'s business.
 */
export function termEndAfter(terms: ContractTerms, date: LocalDate): LocalDate {
  const binding = bindingEnd(terms);
  if (date < binding) return binding;
  const [year] = splitDate(date);
  const [startYear] = splitDate(terms.startDate);
  let years = Math.max(terms.bindingYears, year - startYear);
  while (anniversary(terms, years) <= date) years += 1;
  return anniversary(terms, years);
}

/** Last local date on which notice can be given to end the contract at `termEnd` (that term's notice period). */
export function noticeDeadline(terms: ContractTerms, termEnd: LocalDate): LocalDate {
  return addDays(termEnd, -termSettings(terms, termEnd).noticeDays);
}

/** When the contract ends given its termination (if any); null when it renews indefinitely. */
export function contractEndsAt(terms: ContractTerms, termination: Termination | null): Instant | null {
  const expiresOn = expiryDate(terms);
  const expiry = expiresOn === null ? null : startOfLocalDate(expiresOn, terms.timeZone);
  if (termination === null) return expiry;
  return expiry === null ? termination.effectiveAt : Math.min(expiry, termination.effectiveAt);
}

/** 'ending' once an end is known and not yet reached (a contract without renewal is ending from day one). */
export function statusAt(terms: ContractTerms, termination: Termination | null, at: Instant): ContractStatus {
  const endsAt = contractEndsAt(terms, termination);
  if (endsAt === null) return 'active';
  return at >= endsAt ? 'ended' : 'ending';
}

/** An end as a reader would name it: the local date when it is a midnight, the UTC instant otherwise. */
export function describeEnd(terms: ContractTerms, endsAt: Instant): string {
  const date = localDateAt(endsAt, terms.timeZone);
  return startOfLocalDate(date, terms.timeZone) === endsAt ? date : toIso(endsAt);
}

/**
 * Decides a `contract.termination_requested`. A request is accepted only when it ends the contract
 * earlier than the end already known, so an earlier breach termination replaces a notice one.
 * A breach termination's `effectiveDate` may not lie before the request's local date; one on that date
 * takes effect at the request itself, never retroactively.
 */
export function decideTermination(input: {
  readonly terms: ContractTerms;
  readonly current: Termination | null;
  readonly request: TerminationRequest;
  readonly terminationRight: TerminationRight | null;
}): TerminationDecision {
  const { terms, current, request, terminationRight } = input;
  const currentEnd = contractEndsAt(terms, current);
  if (currentEnd !== null && request.requestedAt >= currentEnd) {
    return refuse(`contract already ended on ${describeEnd(terms, currentEnd)}`);
  }
  const requestDate = localDateAt(request.requestedAt, terms.timeZone);

  let effectiveAt: Instant;
  if (request.reason === 'notice') {
    // The first term end at least its notice period after the request; term ends never precede the binding end.
    let termEnd = termEndAfter(terms, addDays(requestDate, -1));
    while (noticeDeadline(terms, termEnd) < requestDate) termEnd = termEndAfter(terms, termEnd);
    effectiveAt = startOfLocalDate(termEnd, terms.timeZone);
  } else {
    if (!holdsAt(terminationRight, request.requestedAt)) {
      return refuse(`no termination right is held at ${toIso(request.requestedAt)}`);
    }
    if (request.effectiveDate === undefined) {
      effectiveAt = request.requestedAt;
    } else if (request.effectiveDate < requestDate) {
      return refuse(`effective date ${request.effectiveDate} is before the request date ${requestDate}`);
    } else {
      effectiveAt = Math.max(startOfLocalDate(request.effectiveDate, terms.timeZone), request.requestedAt);
    }
  }

  if (currentEnd !== null && effectiveAt >= currentEnd) {
    return refuse(`contract already ends on ${describeEnd(terms, currentEnd)}`);
  }
  return {
    accepted: true,
    termination: { reason: request.reason, requestedAt: request.requestedAt, effectiveAt, eventId: request.eventId },
  };
}

/** The right holds from `since` (inclusive) until `until` (exclusive). */
export function holdsAt(right: TerminationRight | null, at: Instant): right is TerminationRight {
  return right !== null && right.since <= at && at < right.until;
}

function refuse(reason: string): TerminationDecision {
  return { accepted: false, reason };
}

// Terms in force once amended (docs/design.md#12-contract-changes-and-billing).

/** The renewal settings of one term: whether it renews at its end, its notice period and reminder days. */
export interface TermSettings {
  readonly autoRenew: boolean;
  readonly noticeDays: number;
  readonly reminderDays: readonly number[];
}

const changesOf = (terms: ContractTerms): readonly TermsChange[] => terms.changes ?? [];

/** The last value a change from `index` or earlier sets, later occurrences winning: "from year k on" overrides. */
function inForce<T>(terms: ContractTerms, index: number, pick: (change: TermsChange) => T | undefined, registered: T): T {
  let value = registered;
  for (const change of changesOf(terms)) {
    const picked = pick(change);
    if (picked !== undefined && change.fromYear !== null && change.fromYear <= index) value = picked;
  }
  return value;
}

/** The annual fee of contract year `index`, in minor units of the contract's currency. */
export function feeOfYear(terms: ContractTerms, index: number): number {
  return inForce(terms, index, (change) => change.annualFeeMinor, terms.annualFee.minor);
}

/** The service level (catalog key) of contract year `index`; a case follows the level of the year it opened in. */
export function levelOfYear(terms: ContractTerms, index: number): string {
  return inForce(terms, index, (change) => change.serviceLevel, terms.serviceLevel);
}

/** Every level a contract has had or will have: the registered one first. */
export function levelsOf(terms: ContractTerms): string[] {
  return [...new Set([terms.serviceLevel, ...changesOf(terms).flatMap((change) => change.serviceLevel ?? [])])];
}

/** n when `date` is the n-th anniversary of the start (n ≥ 1), else 0. */
function anniversaryIndex(terms: ContractTerms, date: LocalDate): number {
  const years = splitDate(date)[0] - splitDate(terms.startDate)[0];
  return years >= 1 && addYears(terms.startDate, years) === date ? years : 0;
}

/**
 * The first contract year of the term that ends at the first term end on or after `date`: 1 for the
 * binding term, n for the one-year term ending at the n-th anniversary.
 */
function firstYearOfTermEndingBy(terms: ContractTerms, date: LocalDate): number {
  const termEnd = termEndAfter(terms, addDays(date, -1));
  return termEnd === bindingEnd(terms) ? 1 : anniversaryIndex(terms, termEnd);
}

/**
 * The renewal settings of the term ending at the first term end on or after `date`. A change from year k
 * applies to the terms that begin in year k or later (the terms ahead), never to one already running.
 */
export function termSettings(terms: ContractTerms, date: LocalDate): TermSettings {
  if (changesOf(terms).length === 0) return terms;
  const first = firstYearOfTermEndingBy(terms, date);
  return {
    autoRenew: inForce(terms, first, (change) => change.autoRenew, terms.autoRenew),
    noticeDays: inForce(terms, first, (change) => change.noticeDays, terms.noticeDays),
    reminderDays: inForce(terms, first, (change) => change.reminderDays, terms.reminderDays),
  };
}

/** Every reminder day any term of the contract uses: the candidates a planner checks against `termSettings`. */
export function allReminderDays(terms: ContractTerms): number[] {
  return [...new Set([...terms.reminderDays, ...changesOf(terms).flatMap((change) => change.reminderDays ?? [])])];
}

/** The term end at which the contract expires because a term does not renew; null when every term renews. */
export function expiryDate(terms: ContractTerms): LocalDate | null {
  if (changesOf(terms).length === 0) return terms.autoRenew ? null : bindingEnd(terms);
  const lastChange = Math.max(1, ...changesOf(terms).flatMap((change) => (change.autoRenew === undefined ? [] : [change.fromYear ?? 1])));
  let termEnd = bindingEnd(terms);
  for (;;) {
    if (!termSettings(terms, termEnd).autoRenew) return termEnd;
    if (firstYearOfTermEndingBy(terms, termEnd) >= lastChange) return null;
    termEnd = termEndAfter(terms, termEnd);
  }
}

