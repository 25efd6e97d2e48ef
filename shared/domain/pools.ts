/**
 * The rules of loan units and spare-parts pools (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): who may draw from a pool, which unit a
 * draw takes, what a change of units may do, when a loan is due and overdue, and the history figures
 * (draws per year, mean turnaround) the risk of a shared pool is computed from. Pure: instants in,
 * decisions out.
 */
import type { Customer, Money } from './model.ts';
import { poolRisk, type PoolRisk } from './pool-risk.ts';
import type { Instant } from './time.ts';

export type PoolKind = 'exclusive' | 'shared';

export interface PoolTerms {
  readonly poolId: string;
  readonly kind: PoolKind;
  readonly location: string;
  readonly holds: string;
  /** The one contract an exclusive pool serves and its up-front fee; null for a shared pool. */
  readonly exclusiveTo: { readonly contractId: string; readonly upFrontFee: Money } | null;
  readonly registeredAt: Instant;
}

export type UnitStatus = 'available' | 'out' | 'retired';

export interface PoolUnit {
  readonly unitId: string;
  readonly status: UnitStatus;
}

/**
 * How a loan ended: the unit came back, it was used up (a spare part fitted), or another unit was
 * delivered in place of the one reserved at the request (a swap: no draw of its own).
 */
export type LoanEnd = 'returned' | 'consumed' | 'swapped';

export interface Loan {
  readonly poolId: string;
  readonly unitId: string;
  readonly startedAt: Instant;
  /** The contract it is drawn for; null for a demonstration loan to a prospect. */
  readonly contractId: string | null;
  /** The case it replaces a product for; null for a demonstration loan. */
  readonly caseId: string | null;
  /** Who holds the unit; null: the contract's customer (a case loan). */
  readonly borrower: Customer | null;
  /** A demonstration loan's due instant (the end of its due date); null for a case loan (due after the case). */
  readonly dueAt: Instant | null;
  /** A demonstration loan's zone (its due date's); a case loan shows its contract's. */
  readonly timeZone?: string;
  readonly endedAt: Instant | null;
  readonly endedBy: LoanEnd | null;
}

export const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;
/** The default of a service level's `loanReturnDays`. */
export const DEFAULT_LOAN_RETURN_DAYS = 14;
/** The default of the catalog's `pools.targetAvailability`. */
export const DEFAULT_TARGET_AVAILABILITY = 0.99;
/** A borrower is reminded this many days before a loan is due. */
export const LOAN_REMINDER_DAYS = 3;
/**
 * History shorter than this is stretched to it when draws are turned into a yearly rate: two draws in
 * the first week of a pool are not 104 draws a year.
 */
export const MIN_HISTORY_MS = 90 * DAY_MS;

/** Why `contractId` may not draw from the pool, or null when it may (entitlement and exclusivity). */
export function drawRefusal(pool: PoolTerms, contractId: string | null, entitledPools: readonly string[]): string | null {
  if (pool.exclusiveTo !== null) {
    if (contractId === pool.exclusiveTo.contractId) return null;
    return contractId === null
      ? `pool ${pool.poolId} is exclusive to contract ${pool.exclusiveTo.contractId}: it lends to no one else`
      : `pool ${pool.poolId} is exclusive to contract ${pool.exclusiveTo.contractId}, not ${contractId}`;
  }
  if (contractId === null) return null;
  return entitledPools.includes(pool.poolId) ? null : `contract ${contractId} is not entitled to pool ${pool.poolId}`;
}

export function availableUnits(units: readonly PoolUnit[]): PoolUnit[] {
  return units.filter((unit) => unit.status === 'available').sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
}

/** The unit a draw takes when none is named: the first available by id (deterministic), or null when the pool is empty. */
export function unitToDraw(units: readonly PoolUnit[]): PoolUnit | null {
  return availableUnits(units)[0] ?? null;
}

function describeCounts(poolId: string, units: readonly PoolUnit[]): string {
  const inPool = units.filter((unit) => unit.status !== 'retired').length;
  const out = units.filter((unit) => unit.status === 'out').length;
  return `pool ${poolId} has ${inPool} unit${inPool === 1 ? '' : 's'}, ${out} out`;
}

/** Why a named unit cannot be drawn (not in the pool, retired, already out), or null. */
export function namedDrawRefusal(poolId: string, units: readonly PoolUnit[], unitId: string): string | null {
  const unit = units.find((u) => u.unitId === unitId);
  if (unit === undefined || unit.status === 'retired') return `unit ${unitId} is not in pool ${poolId}`;
  if (unit.status === 'out') return `unit ${unitId} of pool ${poolId} is already out on loan`;
  return null;
}

export function emptyPoolReason(poolId: string, units: readonly PoolUnit[]): string {
  return `${describeCounts(poolId, units)}: the pool is empty`;
}

export interface UnitsChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly consumed: readonly string[];
}

/**
 * Why a change of units is refused, or null: a unit added twice (or already in the pool), a unit
 * removed that is not in the pool or is out on loan (the pool would shrink below the units out), a
 * unit consumed that is not out.
 */
