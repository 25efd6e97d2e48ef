/** The economics of a contract year and of a service level (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). */
import { describe, expect, it } from 'vitest';
import { levelEconomics, poolYearCost, yearEconomics, type PortfolioYear } from '#domain/economics.ts';
import { aPoolHolding, aReportedVisit, someRates } from '#test/support/factories/visits.ts';

const NO_CLOCKS = {
  firstResponse: { decided: 0, breached: 0 },
  onSite: { decided: 0, breached: 0 },
  replacement: { decided: 0, breached: 0 },
  resolution: { decided: 0, breached: 0 },
};

describe('the pools’ carrying cost of a contract year', () => {
  it('charges an exclusive pool wholly to its contract and counts its fee as revenue', () => {
    // 2 units × 3 000 kr a year.
    const cost = poolYearCost(aPoolHolding({ kind: 'exclusive', unitsHeld: 2, exclusiveFeeMinor: 900_000 }), someRates(), 'NOK');
    expect(cost).toEqual({ poolId: 'P-1', carryingCost: { kind: 'priced', costMinor: 600_000 }, exclusiveFeeMinor: 900_000 });
  });

  it('splits a shared pool over its entitled contracts by their draws', () => {
    // 3 units × 3 000 kr = 9 000 kr; this contract drew 1 of 3: 3 000 kr.
    const cost = poolYearCost(aPoolHolding({ unitsHeld: 3, drawsOfContract: 1, drawsAll: 3, entitledContracts: 4, exclusiveFeeMinor: 5 }), someRates(), 'NOK');
    expect(cost).toEqual({ poolId: 'P-1', carryingCost: { kind: 'priced', costMinor: 300_000 }, exclusiveFeeMinor: 0 });
  });

  it('splits a shared pool nobody drew from evenly over its entitled contracts, rounded half up', () => {
    // 1 unit × 3 000 kr over 7 contracts: 428.571… kr → 428.57 kr.
    const cost = poolYearCost(aPoolHolding({ unitsHeld: 1, entitledContracts: 7 }), someRates(), 'NOK');
    expect(cost.carryingCost).toEqual({ kind: 'priced', costMinor: 42_857 });
  });

  it('charges nothing of a shared pool to a contract that did not draw while others did', () => {
    const cost = poolYearCost(aPoolHolding({ unitsHeld: 4, drawsOfContract: 0, drawsAll: 5 }), someRates(), 'NOK');
    expect(cost.carryingCost).toEqual({ kind: 'priced', costMinor: 0 });
  });
});

describe('the economics of a contract year', () => {
  it('is revenue (fee and exclusive pool fees) less credits, visit costs and pool carrying cost', () => {
    // Prepare: fee 120 000 kr, credits 8 400 kr, two visits 11 139.60 + 2 000 kr, an exclusive pool
    // (2 units: 6 000 kr a year, fee 9 000 kr).
    const pool = poolYearCost(aPoolHolding({ kind: 'exclusive', unitsHeld: 2, exclusiveFeeMinor: 900_000 }), someRates(), 'NOK');

    // Act
    const year = yearEconomics({
      feeMinor: 12_000_000,
      creditsMinor: 840_000,
      visits: [aReportedVisit(1_113_960, { hoursOnSite: 3.5, travelHours: 4, kilometres: 312.4, nights: 1 }), aReportedVisit(200_000, { visitId: 'V-2', hoursOnSite: 0.1, kilometres: 0.2 })],
      pools: [pool],
      liabilityCapMinor: 12_000_000,
    });

    // Assess: revenue 129 000; costs 13 139.60 + 6 000 = 19 139.60; cost to serve 27 539.60; margin 101 460.40 kr.
    expect(year.visits).toEqual({ count: 2, hoursOnSite: 3.6, travelHours: 4, kilometres: 312.6, nights: 1, costMinor: 1_313_960 });
    expect(year.revenueMinor).toBe(12_900_000);
    expect(year.costsMinor).toBe(1_913_960);
    expect(year.costToServeMinor).toBe(2_753_960);
    expect(year.marginMinor).toBe(10_146_040);
    // Against the liability cap of 120 000 kr: credits 7 %, cost to serve 22.9 %.
    expect(year.liability).toEqual({ capMinor: 12_000_000, creditsPercentOfCap: 7, costToServePercentOfCap: 22.9 });
  });

  it('can lose money: the margin is negative when serving cost more than the year earned', () => {
    const year = yearEconomics({ feeMinor: 100_000, creditsMinor: 20_000, visits: [aReportedVisit(150_000)], pools: [], liabilityCapMinor: 0 });
    expect(year.marginMinor).toBe(-70_000);
    expect(year.liability).toEqual({ capMinor: 0, creditsPercentOfCap: null, costToServePercentOfCap: null });
  });

  it('names a pool it could not price (no exchange rate) and counts it as 0', () => {
    const pool = poolYearCost(aPoolHolding({ kind: 'exclusive' }), someRates(), 'SEK');
    const year = yearEconomics({ feeMinor: 100_000, creditsMinor: 0, visits: [], pools: [pool], liabilityCapMinor: 100_000 });
    expect(year.poolCarryingCostMinor).toBe(0);
    expect(year.unpriced).toEqual(['pool P-1: costs are in NOK and the catalog states no exchange rate for SEK (costs.exchangeRates)']);
  });
});

describe('the economics per service level', () => {
  const yearOf = (revenue: number, credits: number, costs: number, clocks = NO_CLOCKS): PortfolioYear => ({
    economics: yearEconomics({ feeMinor: revenue, creditsMinor: credits, visits: [aReportedVisit(costs)], pools: [], liabilityCapMinor: revenue }),
    clocks,
  });

  it('sums contracts, revenue, credits, costs and margin per level and currency, and the breach rate per KPI', () => {
    // Prepare: two premium NOK contracts (one over two years), a premium EUR one, a basic one.
    const clocks = { ...NO_CLOCKS, firstResponse: { decided: 10, breached: 1 }, onSite: { decided: 3, breached: 2 } };
    const contracts = [
      { serviceLevel: 'premium', currency: 'NOK', years: [yearOf(1000, 100, 50, clocks), yearOf(1000, 0, 20, clocks)] },
      { serviceLevel: 'premium', currency: 'NOK', years: [yearOf(2000, 10, 5, { ...NO_CLOCKS, firstResponse: { decided: 20, breached: 0 } })] },
      { serviceLevel: 'premium', currency: 'EUR', years: [yearOf(300, 0, 0)] },
      { serviceLevel: 'basic', currency: 'NOK', years: [yearOf(500, 0, 600)] },
    ];

    // Act
    const levels = levelEconomics(contracts);

    // Assess: premium NOK first-response 2 of 40 = 0.05, on site 4 of 6 = 0.6667; money never mixed across currencies.
    expect(levels.map((l) => `${l.level} ${l.currency}`)).toEqual(['basic NOK', 'premium EUR', 'premium NOK']);
    expect(levels[2]).toEqual({
      level: 'premium',
      currency: 'NOK',
      contracts: 2,
      revenueMinor: 4000,
      creditsMinor: 110,
      costsMinor: 75,
      marginMinor: 3815,
      breachRate: { firstResponse: 0.05, onSite: 0.6667, replacement: null, resolution: null },
    });
    expect(levels[0]?.marginMinor).toBe(-100);
  });
});
