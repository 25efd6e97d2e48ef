/**
 * Service credits of a contract year: accrual in deadline order under the cap, and the termination right.
 * STUB — signatures are fixed; the implementation is being written.
 */
import type { Kpi } from './model.ts';
import type { Instant } from './time.ts';

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
  readonly breaches: readonly BreachRecord[];
}

export function creditYear(_input: CreditYearInput): YearCredits {
  throw new Error('creditYear: not implemented yet');
}

/** `percent` of `minor`, rounded half up to a whole minor unit. */
export function percentOfMinor(_minor: number, _percent: number): number {
  throw new Error('percentOfMinor: not implemented yet');
}

/** Stable key of a breach: at most one per (case, KPI). */
export function breachKey(caseId: string, kpi: Kpi): string {
  return `${caseId}#${kpi}`;
}
