import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangB, poissonTail, poolHistoryStats, poolRisk } from '#domain/pool-risk.ts';
import { DAY_MS } from '#domain/time.ts';
import { directPoissonTail } from '#test/support/poisson-direct.ts';

const RUNS = { numRuns: 300 };

const aMean = fc.double({ min: 0, max: 400, noNaN: true });
const aUnitCount = fc.integer({ min: 0, max: 1000 });
const aPool = fc.record({
  units: fc.integer({ min: 0, max: 60 }),
  drawsPerYear: fc.double({ min: 0, max: 500, noNaN: true }),
  meanTurnaroundDays: fc.double({ min: 0, max: 120, noNaN: true }),
  targetAvailability: fc.double({ min: 0.5, max: 0.99999, noNaN: true }),
});
const aFactor = fc.double({ min: 1, max: 4, noNaN: true });

describe('pool risk, for every pool', () => {
  it('is a probability and agrees with direct summation of the terms', () => {
    fc.assert(
      fc.property(aMean, aUnitCount, (m, s) => {
        const tail = poissonTail(m, s);
        expect(tail).toBeGreaterThanOrEqual(0);
        expect(tail).toBeLessThanOrEqual(1);
        const direct = directPoissonTail(m, s);
        expect(Math.abs(tail - direct)).toBeLessThanOrEqual(1e-9 * direct + 1e-300);
      }),
      { numRuns: 150 },
    );
  });

  it('falls (weakly) as units are added', () => {
    fc.assert(
      fc.property(aPool, fc.integer({ min: 1, max: 20 }), (pool, added) => {
        expect(poolRisk({ ...pool, units: pool.units + added }).pEmpty).toBeLessThanOrEqual(poolRisk(pool).pEmpty);
      }),
      RUNS,
    );
  });

  it('rises (weakly) with a slower turnaround and with more draws', () => {
    fc.assert(
      fc.property(aPool, aFactor, aFactor, (pool, slower, busier) => {
        const base = poolRisk(pool).pEmpty;
        expect(poolRisk({ ...pool, meanTurnaroundDays: pool.meanTurnaroundDays * slower }).pEmpty).toBeGreaterThanOrEqual(base);
        expect(poolRisk({ ...pool, drawsPerYear: pool.drawsPerYear * busier }).pEmpty).toBeGreaterThanOrEqual(base);
      }),
      RUNS,
    );
  });

  it('asks for units that meet the target, and one unit fewer would not', () => {
    fc.assert(
      fc.property(aPool, (pool) => {
        const { unitsNeeded, meanOut } = poolRisk(pool);
        const allowed = 1 - pool.targetAvailability;
        expect(poolRisk({ ...pool, units: unitsNeeded }).pEmpty).toBeLessThanOrEqual(allowed);
        expect(poolRisk({ ...pool, units: unitsNeeded - 1 }).pEmpty).toBeGreaterThan(allowed);
        expect(unitsNeeded).toBeGreaterThanOrEqual(Math.max(1, Math.floor(meanOut)));
      }),
      RUNS,
    );
  });

  it('never reports less than the refusing pool turns away (Erlang B ≤ Poisson tail)', () => {
    fc.assert(
      fc.property(aMean, fc.integer({ min: 0, max: 600 }), (m, s) => {
        // Below 1e-300 both are subnormal or zero, where doubles keep no relative precision
        // (fast-check found m = 4.9e-40, s = 8: both ≈ 1e-317, rounded differently).
        expect(erlangB(m, s)).toBeLessThanOrEqual(poissonTail(m, s) * (1 + 1e-12) + 1e-300);
      }),
      RUNS,
    );
  });
});

const WINDOW_START = Date.parse('2026-01-01T00:00:00Z');
const aHistory = fc.array(
  fc.record({
    atDay: fc.double({ min: -60, max: 800, noNaN: true }),
    daysOut: fc.option(fc.double({ min: 0, max: 90, noNaN: true }), { nil: null }),
  }),
  { maxLength: 40 },
);

describe('pool history, for every history', () => {
  it('gives m = Λ·T equal to the time-average number of units out in the window', () => {
    fc.assert(
      fc.property(aHistory, fc.integer({ min: 1, max: 730 }), (history, windowDays) => {
        const draws = history.map(({ atDay, daysOut }) => ({
          at: WINDOW_START + atDay * DAY_MS,
          returnedAt: daysOut === null ? null : WINDOW_START + (atDay + daysOut) * DAY_MS,
        }));
        const windowEnd = WINDOW_START + windowDays * DAY_MS;
        const stats = poolHistoryStats({ draws, windowStart: WINDOW_START, windowEnd });
        // Units out, sampled every hour of the window.
        let sampled = 0;
        const hours = windowDays * 24;
        for (let h = 0; h < hours; h += 1) {
          const now = WINDOW_START + (h + 0.5) * (DAY_MS / 24);
          sampled += draws.filter((draw) => draw.at <= now && (draw.returnedAt ?? Number.POSITIVE_INFINITY) > now).length;
        }
        const { meanOut } = poolRisk({ units: 1, ...stats, targetAvailability: 0.99 });
        if (stats.draws > 0) expect(meanOut).toBeCloseTo(sampled / hours, 1);
        expect(stats.returned).toBeLessThanOrEqual(stats.draws);
      }),
      { numRuns: 60 },
    );
  });

  it('does not depend on when the history happened, only on its shape', () => {
    fc.assert(
      fc.property(aHistory, fc.integer({ min: -1000, max: 1000 }), (history, shiftDays) => {
        // Instants are whole milliseconds, as in the store: the shift moves each one by exactly
        // shift days, so a draw at the window's edge stays on the same side of it.
        const at = (shift: number): Parameters<typeof poolHistoryStats>[0] => ({
          draws: history.map(({ atDay, daysOut }) => {
            const drawnAt = WINDOW_START + Math.round(atDay * DAY_MS) + shift * DAY_MS;
            return { at: drawnAt, returnedAt: daysOut === null ? null : drawnAt + Math.round(daysOut * DAY_MS) };
          }),
          windowStart: WINDOW_START + shift * DAY_MS,
          windowEnd: WINDOW_START + (365 + shift) * DAY_MS,
        });
        const before = poolHistoryStats(at(0));
        const after = poolHistoryStats(at(shiftDays));
        expect(after.draws).toBe(before.draws);
        expect(after.drawsPerYear).toBeCloseTo(before.drawsPerYear, 9);
        expect(after.meanTurnaroundDays).toBeCloseTo(before.meanTurnaroundDays, 6);
      }),
      RUNS,
    );
  });
});
