/**
 * The pool report (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): every pool with its units, units out, draws a year, mean turnaround,
 * the chance a request finds it empty and the units needed for the catalog's target. Read by
 * `aftercare pools` and the replay output.
 */
import type { Catalog } from '#domain/model.ts';
import type { PoolKind } from '#domain/pools.ts';
import type { Instant } from '#domain/time.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import { figuresOf } from './pool-changes.ts';
import { catalogRuntime } from './runtime.ts';

export interface PoolReportRow {
  readonly poolId: string;
  readonly kind: PoolKind;
  readonly location: string;
  readonly holds: string;
  readonly units: number;
  readonly out: number;
  /** Contracts entitled to the pool (an exclusive pool: its one contract), by id. */
  readonly contracts: readonly string[];
  readonly drawsPerYear: number;
  readonly meanTurnaroundDays: number;
  readonly pEmpty: number;
  readonly unitsNeeded: number;
  readonly targetAvailability: number;
  readonly refusedDraws: number;
  /** Pool and loan events the rules refused, with their reasons. */
  readonly rejected: readonly { readonly eventId: string; readonly type: string; readonly reason: string }[];
}

export async function readPoolReport(pools: PoolRepository, catalog: Catalog, asOf: Instant): Promise<PoolReportRow[]> {
  const { targetAvailability } = catalogRuntime(catalog);
  const rows: PoolReportRow[] = [];
  for (const pool of await pools.listPools()) {
    const state = await pools.readPool(pool.terms.poolId);
    const figures = figuresOf(state, asOf, targetAvailability);
    if (figures === null) continue;
    const { terms } = pool;
    rows.push({
      poolId: terms.poolId,
      kind: terms.kind,
      location: terms.location,
      holds: terms.holds,
      units: figures.units,
      out: figures.out,
      contracts: state.entitled.map((e) => e.contractId).sort(),
      drawsPerYear: figures.drawsPerYear,
      meanTurnaroundDays: figures.meanTurnaroundDays,
      pEmpty: figures.pEmpty,
      unitsNeeded: figures.unitsNeeded,
      targetAvailability,
      refusedDraws: state.refused.length,
      rejected: state.rejected.map(({ eventId, type, reason }) => ({ eventId, type, reason })),
    });
  }
  return rows;
}
