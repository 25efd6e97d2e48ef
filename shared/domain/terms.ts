/**
 * Contract terms over time: contract years, binding end, term ends with tacit renewal, notice, status.
 * STUB — signatures are fixed; the implementation is being written.
 */
import type { TerminationRight } from './credits.ts';
import type { ContractTerms, Termination, TerminationReason } from './model.ts';
import type { Instant, LocalDate } from './time.ts';

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

export function contractYear(_terms: ContractTerms, _index: number): ContractYear {
  throw new Error('not implemented yet');
}

/** Index of the contract year containing `at` (1-based); 0 before the start. Ignores any end. */
export function yearIndexAt(_terms: ContractTerms, _at: Instant): number {
  throw new Error('not implemented yet');
}

export function bindingEnd(_terms: ContractTerms): LocalDate {
  throw new Error('not implemented yet');
}

/** The first term end strictly after `date` (binding end, then yearly). */
export function termEndAfter(_terms: ContractTerms, _date: LocalDate): LocalDate {
  throw new Error('not implemented yet');
}

/** Last local date on which notice can be given to end the contract at `termEnd`. */
export function noticeDeadline(_terms: ContractTerms, _termEnd: LocalDate): LocalDate {
  throw new Error('not implemented yet');
}

/** When the contract ends given its termination (if any); null when it renews indefinitely. */
export function contractEndsAt(_terms: ContractTerms, _termination: Termination | null): Instant | null {
  throw new Error('not implemented yet');
}

export function statusAt(_terms: ContractTerms, _termination: Termination | null, _at: Instant): ContractStatus {
  throw new Error('not implemented yet');
}

export function decideTermination(_input: {
  readonly terms: ContractTerms;
  readonly current: Termination | null;
  readonly request: TerminationRequest;
  readonly terminationRight: TerminationRight | null;
}): TerminationDecision {
  throw new Error('not implemented yet');
}
