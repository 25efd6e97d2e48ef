/**
 * Service credits of a contract year (docs/design.md#5-cases-clocks-breaches-credits): accrual in deadline order under the cap, the
 * termination right the cap opens, and the money rules around them. Integer minor units only.
 */
import { KPIS } from './model.ts';
import type { Kpi } from './model.ts';
import type { Instant } from './time.ts';
import { addDays, localDateAt, startOfLocalDate } from './time.ts';

export interface BreachRecord {
  readonly caseId: string;
  readonly kpi: Kpi;
  readonly deadline: Instant;
  readonly creditPercent: number;
}

export interface CreditedBreach extends BreachRecord {
  readonly key: string;
  /** Credit this breach earns after the cap, in minor units (0 past the cap). */
  readonly creditMinor: number;
}

export interface TerminationRight {
  readonly since: Instant;
  readonly until: Instant;
}

export interface YearCredits {
  readonly feeMinor: number;
  readonly capMinor: number;
  readonly totalMinor: number;
  readonly capReached: boolean;
  /** Breaches in accrual order (deadline, caseId, KPI order). */
  readonly breaches: readonly CreditedBreach[];
  readonly terminationRight: TerminationRight | null;
}

export interface CreditYearInput {
  readonly feeMinor: number;
  readonly capPercent: number;
  readonly terminationWindowDays: number;
  /** The contract's IANA zone: a window of days is counted in calendar days there. */
  readonly timeZone: string;
  readonly breaches: readonly BreachRecord[];
}

/** Accrual order: deadline, then caseId, then KPI order (docs/design.md#5-cases-clocks-breaches-credits). */
export function compareBreaches(a: BreachRecord, b: BreachRecord): number {
  if (a.deadline !== b.deadline) return a.deadline - b.deadline;
  if (a.caseId !== b.caseId) return a.caseId < b.caseId ? -1 : 1;
  if (a.kpi !== b.kpi) return KPIS.indexOf(a.kpi) - KPIS.indexOf(b.kpi);
  return a.creditPercent - b.creditPercent;
}

/**
 * Credits of one year's breaches. At most one breach per (case, KPI) counts: should a key appear twice,
 * the first in accrual order wins, so the result never depends on the order of `breaches`.
 * A zero cap (no credits offered) is never "reached" and opens no termination right.
 */
export function creditYear(input: CreditYearInput): YearCredits {
  const capMinor = percentOfMinor(input.feeMinor, input.capPercent);
  const seen = new Set<string>();
  const credited: CreditedBreach[] = [];
  let totalMinor = 0;
  let terminationRight: TerminationRight | null = null;

  for (const breach of [...input.breaches].sort(compareBreaches)) {
    const key = breachKey(breach.caseId, breach.kpi);
    if (seen.has(key)) continue;
    seen.add(key);
    const creditMinor = Math.min(percentOfMinor(input.feeMinor, breach.creditPercent), capMinor - totalMinor);
    totalMinor += creditMinor;
    if (terminationRight === null && capMinor > 0 && totalMinor === capMinor) {
      terminationRight = {
        since: breach.deadline,
        until: terminationWindowEnd(breach.deadline, input.terminationWindowDays, input.timeZone),
      };
    }
    credited.push({ ...breach, key, creditMinor });
  }

  return {
    feeMinor: input.feeMinor,
    capMinor,
    totalMinor,
    capReached: terminationRight !== null,
    breaches: credited,
    terminationRight,
  };
}

/**
 * The end of a termination window (docs/design.md#5-cases-clocks-breaches-credits): midnight in the contract's zone at the end of the
 * `days`-th local date after the deadline's, so a window of 90 days is 90 calendar days as the contract
 * reads, whatever daylight-saving changes lie inside it (not 90 × 24 hours).
 */
export function terminationWindowEnd(deadline: Instant, days: number, timeZone: string): Instant {
  return startOfLocalDate(addDays(localDateAt(deadline, timeZone), days + 1), timeZone);
}

/**
 * `percent` of `minor`, rounded half up to a whole minor unit. The percent (at most two decimals) is
 * taken as basis points and the product computed in BigInt, so no float error reaches the money.
 */
export function percentOfMinor(minor: number, percent: number): number {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount in minor units: ${minor}`);
  if (percent < 0 || !hasAtMostTwoDecimals(percent)) {
    throw new RangeError(`not a percentage with at most two decimals: ${percent}`);
  }
  return Number((BigInt(minor) * BigInt(Math.round(percent * 100)) + 5_000n) / 10_000n);
}

/** Whether `percent` is a whole number of basis points, the precision money percentages are applied at. */
export function hasAtMostTwoDecimals(percent: number): boolean {
  return Number.isFinite(percent) && Math.abs(percent * 100 - Math.round(percent * 100)) <= 1e-6;
}

/** What the customer pays for the next year: its fee less this year's credits, never below zero. */
export function amountDueMinor(nextFeeMinor: number, creditsMinor: number): number {
  return Math.max(0, nextFeeMinor - creditsMinor);
}

/** The liability cap shown in every statement: `percent` of the fees of the last twelve months. */
export function liabilityCapMinor(feeMinor: number, percent: number): number {
  return percentOfMinor(feeMinor, percent);
}

/** Stable key of a breach: at most one per (case, KPI). */
export function breachKey(caseId: string, kpi: Kpi): string {
  return `${caseId}#${kpi}`;
}
