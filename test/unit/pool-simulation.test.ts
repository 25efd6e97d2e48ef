import { describe, expect, it } from 'vitest';
import { erlangB, poolRisk } from '#domain/pool-risk.ts';
import { simulatePool, type TurnaroundDistribution } from '#domain/pool-simulation.ts';

/** Beyond sampling noise (4 standard errors): what a slightly short warm-up or the batch edges may add. */
const BIAS_MARGIN = 0.001;

describe('a long seeded simulation of a pool agrees with the Poisson risk (Palm’s theorem, PASTA)', () => {
  it.each<[string, number, number, number, TurnaroundDistribution]>([
    ['the README pool, one unit', 10, 14, 1, 'exponential'],
    ['the README pool, two units', 10, 14, 2, 'exponential'],
    ['the README pool, three units', 10, 14, 3, 'fixed'],
    ['a busy pool, fixed turnaround', 120, 21, 10, 'fixed'],
    ['a busy pool, exponential turnaround', 120, 21, 10, 'exponential'],
  ])('%s (Λ = %d a year, T = %d days, S = %d, %s)', (_name, drawsPerYear, meanTurnaroundDays, units, turnaround) => {
    // Prepare
    const risk = poolRisk({ units, drawsPerYear, meanTurnaroundDays, targetAvailability: 0.99 });

    // Act
    const simulation = simulatePool({ units, drawsPerYear, meanTurnaroundDays, turnaround, years: 200_000 / drawsPerYear, seed: 14 });

    // Assess: the share of requests that found every unit out is P(X ≥ S)…
    expect(simulation.requests).toBeGreaterThan(190_000);
    expect(Math.abs(simulation.foundAllOut.share - risk.pEmpty)).toBeLessThanOrEqual(4 * simulation.foundAllOut.standardError + BIAS_MARGIN);
    // …the refusing pool's share is Erlang B, never above it, and no request is refused that found a unit in the Poisson pool.
    const loss = erlangB(risk.meanOut, units);
    expect(Math.abs(simulation.refused.share - loss)).toBeLessThanOrEqual(4 * simulation.refused.standardError + BIAS_MARGIN);
    expect(simulation.refused.count).toBeLessThanOrEqual(simulation.foundAllOut.count);
    expect(loss).toBeLessThanOrEqual(risk.pEmpty);
  });

  it('tells a wrong risk apart: the simulation of a 14-day pool does not agree with a 21-day one', () => {
    const simulation = simulatePool({ units: 1, drawsPerYear: 10, meanTurnaroundDays: 14, years: 20_000, seed: 14 });
    const wrong = poolRisk({ units: 1, drawsPerYear: 10, meanTurnaroundDays: 21, targetAvailability: 0.99 });
    expect(Math.abs(simulation.foundAllOut.share - wrong.pEmpty)).toBeGreaterThan(4 * simulation.foundAllOut.standardError + BIAS_MARGIN);
  });

  it('gives the same result for the same seed', () => {
    const run = (): ReturnType<typeof simulatePool> => simulatePool({ units: 2, drawsPerYear: 10, meanTurnaroundDays: 14, years: 500, seed: 99 });
    expect(run()).toEqual(run());
  });

  it('finds a pool without units always empty', () => {
    const simulation = simulatePool({ units: 0, drawsPerYear: 10, meanTurnaroundDays: 14, years: 50, seed: 1 });
    expect(simulation.foundAllOut.share).toBe(1);
    expect(simulation.refused.share).toBe(1);
  });

  it.each([
    [{ units: -1 }, 'units: must be a whole number ≥ 0, got -1'],
    [{ drawsPerYear: 0 }, 'drawsPerYear: must be a finite number > 0, got 0'],
    [{ years: Number.NaN }, 'years: must be a finite number > 0, got NaN'],
    [{ batches: 1 }, 'batches: must be a whole number ≥ 2, got 1'],
  ])('refuses %o with the field named', (change, message) => {
    expect(() => simulatePool({ units: 1, drawsPerYear: 10, meanTurnaroundDays: 14, years: 10, seed: 1, ...change })).toThrow(message);
  });
});
