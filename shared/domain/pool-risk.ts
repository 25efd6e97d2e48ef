/**
 * The risk of a shared pool (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): by
 * Palm's theorem the units out at once are Poisson with mean m = Λ·T whatever the turnaround's
 * distribution, so with S units a request finds the pool empty with P(X ≥ S). Pure: no clock, no I/O.
 *
 * What the number means. P(X ≥ S) is the share of requests that would find all S units out if requests
 * beyond S were still served (waited for, or served from elsewhere, and counted as out): the
 * infinite-server occupancy the design names. The real pool refuses a draw when it is empty, a loss
 * system whose refused share is Erlang's B(S, m) (`erlangB`). Under the same requests the refusing pool
 * never holds more units out than the infinite one, so B(S, m) ≤ P(X ≥ S): the Poisson tail is a
 * conservative upper bound of the refused share (for m = 0.38, S = 1: 0.32 against 0.28; the two meet
 * as the risk gets small, where targets live).
 *
 * Years are Julian years of 365.25 days, here and in `poolHistoryStats`; the choice cancels out of
 * m = Λ·T when both come from the same history.
 */
import { DAY_MS, type Instant } from './time.ts';

export const YEAR_DAYS = 365.25;
const YEAR_MS = YEAR_DAYS * DAY_MS;

export interface PoolRiskInput {
  /** Units in the pool (S), a whole number ≥ 0. */
  readonly units: number;
  /** Draws per year over every entitled contract (Λ). */
  readonly drawsPerYear: number;
  /** Mean time a unit is out, from draw to return, in days (T). */
  readonly meanTurnaroundDays: number;
  /** Wanted share of requests that find a unit, strictly between 0 and 1 (catalog `pools.targetAvailability`). */
  readonly targetAvailability: number;
}

export interface PoolRisk {
  /** m = Λ·T, the mean number of units out at once. */
  readonly meanOut: number;
  /** P(X ≥ units): the chance a request finds every unit out (1 for a pool without units). */
  readonly pEmpty: number;
  /** The smallest S with P(X ≥ S) ≤ 1 − targetAvailability; at least 1, since a pool with no unit is always empty. */
  readonly unitsNeeded: number;
}

/** The default of the catalog's `pools.targetAvailability`. */
export const DEFAULT_TARGET_AVAILABILITY = 0.99;

export function poolRisk(input: PoolRiskInput): PoolRisk {
  const { units, drawsPerYear, meanTurnaroundDays, targetAvailability } = input;
  requireCount('units', units);
  requireNonNegative('drawsPerYear', drawsPerYear);
  requireNonNegative('meanTurnaroundDays', meanTurnaroundDays);
  if (!Number.isFinite(targetAvailability) || targetAvailability <= 0 || targetAvailability >= 1) {
    throw new RangeError(`targetAvailability: must be strictly between 0 and 1, got ${String(targetAvailability)}`);
  }
  const meanOut = drawsPerYear * (meanTurnaroundDays / YEAR_DAYS);
  requireNonNegative('drawsPerYear × meanTurnaroundDays', meanOut);
  return { meanOut, pEmpty: poissonTail(meanOut, units), unitsNeeded: unitsFor(meanOut, 1 - targetAvailability) };
}

/**
 * P(X ≥ s) for X ~ Poisson(m). The terms are summed from the one nearest s outward by the ratio
 * m/k (starting from its logarithm, so e^(−m) never underflows alone): the upper tail directly when
 * s > m, else 1 − the lower sum, which is then at most about ½ and loses nothing to cancellation.
 */
export function poissonTail(m: number, s: number): number {
  requireNonNegative('m', m);
  requireCount('s', s);
  if (s === 0) return 1;
  if (m === 0) return 0;
  if (s > m) {
    // Terms fall from k = s on; stop when the geometric bound of what is left is below rounding.
    let term = Math.exp(logPoissonTerm(m, s));
    let sum = term;
    for (let k = s + 1; term > 0; k += 1) {
      term *= m / k;
      sum += term;
      const ratio = m / (k + 1);
      if (term * (ratio / (1 - ratio)) <= sum * Number.EPSILON) break;
    }
    return Math.min(1, sum);
  }
  // s ≤ m: the lower sum Σ_{k<s}, from k = s − 1 down; its terms fall by k/m.
  let term = Math.exp(logPoissonTerm(m, s - 1));
  let lower = term;
  for (let k = s - 1; k > 0 && term > 0; k -= 1) {
    term *= k / m;
    lower += term;
    if (term <= lower * Number.EPSILON * 1e-2) break;
  }
  return Math.max(0, 1 - lower);
}

/**
 * Erlang's loss formula B(s, m): the share of requests a pool of s units refuses when it refuses
 * every draw it cannot serve. Insensitive to the turnaround's distribution too; B(s, m) ≤ P(X ≥ s).
 */
export function erlangB(m: number, s: number): number {
  requireNonNegative('m', m);
  requireCount('s', s);
  let blocked = 1;
  for (let k = 1; k <= s; k += 1) blocked = (m * blocked) / (k + m * blocked);
  return blocked;
}

