/**
 * The risk that a request finds a shared pool empty (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): by Palm's theorem the units out
 * at once are Poisson with mean m = Λ·T (draws per year × years a unit is out), whatever the
 * distribution of the turnaround. Pure arithmetic; the pool's history gives Λ and T.
 */

export interface PoolRiskInput {
  readonly units: number;
  /** Λ: draws a year over all entitled contracts. */
  readonly drawsPerYear: number;
  /** T: mean days a unit is out per draw. */
  readonly meanTurnaroundDays: number;
  /** The wanted chance that a request finds a unit, e.g. 0.99. */
  readonly targetAvailability: number;
}

export interface PoolRisk {
  /** m = Λ·T, the mean number of units out at once. */
  readonly meanOut: number;
  /** P(X ≥ units): the chance that a request finds the pool empty. */
  readonly pEmpty: number;
  /** The smallest S with P(X ≥ S) ≤ 1 − targetAvailability. */
  readonly unitsNeeded: number;
}

const DAYS_PER_YEAR = 365.25;

/** P(X ≥ s) for X ~ Poisson(m): 1 − Σ_{k<s} e^(−m)·m^k/k!, summed term by term (no factorials). */
export function poissonTail(m: number, s: number): number {
  if (s <= 0) return 1;
  if (m <= 0) return 0;
  let term = Math.exp(-m);
  let below = 0;
  for (let k = 0; k < s; k += 1) {
    below += term;
    term *= m / (k + 1);
  }
  return Math.min(1, Math.max(0, 1 - below));
}

export function poolRisk(input: PoolRiskInput): PoolRisk {
  const meanOut = (input.drawsPerYear * input.meanTurnaroundDays) / DAYS_PER_YEAR;
  const allowed = 1 - input.targetAvailability;
  let unitsNeeded = 0;
  while (poissonTail(meanOut, unitsNeeded) > allowed + 1e-12) unitsNeeded += 1;
  return { meanOut, pEmpty: poissonTail(meanOut, input.units), unitsNeeded };
}
