/**
 * The proof of the pool report (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): a
 * seeded two-year replay with a shared and an exclusive pool (scripts/generate-pool-replay.ts) reports per
 * pool Λ, T and P(empty); a long seeded simulation of a pool with those units, Λ and T finds the share of
 * requests that met every unit out equal to it within the simulation's error, and a refusing pool's refused
 * share at or below it (Erlang B ≤ the Poisson tail). The replay's Λ and T are the generator's own history.
 */
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { jsonLines } from '#cli/input/lines.ts';
import { deliveriesOf } from '#cli/replay/input.ts';
import { runReplay } from '#cli/replay/run-replay.ts';
import { poissonTail, poolHistoryStats, YEAR_DAYS } from '#domain/pool-risk.ts';
import { simulatePool } from '#domain/pool-simulation.ts';
import { generatePoolReplay } from '#test/support/generators/pool-replay-events.ts';

describe('the pool report of a two-year replay', () => {
  it('gives a P(empty) that a long seeded simulation on the replay\'s own Λ and T agrees with', async () => {
    // Prepare: the script's defaults (seed 14, 20 contracts, 0.5 failures a year, 14 days, 2 shared units, 2 years)
    const scenario = generatePoolReplay({ seed: 14 });

    // Act
    const { output } = await runReplay({ catalog: loadDefaultCatalog(), deliveries: deliveriesOf(jsonLines(scenario.lines.join('\n'))) });

    // Assess
    expect(output.pools.map((pool) => pool.poolId).sort()).toEqual(scenario.pools.map((pool) => pool.poolId).sort());
    for (const pool of output.pools) {
      const simulation = simulatePool({
        units: pool.units,
        drawsPerYear: pool.drawsPerYear,
        meanTurnaroundDays: pool.meanTurnaroundDays,
        years: 200_000 / pool.drawsPerYear,
        seed: 1,
      });
      const { share, standardError } = simulation.foundAllOut;
      console.info(`${pool.poolId}: Λ ${pool.drawsPerYear.toFixed(2)}, T ${pool.meanTurnaroundDays.toFixed(2)} d, replay P(empty) ${pool.pEmpty.toFixed(4)}, simulated ${share.toFixed(4)} ± ${standardError.toFixed(4)}`);
      expect(pool.pEmpty).toBeCloseTo(poissonTail((pool.drawsPerYear * pool.meanTurnaroundDays) / YEAR_DAYS, pool.units), 12);
      expect(Math.abs(share - pool.pEmpty)).toBeLessThan(4 * standardError);
      expect(simulation.refused.share).toBeLessThanOrEqual(share);

      // The replay's Λ and T are the history the generator drew: within 10 % of its own account of it.
      const truth = scenario.pools.find((generated) => generated.poolId === pool.poolId);
      if (truth === undefined || truth.kind !== 'shared') continue;
      const history = poolHistoryStats({ draws: truth.draws, refused: truth.refused, windowStart: scenario.windowStart, windowEnd: scenario.asOf });
      expect(pool.drawsPerYear / history.drawsPerYear).toBeGreaterThan(0.9);
      expect(pool.drawsPerYear / history.drawsPerYear).toBeLessThan(1.1);
      expect(pool.meanTurnaroundDays / history.meanTurnaroundDays).toBeGreaterThan(0.9);
      expect(pool.meanTurnaroundDays / history.meanTurnaroundDays).toBeLessThan(1.1);
      expect(pool.refusedDraws).toBe(truth.foundEmpty);
    }
  }, 300_000);
});
