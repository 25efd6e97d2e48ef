/**
 * A seeded two-year replay file with pools (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools):
 * contracts entitled to one shared pool (and one contract with an exclusive pool of its own) whose failures
 * arrive as a Poisson process; each failure is a case that requests a replacement from its pool, is
 * delivered a unit, is resolved and returns the unit after a turnaround. The generator runs the pool as
 * the engine does (an empty pool refuses the request; the replacement then comes from elsewhere), so it
 * also returns its own truth: the draws (for `poolHistoryStats`), the requests and how many found the
 * pool empty — the proof that the replay's P(empty) agrees with a long simulation starts from here.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '#domain/time.ts';
import { YEAR_DAYS, type PoolDraw } from '#domain/pool-risk.ts';
import { seededUniform } from '#domain/pool-simulation.ts';

type Body = Record<string, unknown>;
const iso = (instant: number): string => new Date(instant).toISOString();

// ───────────────────────────────────────────────────────────────────────────────────────────────────
// EVENT SHAPES — the pool fields are pools14's (shared/events/schemas.ts); this block is the only place
// the generator spells an event, so a change to the contract at merge is made here and nowhere else.
// ───────────────────────────────────────────────────────────────────────────────────────────────────
const EVENT_SHAPES = {
  contractRegistered: (at: number, contractId: string, index: number, pools: readonly string[]): Body => ({
    eventId: `crm-${contractId}-registered`,
    type: 'contract.registered',
    occurredAt: iso(at),
    contractId,
    customer: { name: `Kunde ${index} AS`, email: `drift@kunde-${index}.example`, locale: index % 2 === 0 ? 'nb' : 'en' },
    serviceLevel: 'premium',
    annualFee: { amount: '120000.00', currency: 'NOK' },
    startDate: iso(at + 14 * DAY_MS).slice(0, 10),
    timeZone: 'Europe/Oslo',
    bindingYears: 2,
    autoRenew: true,
    noticeDays: 90,
    pools,
  }),
  poolRegistered: (at: number, pool: PoolSetup): Body => ({
    eventId: `pool-${pool.poolId}-registered`,
    type: 'pool.registered',
    occurredAt: iso(at),
    poolId: pool.poolId,
    kind: pool.kind,
    location: pool.location,
    holds: 'Loan scanner HX-20',
    units: pool.unitIds,
    ...(pool.kind === 'exclusive' ? { contractId: pool.contracts[0], upFrontFee: { amount: '25000.00', currency: 'NOK' } } : {}),
  }),
  caseEvent: (at: number, contractId: string, caseId: string, type: string, fields: Body = {}): Body => ({
    eventId: `hd-${contractId}-${caseId}-${type}`,
    type,
    occurredAt: iso(at),
    contractId,
    caseId,
    ...fields,
  }),
  replacementRequested: (at: number, contractId: string, caseId: string, poolId: string): Body =>
    EVENT_SHAPES.caseEvent(at, contractId, caseId, 'case.replacement_requested', { poolId }),
  /** `unit` null: the pool was empty and the replacement came from elsewhere. */
  replacementDelivered: (at: number, contractId: string, caseId: string, unit: { poolId: string; unitId: string } | null): Body =>
    EVENT_SHAPES.caseEvent(at, contractId, caseId, 'case.replacement_delivered', unit ?? {}),
  loanReturned: (at: number, contractId: string, caseId: string, poolId: string, unitId: string): Body => ({
    eventId: `pool-${poolId}-${unitId}-returned-${contractId}-${caseId}`,
    type: 'loan.returned',
    occurredAt: iso(at),
    poolId,
    unitId,
  }),
} as const;
// ───────────────────────────────────────────────────────────────────────────────────────── end shapes

