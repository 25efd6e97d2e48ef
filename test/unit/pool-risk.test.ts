import { describe, expect, it } from 'vitest';
import { erlangB, poissonTail, poolHistoryStats, poolRisk, YEAR_DAYS } from '#domain/pool-risk.ts';
import { DAY_MS } from '#domain/time.ts';
import { directPoissonTail } from '#test/support/poisson-direct.ts';

const WINDOW_START = Date.parse('2026-01-01T00:00:00Z');
const day = (n: number): number => WINDOW_START + n * DAY_MS;

describe('poissonTail: P(X ≥ s) for X ~ Poisson(m)', () => {
  it('is 1 − e^−1 for m = 1, s = 1', () => {
    expect(poissonTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 15);
  });

  it('is 1 − 5e^−2 for m = 2, s = 3 (1 − e^−2·(1 + 2 + 2))', () => {
    expect(poissonTail(2, 3)).toBeCloseTo(1 - 5 * Math.exp(-2), 15);
  });

  it('is 1 for s = 0 whatever m, and 0 for m = 0 and s ≥ 1', () => {
    expect(poissonTail(0, 0)).toBe(1);
    expect(poissonTail(350, 0)).toBe(1);
    expect(poissonTail(0, 1)).toBe(0);
    expect(poissonTail(0, 1000)).toBe(0);
  });

  // Reference values from mpmath at 60 digits (the series summed exactly, not in doubles).
  it.each([
    [0.383, 1, '0.31818710071400944703'],
    [0.383, 4, '0.00066127821865574746903'],
    [5, 12, '0.00545309191300935935'],
    [300, 250, '0.99862252812247179799'],
    [300, 300, '0.50767778888626349925'],
    [300, 350, '0.0026060275481519839287'],
    [300, 400, '2.2066520142884453679e-8'],
    [300, 1000, '2.4149201482967856032e-221'],
    [800, 700, '0.99985594984617895417'],
    [0.001, 5, '8.3263918642115023903e-18'],
  ])('is within 1e−12 (relative) of the exact value for m = %d, s = %d', (m, s, digits) => {
    const exact = Number(digits);
    expect(Math.abs(poissonTail(m, s) - exact)).toBeLessThanOrEqual(1e-12 * exact);
  });

  it.each([
    [0.383, 3],
    [12, 7],
    [150, 180],
    [420, 390],
  ])('agrees with direct summation of its terms for m = %d, s = %d', (m, s) => {
    const direct = directPoissonTail(m, s);
    expect(Math.abs(poissonTail(m, s) - direct)).toBeLessThanOrEqual(1e-9 * direct);
  });

  it('keeps a tail far below double rounding (m = 300, s = 1000 is about 2.4e−221) instead of 1 − 1 = 0', () => {
    const tail = poissonTail(300, 1000);
    expect(tail).toBeGreaterThan(2.4e-221);
    expect(tail).toBeLessThan(2.5e-221);
  });

  it.each([
    [-1, 1, 'm: must be a finite number ≥ 0, got -1'],
    [Number.NaN, 1, 'm: must be a finite number ≥ 0, got NaN'],
    [Number.POSITIVE_INFINITY, 1, 'm: must be a finite number ≥ 0, got Infinity'],
    [1, -1, 's: must be a whole number ≥ 0, got -1'],
    [1, 1.5, 's: must be a whole number ≥ 0, got 1.5'],
  ])('refuses m = %d, s = %d', (m, s, message) => {
    expect(() => poissonTail(m, s)).toThrow(message);
  });
});

describe('erlangB: the share a refusing pool turns away', () => {
  it('is m/(1 + m) for one unit and m²/2 ÷ (1 + m + m²/2) for two', () => {
    expect(erlangB(1, 1)).toBe(0.5);
    expect(erlangB(2, 2)).toBeCloseTo(2 / 5, 15);
  });

  it('is 1 without units and 0 without anything out', () => {
    expect(erlangB(3, 0)).toBe(1);
    expect(erlangB(0, 2)).toBe(0);
  });
});

