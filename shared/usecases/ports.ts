/**
 * What the use cases need from the outside world, passed in (never imported as modules): the clock,
 * and the outcome and report shapes the intake and sweep use cases and their handlers agree on.
 */
import type { Instant } from '#domain/time.ts';

export interface Clock {
  now(): Instant;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Outcome of applying one valid event. */
export type EventOutcome =
  | {
      readonly kind: 'applied';
      /** Breaches this event declared (a late stop after its deadline), for the dashboard. */
      readonly breachesDeclared?: number;
      /** Net credit this event booked in minor units (reversals negative), for the dashboard. */
      readonly creditsBookedMinor?: number;
    }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'parked' }
  | { readonly kind: 'rejected'; readonly reason: string };

export interface SweepReport {
  readonly casesExamined: number;
  readonly breachesDeclared: number;
  /** Net credit booked by the declared breaches, minor units. */
  readonly creditsBookedMinor?: number;
  readonly warningsRaised: number;
  readonly parkedOverdue: number;
  readonly parkedApplied: number;
  /** Pending notices touched so the stream delivers them again. */
  readonly noticesRedriven?: number;
  /** Notices whose lease ran out while sending: marked unknown and alerted. */
  readonly noticesUnknown?: number;
  /** Parked events older than parkedRetentionDays whose contract never registered: recorded as rejected. */
  readonly parkedExpired?: number;
  /** Cases and parked groups that failed this run and are retried on the next (counted, not quarantined). */
  readonly itemsFailed?: number;
  /** Items set aside this run: out of the attention index, recorded with the reason, alerted. */
  readonly itemsQuarantined?: number;
  /** The failed items, identifiers and reasons (for the log). */
  readonly failures?: readonly { readonly kind: string; readonly contractId: string; readonly id: string; readonly reason: string; readonly quarantined: boolean }[];
  /** Phases that failed as a whole (the notice upkeep, listing due cases or parked events), with why: the run failed. */
  readonly phasesFailed?: readonly { readonly phase: 'notices' | 'cases' | 'parked'; readonly reason: string }[];
}