export interface PoolReplayOptions {
  readonly seed: number;
  /** Contracts entitled to the shared pool. @default 20 */
  readonly contracts?: number;
  /** Failures a year per contract, each needing a replacement. @default 0.5 */
  readonly failuresPerContractYear?: number;
  /** Mean days from the request to the unit's return. @default 14 */
  readonly meanTurnaroundDays?: number;
  /** @default 'exponential' */
  readonly turnaround?: 'exponential' | 'fixed';
  /** Units of the shared pool. @default 2 */
  readonly sharedUnits?: number;
  /** @default 2 */
  readonly years?: number;
}

export interface PoolSetup {
  readonly poolId: string;
  readonly kind: 'exclusive' | 'shared';
  readonly location: string;
  readonly unitIds: readonly string[];
  readonly contracts: readonly string[];
}

export interface GeneratedPool extends PoolSetup {
  /** The parameters the failures were drawn with (Λ over every entitled contract, T). */
  readonly drawsPerYear: number;
  readonly meanTurnaroundDays: number;
  /** Each granted draw, from the request (when the unit is reserved) to its return (null: still out at asOf). */
  readonly draws: readonly PoolDraw[];
  /** When requests were refused because every unit was out (for `poolHistoryStats`'s `refused`). */
  readonly refused: readonly number[];
  readonly requests: number;
  /** Requests refused because every unit was out: `refused.length`. */
  readonly foundEmpty: number;
}

export interface PoolReplayScenario {
  /** JSONL lines (one event each), in occurredAt order. */
  readonly lines: readonly string[];
  readonly windowStart: number;
  readonly asOf: number;
  readonly pools: readonly GeneratedPool[];
}

export const POOL_REPLAY_START = Date.parse('2026-01-01T00:00:00Z');

interface Failure {
  readonly at: number;
  readonly contractId: string;
  readonly caseId: string;
  readonly turnaround: number;
}