describe('poolRisk', () => {
  it('works the README example: 20 customers × 0.5 failures a year, 14 days out → 3 units for 99 %', () => {
    // Prepare
    const pool = { drawsPerYear: 20 * 0.5, meanTurnaroundDays: 14, targetAvailability: 0.99 };

    // Act
    const risks = [0, 1, 2, 3, 4].map((units) => poolRisk({ ...pool, units }));

    // Assess
    expect(risks[0]?.meanOut).toBeCloseTo((10 * 14) / 365.25, 15);
    expect(risks.map((risk) => Number(risk.pEmpty.toFixed(4)))).toEqual([1, 0.3184, 0.0571, 0.0071, 0.0007]);
    expect(new Set(risks.map((risk) => risk.unitsNeeded))).toEqual(new Set([3]));
  });

  it('counts a pool without units as always empty, and asks for one unit even when nothing is ever drawn', () => {
    expect(poolRisk({ units: 0, drawsPerYear: 0, meanTurnaroundDays: 0, targetAvailability: 0.99 })).toEqual({ meanOut: 0, pEmpty: 1, unitsNeeded: 1 });
    expect(poolRisk({ units: 2, drawsPerYear: 0, meanTurnaroundDays: 14, targetAvailability: 0.99 })).toEqual({ meanOut: 0, pEmpty: 0, unitsNeeded: 1 });
  });

  it('measures m in Julian years of 365.25 days', () => {
    expect(poolRisk({ units: 1, drawsPerYear: 1, meanTurnaroundDays: YEAR_DAYS, targetAvailability: 0.5 }).meanOut).toBe(1);
  });

  it('finds the units for a large pool: m = 300 at 99.9 % needs 356', () => {
    const { unitsNeeded } = poolRisk({ units: 300, drawsPerYear: 300, meanTurnaroundDays: YEAR_DAYS, targetAvailability: 0.999 });
    expect(directPoissonTail(300, unitsNeeded)).toBeLessThanOrEqual(0.001);
    expect(directPoissonTail(300, unitsNeeded - 1)).toBeGreaterThan(0.001);
    expect(unitsNeeded).toBe(356);
  });

  it.each([
    [{ units: -1 }, 'units: must be a whole number ≥ 0, got -1'],
    [{ units: 1.5 }, 'units: must be a whole number ≥ 0, got 1.5'],
    [{ drawsPerYear: Number.NaN }, 'drawsPerYear: must be a finite number ≥ 0, got NaN'],
    [{ drawsPerYear: -2 }, 'drawsPerYear: must be a finite number ≥ 0, got -2'],
    [{ meanTurnaroundDays: -14 }, 'meanTurnaroundDays: must be a finite number ≥ 0, got -14'],
    [{ targetAvailability: 1 }, 'targetAvailability: must be strictly between 0 and 1, got 1'],
    [{ targetAvailability: 0 }, 'targetAvailability: must be strictly between 0 and 1, got 0'],
    [{ targetAvailability: 99 }, 'targetAvailability: must be strictly between 0 and 1, got 99'],
    [{ targetAvailability: Number.NaN }, 'targetAvailability: must be strictly between 0 and 1, got NaN'],
    [{ drawsPerYear: 1e308, meanTurnaroundDays: 1e308 }, 'drawsPerYear × meanTurnaroundDays: must be a finite number ≥ 0, got Infinity'],
  ])('refuses %o with the field named', (change, message) => {
    expect(() => poolRisk({ units: 2, drawsPerYear: 10, meanTurnaroundDays: 14, targetAvailability: 0.99, ...change })).toThrow(message);
  });
});

describe('poolHistoryStats: Λ and T from a pool history by Little’s law', () => {
  it('gives the draws per year and their mean turnaround when every draw is back inside the window', () => {
    // Prepare: a year-long window, 4 draws out 10, 20, 30 and 40 days
    const draws = [10, 20, 30, 40].map((days, index) => ({ at: day(index * 60), returnedAt: day(index * 60 + days) }));

    // Act
    const stats = poolHistoryStats({ draws, windowStart: WINDOW_START, windowEnd: day(YEAR_DAYS) });

    // Assess
    expect(stats.drawsPerYear).toBeCloseTo(4, 12);
    expect(stats.meanTurnaroundDays).toBeCloseTo(25, 12);
    expect(stats).toMatchObject({ draws: 4, returned: 4, refused: 0 });
  });

  it('counts a unit still out up to windowEnd, and one drawn before the window from windowStart', () => {
    const draws = [
      { at: day(-5), returnedAt: day(5) }, // 5 days inside, not a draw of the window
      { at: day(100), returnedAt: day(120) }, // 20 days
      { at: day(170), returnedAt: null }, // still out: 30 days so far
      { at: day(190), returnedAt: day(260) }, // back after windowEnd: 10 days inside
      { at: day(300), returnedAt: day(310) }, // after the window: ignored
    ];

    const stats = poolHistoryStats({ draws, windowStart: WINDOW_START, windowEnd: day(200) });

    expect(stats).toMatchObject({ draws: 3, returned: 1 });
    expect(stats.drawsPerYear).toBeCloseTo((3 * YEAR_DAYS) / 200, 12);
    expect(stats.meanTurnaroundDays).toBeCloseTo((5 + 20 + 30 + 10) / 3, 12);
    // m = Λ·T is the time-average number of units out in the window: 65 unit-days in 200 days.
    const { meanOut } = poolRisk({ units: 1, ...stats, targetAvailability: 0.99 });
    expect(meanOut).toBeCloseTo(65 / 200, 12);
  });

  it('counts refused requests in the demand Λ but not in the turnaround', () => {
    // Prepare: two granted draws of 10 days, two refused requests in the window and one before it
    const draws = [{ at: day(10), returnedAt: day(20) }, { at: day(40), returnedAt: day(50) }];
    const refused = [day(-1), day(12), day(45)];

    // Act
    const stats = poolHistoryStats({ draws, refused, windowStart: WINDOW_START, windowEnd: day(YEAR_DAYS) });

    // Assess
    expect(stats).toMatchObject({ draws: 2, returned: 2, refused: 2 });
    expect(stats.drawsPerYear).toBeCloseTo(4, 12);
    expect(stats.meanTurnaroundDays).toBeCloseTo(10, 12);
  });

  it('gives zero draws and zero turnaround for a window without draws', () => {
    expect(poolHistoryStats({ draws: [], windowStart: WINDOW_START, windowEnd: day(30) })).toEqual({ drawsPerYear: 0, meanTurnaroundDays: 0, draws: 0, returned: 0, refused: 0 });
  });

  it.each([
    [{ windowEnd: WINDOW_START }, 'windowEnd: must be a finite instant after windowStart'],
    [{ windowEnd: Number.NaN }, 'windowEnd: must be a finite instant after windowStart'],
    [{ draws: [{ at: day(3), returnedAt: day(2) }] }, 'draws[0].returnedAt: must be a finite instant not before at'],
    [{ draws: [{ at: Number.NaN, returnedAt: null }] }, 'draws[0].at: must be a finite instant, got NaN'],
    [{ refused: [day(1), Number.POSITIVE_INFINITY] }, 'refused[1]: must be a finite instant, got Infinity'],
  ])('refuses %o with the field named', (change, message) => {
    expect(() => poolHistoryStats({ draws: [], windowStart: WINDOW_START, windowEnd: day(30), ...change })).toThrow(message);
  });
});
