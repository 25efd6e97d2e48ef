import { describe, expect, it } from 'vitest';
import { amountDueMinor, creditYear, liabilityCapMinor, percentOfMinor } from '#domain/credits.ts';
import type { CreditYearInput } from '#domain/credits.ts';
import { aBreach, at } from '#test/support/factories/contracts.ts';

const FEE = 12_000_000; // 120 000,00 kr

function year(overrides: Partial<CreditYearInput>): CreditYearInput {
  return { feeMinor: FEE, capPercent: 20, terminationWindowDays: 90, timeZone: 'Europe/Oslo', breaches: [], ...overrides };
}

describe('percent of an amount', () => {
  it('rounds 2 % of 33 333,33 (66 666,66 øre) half up to 66 667 øre', () => {
    // Act
    const credit = percentOfMinor(3_333_333, 2);

    // Assess
    expect(credit).toBe(66_667);
  });

  it('rounds an exact half up and keeps two-decimal percentages exact', () => {
    // Act / Assess
    expect(percentOfMinor(50, 1)).toBe(1);
    expect(percentOfMinor(49, 1)).toBe(0);
    expect(percentOfMinor(10_000, 2.07)).toBe(207);
    expect(percentOfMinor(1_000_000, 0.29)).toBe(2_900);
  });

  it('stays exact for amounts whose product would overflow a double', () => {
    // Act
    const credit = percentOfMinor(Number.MAX_SAFE_INTEGER, 100);

    // Assess
    expect(credit).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a percentage with more than two decimals and a fractional amount', () => {
    // Act / Assess
    expect(() => percentOfMinor(10_000, 2.005)).toThrow(/at most two decimals/);
    expect(() => percentOfMinor(100.5, 2)).toThrow(/minor units/);
  });
});

describe('credits of a contract year', () => {
  it('gives each breach its credit percent of the fee until the cap', () => {
    // Prepare
    const breaches = [aBreach({ caseId: 'A', kpi: 'firstResponse', creditPercent: 2, deadline: at('2026-02-01T10:00:00Z') })];

    // Act
    const credits = creditYear(year({ breaches }));

    // Assess
    expect(credits).toMatchObject({ feeMinor: FEE, capMinor: 2_400_000, totalMinor: 240_000, capReached: false, terminationRight: null });
    expect(credits.breaches).toEqual([{ ...breaches[0], key: 'A#firstResponse', creditMinor: 240_000 }]);
  });

  it('reaches the cap with a partial credit and opens the termination right from that breach deadline', () => {
    // Prepare: 7 % each, cap 20 %: 8 400 + 8 400 + 7 200 (partial)
    const third = at('2026-05-04T08:15:00Z');
    const breaches = [
      aBreach({ caseId: 'A', kpi: 'onSite', creditPercent: 7, deadline: at('2026-02-01T10:00:00Z') }),
      aBreach({ caseId: 'B', kpi: 'onSite', creditPercent: 7, deadline: at('2026-03-01T10:00:00Z') }),
      aBreach({ caseId: 'C', kpi: 'onSite', creditPercent: 7, deadline: third }),
    ];

    // Act
    const credits = creditYear(year({ breaches }));

    // Assess
    expect(credits.breaches.map((b) => b.creditMinor)).toEqual([840_000, 840_000, 720_000]);
    expect(credits.totalMinor).toBe(2_400_000);
    expect(credits.capReached).toBe(true);
    // Until the end of the 90th day after 4 May (2 August): midnight in Oslo, 22:00 UTC in summer.
    expect(credits.terminationRight).toEqual({ since: third, until: at('2026-08-02T22:00:00Z') });
  });

  it('counts breaches past the cap with no credit and keeps the right from the breach that reached it', () => {
    // Prepare: 10 % each, cap 20 %
    const second = at('2026-03-01T10:00:00Z');
    const breaches = [1, 2, 3, 4].map((month) =>
      aBreach({ caseId: `CASE-${month}`, kpi: 'resolution', creditPercent: 10, deadline: at(`2026-0${month + 1}-01T10:00:00Z`) }),
    );

    // Act
    const credits = creditYear(year({ breaches }));

    // Assess
    expect(credits.breaches.map((b) => b.creditMinor)).toEqual([1_200_000, 1_200_000, 0, 0]);
    expect(credits.breaches).toHaveLength(4);
    expect(credits.terminationRight?.since).toBe(second);
  });

  it('accrues in deadline order, ties broken by case id, then KPI order', () => {
    // Prepare: the cap (20 %) is only enough for the first two
    const deadline = at('2026-02-01T10:00:00Z');
    const breaches = [
      aBreach({ caseId: 'B', kpi: 'firstResponse', creditPercent: 10, deadline }),
      aBreach({ caseId: 'A', kpi: 'resolution', creditPercent: 10, deadline }),
      aBreach({ caseId: 'A', kpi: 'onSite', creditPercent: 10, deadline }),
      aBreach({ caseId: 'Z', kpi: 'firstResponse', creditPercent: 10, deadline: deadline - 1 }),
    ];

    // Act
    const credits = creditYear(year({ breaches }));

    // Assess
    expect(credits.breaches.map((b) => [b.key, b.creditMinor])).toEqual([
      ['Z#firstResponse', 1_200_000],
      ['A#onSite', 1_200_000],
      ['A#resolution', 0],
      ['B#firstResponse', 0],
    ]);
  });

  it('counts a (case, KPI) breach once', () => {
    // Prepare
    const breach = aBreach({ caseId: 'A', kpi: 'onSite', creditPercent: 5, deadline: at('2026-02-01T10:00:00Z') });

    // Act
    const credits = creditYear(year({ breaches: [breach, { ...breach, deadline: breach.deadline + 1 }] }));

    // Assess
    expect(credits.breaches).toHaveLength(1);
    expect(credits.totalMinor).toBe(600_000);
  });

  it('never reaches a zero cap: no credits offered, no termination right', () => {
    // Act
    const credits = creditYear(year({ capPercent: 0, breaches: [aBreach({ deadline: at('2026-02-01T10:00:00Z') })] }));

    // Assess
    expect(credits).toMatchObject({ capMinor: 0, totalMinor: 0, capReached: false, terminationRight: null });
  });
});

describe('money around the credits', () => {
  it('discounts the next fee by the credits, never below zero', () => {
    // Act / Assess
    expect(amountDueMinor(12_000_000, 840_000)).toBe(11_160_000);
    expect(amountDueMinor(1_000, 2_400)).toBe(0);
  });

  it('sets the liability cap as a percentage of the annual fee', () => {
    // Act / Assess
    expect(liabilityCapMinor(12_000_000, 100)).toBe(12_000_000);
    expect(liabilityCapMinor(3_333_333, 50)).toBe(1_666_667);
  });
});
