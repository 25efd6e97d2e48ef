/**
 * What a change does to a pool beyond its own writes (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): the pool as it will be after them, its
 * figures, and the `ops.pool_risk` alert when the change takes a shared pool below the catalog's target
 * (raised once on the way down: the pool remembers it is below until a change brings it back).
 */
import { poolFigures, type PoolFigures } from '#domain/pools.ts';
import type { Instant } from '#domain/time.ts';
import { loanKey, unitKey } from '#store/pool-items.ts';
import type { PoolState, PoolWrite, StoreWrite } from '#store/store.ts';
import { poolRiskNotice } from './pool-notices.ts';

const text = (key: { pk: string; sk: string }): string => `${key.pk}\u0000${key.sk}`;

/** The pool as it reads after `writes` commit (versions as written). */
export function stateAfter(state: PoolState, writes: readonly PoolWrite[]): PoolState {
  const units = new Map(state.units.map((unit) => [text(unitKey(unit.poolId, unit.unitId)), unit]));
  const loans = new Map(state.loans.map((loan) => [text(loanKey(loan.poolId, loan.startedAt, loan.unitId)), loan]));
  const entitled = new Map(state.entitled.map((e) => [e.contractId, e]));
  let pool = state.pool;
  for (const write of writes) {
    if (write.kind === 'pool') pool = { ...write.record, version: write.record.version + 1 };
    if (write.kind === 'unit') units.set(text(unitKey(write.record.poolId, write.record.unitId)), { ...write.record, version: write.record.version + 1 });
    if (write.kind === 'loan') {
      const { record } = write;
      loans.set(text(loanKey(record.poolId, record.startedAt, record.unitId)), { ...record, version: record.version + 1 });
    }
    if (write.kind === 'entitlement') entitled.set(write.record.contractId, write.record);
  }
  return { ...state, pool, units: [...units.values()], loans: [...loans.values()], entitled: [...entitled.values()] };
}

export function figuresOf(state: PoolState, now: Instant, targetAvailability: number): PoolFigures | null {
  if (state.pool === null) return null;
  return poolFigures({
    units: state.units,
    loans: state.loans,
    entitled: state.entitled,
    refused: state.refused,
    registeredAt: state.pool.terms.registeredAt,
    now,
    targetAvailability,
  });
}

/**
 * The risk writes of a change to a shared pool: when its availability crosses the target, the pool's
 * flag flips (a versioned write of the pool, so two changes cannot both alert) and, on the way down,
 * `ops.pool_risk` with `cause`. Nothing for an exclusive pool (its one contract carries its own risk).
 */
export function riskWrites(
  before: PoolState,
  changes: readonly PoolWrite[],
  input: { readonly now: Instant; readonly targetAvailability: number; readonly cause: string },
): StoreWrite[] {
  const after = stateAfter(before, changes);
  const pool = after.pool;
  if (pool === null || pool.terms.kind !== 'shared') return [];
  const figures = figuresOf(after, input.now, input.targetAvailability);
  if (figures === null || figures.belowTarget === pool.belowTarget) return [];
  // The pool write goes with the change's own pool write when there is one (one write per item).
  const own = changes.find((write) => write.kind === 'pool');
  const record = { ...(own?.kind === 'pool' ? own.record : (before.pool ?? pool)), belowTarget: figures.belowTarget };
  const writes: StoreWrite[] = [{ kind: 'pool', write: { kind: 'pool', record } }];
  if (figures.belowTarget) {
    writes.push({ kind: 'notice', notice: poolRiskNotice(pool.terms, figures, after.entitled.length, input.cause, input.now) });
  }
  return writes;
}

/** The change's pool writes and its risk writes, with the change's own pool write replaced when the risk flips the flag. */
export function withRisk(
  before: PoolState,
  changes: readonly PoolWrite[],
  input: { readonly now: Instant; readonly targetAvailability: number; readonly cause: string },
): StoreWrite[] {
  const risk = riskWrites(before, changes, input);
  const flipsPool = risk.some((write) => write.kind === 'pool');
  const own = changes.filter((write) => !(flipsPool && write.kind === 'pool')).map((write): StoreWrite => ({ kind: 'pool', write }));
  return [...own, ...risk];
}