/** Smallest S ≥ 1 with P(X ≥ S) ≤ allowed: the tail falls in S, so double to a bound, then bisect. */
function unitsFor(meanOut: number, allowed: number): number {
  let high = Math.max(1, Math.ceil(meanOut));
  while (poissonTail(meanOut, high) > allowed) high *= 2;
  let low = high === 1 ? 0 : Math.floor(high / 2); // P(X ≥ low) > allowed (low = 0: P = 1)
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (poissonTail(meanOut, middle) > allowed) low = middle;
    else high = middle;
  }
  return high;
}

/** ln(e^(−m)·m^k/k!) for m > 0. */
function logPoissonTerm(m: number, k: number): number {
  return -m + k * Math.log(m) - logFactorial(k);
}

const SMALL_LOG_FACTORIALS: readonly number[] = (() => {
  const table = [0];
  for (let n = 1; n <= 32; n += 1) table.push((table[n - 1] ?? 0) + Math.log(n));
  return table;
})();

/** ln n!: exact sums up to 32, Stirling's series beyond (its error there is below 1e-17 relative). */
function logFactorial(n: number): number {
  const exact = SMALL_LOG_FACTORIALS[n];
  if (exact !== undefined) return exact;
  const inverse = 1 / n;
  const inverse2 = inverse * inverse;
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 / 1260));
}

export interface PoolDraw {
  /** When the unit left the pool. */
  readonly at: Instant;
  /** When it came back; null while it is still out. */
  readonly returnedAt: Instant | null;
}

export interface PoolHistoryInput {
  /** The draws the pool granted. */
  readonly draws: readonly PoolDraw[];
  /** When requests were refused because the pool was empty: demand too, though no unit went out. @default [] */
  readonly refused?: readonly Instant[];
  readonly windowStart: Instant;
  readonly windowEnd: Instant;
}

export interface PoolHistoryStats {
  /** Requests (granted or refused) within the window, per year of window (Λ: the demand, not what was served). */
  readonly drawsPerYear: number;
  /** Unit-days out within the window per granted draw that began in it (T, by Little's law); 0 with no draw in the window. */
  readonly meanTurnaroundDays: number;
  /** Granted draws that began within the window. */
  readonly draws: number;
  /** Of those, returned by windowEnd. */
  readonly returned: number;
  /** Requests refused within the window. */
  readonly refused: number;
}

/**
 * Λ and T from a pool's history over [windowStart, windowEnd). Λ counts every request in the window,
 * the refused ones too: the Poisson model asks how many units the demand needs, and counting only what
 * an empty pool let through would understate it by the share it refused. T comes by Little's law: the
 * time-average number of units out in the window (every unit-day out inside it, whenever its draw
 * began) divided by the granted draws per year. Censoring: a unit still out (or returned after
 * windowEnd) counts its time up to windowEnd; a unit drawn before windowStart counts its time from
 * windowStart. The two edges make up for each other in a steady pool; in a pool opened at
 * windowStart, T falls short by about T/window (2 % for 14 days in two years), never more.
 */
export function poolHistoryStats(input: PoolHistoryInput): PoolHistoryStats {
  const { draws, windowStart, windowEnd } = input;
  if (!Number.isFinite(windowStart) || !Number.isFinite(windowEnd) || windowEnd <= windowStart) {
    throw new RangeError(`windowEnd: must be a finite instant after windowStart (${String(windowStart)}), got ${String(windowEnd)}`);
  }
  const inWindow = (at: Instant): boolean => at >= windowStart && at < windowEnd;
  let began = 0;
  let returned = 0;
  let outMs = 0;
  draws.forEach((draw, index) => {
    if (!Number.isFinite(draw.at)) throw new RangeError(`draws[${index}].at: must be a finite instant, got ${String(draw.at)}`);
    if (draw.returnedAt !== null && !(Number.isFinite(draw.returnedAt) && draw.returnedAt >= draw.at)) {
      throw new RangeError(`draws[${index}].returnedAt: must be a finite instant not before at (${String(draw.at)}), got ${String(draw.returnedAt)}`);
    }
    const back = draw.returnedAt ?? Number.POSITIVE_INFINITY;
    outMs += Math.max(0, Math.min(back, windowEnd) - Math.max(draw.at, windowStart));
    if (inWindow(draw.at)) {
      began += 1;
      if (back <= windowEnd) returned += 1;
    }
  });
  let refused = 0;
  (input.refused ?? []).forEach((at, index) => {
    if (!Number.isFinite(at)) throw new RangeError(`refused[${index}]: must be a finite instant, got ${String(at)}`);
    if (inWindow(at)) refused += 1;
  });
  const years = (windowEnd - windowStart) / YEAR_MS;
  return {
    drawsPerYear: (began + refused) / years,
    meanTurnaroundDays: began === 0 ? 0 : outMs / DAY_MS / began,
    draws: began,
    returned,
    refused,
  };
}

function requireNonNegative(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${field}: must be a finite number ≥ 0, got ${String(value)}`);
}

function requireCount(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${field}: must be a whole number ≥ 0, got ${String(value)}`);
}