export function generatePoolReplay(options: PoolReplayOptions): PoolReplayScenario {
  const contracts = options.contracts ?? 20;
  const rate = options.failuresPerContractYear ?? 0.5;
  const meanTurnaroundDays = options.meanTurnaroundDays ?? 14;
  const years = options.years ?? 2;
  const random = seededUniform(options.seed);
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low));
  const turnaround =
    options.turnaround === 'fixed' ? (): number => meanTurnaroundDays * DAY_MS : (): number => -meanTurnaroundDays * DAY_MS * Math.log(1 - random());
  const asOf = POOL_REPLAY_START + Math.floor(years * YEAR_DAYS) * DAY_MS;
  // Contracts start a month before the window, so a case opened in its first hours is inside them.
  const registeredAt = POOL_REPLAY_START - 45 * DAY_MS + 10 * HOUR_MS;

  const contractIds = Array.from({ length: contracts }, (_, c) => `PL-${String(c + 1).padStart(3, '0')}`);
  const exclusiveContract = 'PL-EXCL';
  const units = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, u) => `${prefix}-U${u + 1}`);
  const shared: PoolSetup = { poolId: 'POOL-OSLO', kind: 'shared', location: 'Oslo depot', unitIds: units('OSLO', options.sharedUnits ?? 2), contracts: contractIds };
  const exclusive: PoolSetup = { poolId: 'POOL-EXCL', kind: 'exclusive', location: 'Bergen, at the customer', unitIds: units('EXCL', 1), contracts: [exclusiveContract] };

  const bodies: Body[] = [];
  bodies.push(EVENT_SHAPES.poolRegistered(registeredAt - HOUR_MS, shared));
  bodies.push(EVENT_SHAPES.poolRegistered(registeredAt - HOUR_MS, exclusive));
  contractIds.forEach((contractId, index) => bodies.push(EVENT_SHAPES.contractRegistered(registeredAt, contractId, index + 1, [shared.poolId])));
  bodies.push(EVENT_SHAPES.contractRegistered(registeredAt, exclusiveContract, contracts + 1, [exclusive.poolId]));

  /** Each contract's failures: a Poisson process at `rate` a year, to the second. */
  const failuresOf = (contractId: string): Failure[] => {
    const failures: Failure[] = [];
    let at = POOL_REPLAY_START;
    for (let k = 1; ; k += 1) {
      at += (-Math.log(1 - random()) / rate) * YEAR_DAYS * DAY_MS;
      if (at >= asOf) return failures;
      failures.push({ at: Math.floor(at / 1000) * 1000, contractId, caseId: `K${k}`, turnaround: Math.max(4 * HOUR_MS, turnaround()) });
    }
  };

  const runPool = (pool: PoolSetup): GeneratedPool => {
    const failures = pool.contracts.flatMap(failuresOf).sort((a, b) => (a.at !== b.at ? a.at - b.at : a.contractId.localeCompare(b.contractId)));
    const backAt = new Map<string, number>(pool.unitIds.map((unitId) => [unitId, Number.NEGATIVE_INFINITY]));
    const draws: PoolDraw[] = [];
    const refused: number[] = [];
    for (const failure of failures) {
      const { contractId, caseId } = failure;
      const openedAt = failure.at - between(20 * MINUTE_MS, 2 * HOUR_MS);
      bodies.push(EVENT_SHAPES.caseEvent(openedAt, contractId, caseId, 'case.opened', { priority: 'high', summary: 'Skanneren er død' }));
      bodies.push(EVENT_SHAPES.caseEvent(openedAt + between(5 * MINUTE_MS, 15 * MINUTE_MS), contractId, caseId, 'case.responded'));
      bodies.push(EVENT_SHAPES.replacementRequested(failure.at, contractId, caseId, pool.poolId));
      // The first unit back (lowest id on a tie): the pool refuses when none is.
      const free = pool.unitIds.find((unitId) => (backAt.get(unitId) ?? 0) <= failure.at);
      const returnAt = failure.at + failure.turnaround;
      const deliveredAt = failure.at + Math.min(between(2 * HOUR_MS, 8 * HOUR_MS), Math.floor(failure.turnaround / 3));
      if (free === undefined) {
        refused.push(failure.at);
        const elsewhere = failure.at + between(DAY_MS, 3 * DAY_MS);
        if (elsewhere < asOf) bodies.push(EVENT_SHAPES.replacementDelivered(elsewhere, contractId, caseId, null));
        if (elsewhere + DAY_MS < asOf) bodies.push(EVENT_SHAPES.caseEvent(elsewhere + DAY_MS, contractId, caseId, 'case.resolved'));
        continue;
      }
      backAt.set(free, returnAt);
      draws.push({ at: failure.at, returnedAt: returnAt < asOf ? returnAt : null });
      if (deliveredAt < asOf) bodies.push(EVENT_SHAPES.replacementDelivered(deliveredAt, contractId, caseId, { poolId: pool.poolId, unitId: free }));
      // The customer's own unit comes back repaired a little before the loan unit does.
      const resolvedAt = Math.max(deliveredAt + MINUTE_MS, returnAt - between(HOUR_MS, 2 * DAY_MS));
      if (resolvedAt < asOf) bodies.push(EVENT_SHAPES.caseEvent(resolvedAt, contractId, caseId, 'case.resolved'));
      if (returnAt < asOf) bodies.push(EVENT_SHAPES.loanReturned(returnAt, contractId, caseId, pool.poolId, free));
    }
    const drawsPerYear = rate * pool.contracts.length;
    return { ...pool, drawsPerYear, meanTurnaroundDays, draws, refused, requests: failures.length, foundEmpty: refused.length };
  };
  const pools = [runPool(shared), runPool(exclusive)];

  const order = new Map(bodies.map((body, index) => [body, index]));
  const at = (body: Body): number => Date.parse(String(body.occurredAt));
  bodies.sort((a, b) => (at(a) !== at(b) ? at(a) - at(b) : (order.get(a) ?? 0) - (order.get(b) ?? 0)));
  return { lines: bodies.map((body) => JSON.stringify(body)), windowStart: POOL_REPLAY_START, asOf, pools };
}