export function unitsChangeRefusal(poolId: string, units: readonly PoolUnit[], change: UnitsChange): string | null {
  const byId = new Map(units.map((unit) => [unit.unitId, unit]));
  const named = [...change.added, ...change.removed, ...change.consumed];
  const twice = named.find((unitId, index) => named.indexOf(unitId) !== index);
  if (twice !== undefined) return `unit ${twice} is named twice in one change`;
  for (const unitId of change.added) {
    const unit = byId.get(unitId);
    if (unit !== undefined && unit.status !== 'retired') return `unit ${unitId} is already registered in pool ${poolId}`;
    if (unit !== undefined) return `unit ${unitId} was retired from pool ${poolId}; a restock needs a new unit id`;
  }
  for (const unitId of change.removed) {
    const unit = byId.get(unitId);
    if (unit === undefined || unit.status === 'retired') return `unit ${unitId} is not in pool ${poolId}`;
  }
  const outRemoved = change.removed.filter((unitId) => byId.get(unitId)?.status === 'out');
  if (outRemoved.length > 0) {
    const remaining = units.filter((unit) => unit.status !== 'retired').length - change.removed.length;
    const out = units.filter((unit) => unit.status === 'out').length;
    return (
      `pool ${poolId} would shrink to ${remaining} unit${remaining === 1 ? '' : 's'} with ${out} out: ` +
      `unit ${outRemoved.join(', ')} is out on loan (return it, or report it consumed)`
    );
  }
  for (const unitId of change.consumed) {
    const unit = byId.get(unitId);
    if (unit === undefined || unit.status === 'retired') return `unit ${unitId} is not in pool ${poolId}`;
    if (unit.status !== 'out') return `unit ${unitId} of pool ${poolId} is not out on loan, so it cannot have been consumed`;
  }
  return null;
}

/** Why a `loan.returned` is refused (the unit is not out), or null. */
export function returnRefusal(poolId: string, units: readonly PoolUnit[], unitId: string): string | null {
  const unit = units.find((u) => u.unitId === unitId);
  if (unit === undefined || unit.status === 'retired') return `unit ${unitId} is not in pool ${poolId}`;
  return unit.status === 'out' ? null : `unit ${unitId} of pool ${poolId} is not out on loan`;
}

/**
 * When a loan is due: a demonstration loan on its own due instant; a case loan `loanReturnDays` after
 * its case ended (resolved or cancelled), not yet while the case is open.
 */
export function loanDueAt(loan: Loan, caseEndedAt: Instant | null, loanReturnDays: number): Instant | null {
  if (loan.caseId === null) return loan.dueAt;
  return caseEndedAt === null ? null : Math.max(caseEndedAt, loan.startedAt) + loanReturnDays * DAY_MS;
}

export function isOverdue(loan: Loan, dueAt: Instant | null, now: Instant): boolean {
  return loan.endedAt === null && dueAt !== null && now > dueAt;
}

/** Whole days the unit has been (or was) out. */
export function daysOut(loan: Loan, now: Instant): number {
  return Math.max(0, Math.floor(((loan.endedAt ?? now) - loan.startedAt) / DAY_MS));
}

/** A contract's entitlement to a pool, from when it began (its registration). */
export interface Entitlement {
  readonly contractId: string;
  readonly since: Instant;
}

/** A draw the pool refused, as its history counts it (a refusal of a contract not entitled is no demand on the pool). */
export interface RefusedRequest {
  readonly contractId: string | null;
  readonly at: Instant;
}

export interface PoolHistory {
  /** Λ: requests a year (granted draws and refused ones) over every contract the pool serves now. */
  readonly drawsPerYear: number;
  /** T: mean days a unit was out, over finished loans (open ones count as far as they have come when none finished). */
  readonly meanTurnaroundDays: number;
}

/**
 * Λ and T of a pool from its loans (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): each entitled contract's requests a year (its draws and refused requests — demand too — over the
 * time it has been entitled, at least MIN_HISTORY_MS), summed; a contract entitled for less than
 * MIN_HISTORY_MS that has not drawn yet is counted at the mean rate of the contracts entitled for at
 * least that long (none: 0), so a new entitled contract raises the risk of a pool with a history, and
 * the first loan of a new pool is not taken as every young contract's rate. Demonstration
 * loans without a contract count at their own rate over the pool's life.
 */
