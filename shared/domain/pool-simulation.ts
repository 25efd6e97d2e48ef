/**
 * A seeded brute-force simulation of one pool, to check `poolRisk` against (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools):
 * requests arrive as a Poisson process at Λ a year, each keeps a unit out for a turnaround (exponential or
 * fixed, mean T). The same requests and turnarounds drive two pools of S units side by side:
 * - the **Poisson** pool the design reports: a request beyond S is still served (from elsewhere, or
 *   waits) and counts as out; the share of requests that find S or more out estimates P(X ≥ S) (requests
 *   see the time-average, PASTA);
 * - the **refusing** pool the engine runs: a request that finds all S out is refused and keeps nothing
 *   out; its refused share estimates Erlang's B(S, m), never above the first (every refused request
 *   also finds the Poisson pool full, since its units out are a subset of the other's).
 * Pure: the randomness comes from the seed, no clock is read.
 */
import { YEAR_DAYS } from './pool-risk.ts';

export type TurnaroundDistribution = 'exponential' | 'fixed';

export interface PoolSimulationInput {
  readonly units: number;
  readonly drawsPerYear: number;
  readonly meanTurnaroundDays: number;
  /** @default 'exponential' */
  readonly turnaround?: TurnaroundDistribution;
  /** Simulated years counted (after the warm-up). */
  readonly years: number;
  readonly seed: number;
  /** Years simulated first and not counted, so the pool starts in its steady state. @default 20 × T */
  readonly warmUpYears?: number;
  /** Batches for the batch-means standard errors (requests close in time are correlated). @default 50 */
  readonly batches?: number;
}

export interface ShareEstimate {
  readonly count: number;
  readonly share: number;
  /** Standard error of `share` by batch means. */
  readonly standardError: number;
}

export interface PoolSimulation {
  /** Requests counted (after the warm-up). */
  readonly requests: number;
  /** Requests that found S or more units out in the Poisson pool: estimates `poolRisk().pEmpty`. */
  readonly foundAllOut: ShareEstimate;
  /** Requests the refusing pool turned away: estimates `erlangB(m, S)`. */
  readonly refused: ShareEstimate;
}

export function simulatePool(input: PoolSimulationInput): PoolSimulation {
  const { units, drawsPerYear, meanTurnaroundDays, years, seed } = input;
  if (!Number.isInteger(units) || units < 0) throw new RangeError(`units: must be a whole number ≥ 0, got ${String(units)}`);
  for (const [field, value] of [['drawsPerYear', drawsPerYear], ['meanTurnaroundDays', meanTurnaroundDays], ['years', years]] as const) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${field}: must be a finite number > 0, got ${String(value)}`);
  }
  const batches = input.batches ?? 50;
  if (!Number.isInteger(batches) || batches < 2) throw new RangeError(`batches: must be a whole number ≥ 2, got ${String(batches)}`);
  const meanTurnaroundYears = meanTurnaroundDays / YEAR_DAYS;
  const warmUpYears = input.warmUpYears ?? 20 * meanTurnaroundYears;
  const random = seededUniform(seed);
  const turnaround =
    (input.turnaround ?? 'exponential') === 'fixed' ? (): number => meanTurnaroundYears : (): number => -meanTurnaroundYears * Math.log(1 - random());

  const poissonPool = new MinHeap();
  const refusingPool = new MinHeap();
  const perBatch = Array.from({ length: batches }, () => ({ requests: 0, foundAllOut: 0, refused: 0 }));
  const end = warmUpYears + years;
  for (let now = -Math.log(1 - random()) / drawsPerYear; now < end; now += -Math.log(1 - random()) / drawsPerYear) {
    poissonPool.removeUpTo(now);
    refusingPool.removeUpTo(now);
    const backAt = now + turnaround();
    const allOut = poissonPool.size >= units;
    const refused = refusingPool.size >= units;
    poissonPool.push(backAt);
    if (!refused) refusingPool.push(backAt);
    if (now < warmUpYears) continue;
    const batch = perBatch[Math.min(batches - 1, Math.floor(((now - warmUpYears) / years) * batches))];
    if (batch === undefined) continue;
    batch.requests += 1;
    if (allOut) batch.foundAllOut += 1;
    if (refused) batch.refused += 1;
  }
  const requests = perBatch.reduce((sum, batch) => sum + batch.requests, 0);
  return {
    requests,
    foundAllOut: batchMeans(perBatch.map((batch) => [batch.foundAllOut, batch.requests] as const)),
    refused: batchMeans(perBatch.map((batch) => [batch.refused, batch.requests] as const)),
  };
}

/** The ratio estimate Σhits/Σrequests and its standard error over the batches (ratio-estimator variance). */
function batchMeans(batches: readonly (readonly [hits: number, requests: number])[]): ShareEstimate {
  const count = batches.reduce((sum, [hits]) => sum + hits, 0);
  const requests = batches.reduce((sum, [, n]) => sum + n, 0);
  if (requests === 0) return { count, share: 0, standardError: 0 };
  const share = count / requests;
  const meanRequests = requests / batches.length;
  const squares = batches.reduce((sum, [hits, n]) => sum + (hits - share * n) ** 2, 0);
  const variance = squares / (batches.length - 1) / batches.length / meanRequests ** 2;
  return { count, share, standardError: Math.sqrt(variance) };
}

/** mulberry32: small, fast, and the same sequence for a seed on every platform. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The return instants of the units out, earliest first. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    items.push(value);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((items[parent] as number) <= value) break;
      items[index] = items[parent] as number;
      index = parent;
    }
    items[index] = value;
  }

  /** Drops every value ≤ limit (the units back by then). */
  removeUpTo(limit: number): void {
    const items = this.items;
    while (items.length > 0 && (items[0] as number) <= limit) {
      const last = items.pop() as number;
      if (items.length === 0) break;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && (items[right] as number) < (items[left] as number) ? right : left;
        if ((items[child] as number) >= last) break;
        items[index] = items[child] as number;
        index = child;
      }
      items[index] = last;
    }
  }
}