export function poolHistory(input: {
  readonly loans: readonly Loan[];
  readonly entitled: readonly Entitlement[];
  /** Requests of entitled contracts the pool refused (it was empty): demand too, though no unit went out. @default [] */
  readonly refused?: readonly RefusedRequest[];
  readonly registeredAt: Instant;
  readonly now: Instant;
}): PoolHistory {
  const { entitled, now } = input;
  const loans = input.loans.filter((loan) => loan.endedBy !== 'swapped');
  const refused = input.refused ?? [];
  const yearsSince = (since: Instant): number => Math.max(now - since, MIN_HISTORY_MS) / YEAR_MS;
  const rates = entitled.map((entitlement) => {
    const requested = (item: { readonly contractId: string | null }, at: Instant): boolean => item.contractId === entitlement.contractId && at >= entitlement.since;
    const draws =
      loans.filter((loan) => requested(loan, loan.startedAt)).length + refused.filter((request) => requested(request, request.at)).length;
    const young = now - entitlement.since < MIN_HISTORY_MS;
    return { draws, years: yearsSince(entitlement.since), young, unseen: young && draws === 0 };
  });
  // The mean is over contracts entitled long enough to have a history: a young contract that drew is
  // no measure of the others (it is in the mean only because it drew), so it counts at its own rate.
  const seasoned = rates.filter((rate) => !rate.young);
  const meanRate = seasoned.length === 0 ? 0 : seasoned.reduce((sum, rate) => sum + rate.draws / rate.years, 0) / seasoned.length;
  const entitledIds = new Set(entitled.map((entitlement) => entitlement.contractId));
  const others = loans.filter((loan) => loan.contractId === null || !entitledIds.has(loan.contractId)).length;
  const drawsPerYear =
    rates.reduce((sum, rate) => sum + (rate.unseen ? meanRate : rate.draws / rate.years), 0) + others / yearsSince(input.registeredAt);
  const finished = loans.filter((loan) => loan.endedAt !== null);
  const counted = finished.length > 0 ? finished : loans;
  const meanTurnaroundDays =
    counted.length === 0 ? 0 : counted.reduce((sum, loan) => sum + ((loan.endedAt ?? now) - loan.startedAt), 0) / counted.length / DAY_MS;
  return { drawsPerYear, meanTurnaroundDays };
}

export interface PoolFigures extends PoolHistory, PoolRisk {
  readonly units: number;
  readonly out: number;
  readonly targetAvailability: number;
  /** Whether the chance of a request finding a unit is below the target. */
  readonly belowTarget: boolean;
}

export function poolFigures(input: {
  readonly units: readonly PoolUnit[];
  readonly loans: readonly Loan[];
  readonly entitled: readonly Entitlement[];
  readonly refused?: readonly RefusedRequest[];
  readonly registeredAt: Instant;
  readonly now: Instant;
  readonly targetAvailability: number;
}): PoolFigures {
  const history = poolHistory(input);
  const inPool = input.units.filter((unit) => unit.status !== 'retired').length;
  const risk = poolRisk({ units: inPool, ...history, targetAvailability: input.targetAvailability });
  return {
    ...history,
    ...risk,
    units: inPool,
    out: input.units.filter((unit) => unit.status === 'out').length,
    targetAvailability: input.targetAvailability,
    belowTarget: risk.pEmpty > 1 - input.targetAvailability + 1e-12,
  };
}

/** Up-front fees of the exclusive pools a contract holds, by the contract year they fall in (the year of the pool's registration, year 1 at the earliest). */
export function exclusiveFeesByYear(
  contractId: string,
  pools: readonly PoolTerms[],
  yearIndexOf: (instant: Instant) => number,
): Map<number, number> {
  const fees = new Map<number, number>();
  for (const pool of pools) {
    if (pool.exclusiveTo?.contractId !== contractId) continue;
    const index = Math.max(1, yearIndexOf(pool.registeredAt));
    fees.set(index, (fees.get(index) ?? 0) + pool.exclusiveTo.upFrontFee.minor);
  }
  return fees;
}

/** What the economics of a contract year need to know of one pool (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). */
export interface PoolCarried {
  readonly terms: PoolTerms;
  /** Units held now (not retired): what the provider carries. */
  readonly unitsHeld: number;
  /** Contracts entitled to the pool. */
  readonly entitledContracts: number;
  /** Every draw for a contract (swaps left out): who drew, and when. */
  readonly draws: readonly { readonly contractId: string; readonly startedAt: Instant }[];
}

/**
 * The pool holdings of one contract year: per pool the units held, this contract's draws and all draws
 * that started in the year, the contracts entitled, and an exclusive pool's fee if it falls in the year.
 */
export function poolHoldingsOfYear(
  contractId: string,
  yearIndex: number,
  pools: readonly PoolCarried[],
  yearIndexOf: (instant: Instant) => number,
): { poolId: string; kind: PoolKind; unitsHeld: number; drawsOfContract: number; drawsAll: number; entitledContracts: number; exclusiveFeeMinor: number }[] {
  return pools.map((pool) => {
    const inYear = pool.draws.filter((draw) => yearIndexOf(draw.startedAt) === yearIndex);
    const fee = exclusiveFeesByYear(contractId, [pool.terms], yearIndexOf).get(yearIndex) ?? 0;
    return {
      poolId: pool.terms.poolId,
      kind: pool.terms.kind,
      unitsHeld: pool.unitsHeld,
      drawsOfContract: inYear.filter((draw) => draw.contractId === contractId).length,
      drawsAll: inYear.length,
      entitledContracts: pool.entitledContracts,
      exclusiveFeeMinor: fee,
    };
  });
}
