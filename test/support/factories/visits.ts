/** Visits, cost rates and pool holdings for the economics tests. */
import type { CostRates, ReportedVisit, VisitFacts } from '#domain/model.ts';
import type { PoolHolding } from '#domain/economics.ts';

/** Round numbers, so a test's comment can do the sums: NOK, 1 000 kr/h on site, 500 kr/h travelling. */
export function someRates(overrides: Partial<CostRates> = {}): CostRates {
  return {
    currency: 'NOK',
    onSiteHourMinor: 100_000,
    travelHourMinor: 50_000,
    kilometreMinor: 400,
    nightMinor: 150_000,
    dailyAllowanceMinor: 80_000,
    poolUnitYearlyMinor: 300_000,
    byCountry: {},
    exchangeRates: { EUR: '11.65' },
    ...overrides,
  };
}

export function aVisit(overrides: Partial<VisitFacts> = {}): VisitFacts {
  return { visitId: 'V-1', hoursOnSite: 0, travelHours: 0, kilometres: 0, nights: 0, otherCosts: [], ...overrides };
}

export function aReportedVisit(costMinor: number, overrides: Partial<VisitFacts> = {}): ReportedVisit {
  return { ...aVisit(overrides), costMinor };
}

export function aPoolHolding(overrides: Partial<PoolHolding> = {}): PoolHolding {
  return {
    poolId: 'P-1',
    kind: 'shared',
    unitsHeld: 1,
    drawsOfContract: 0,
    drawsAll: 0,
    entitledContracts: 1,
    exclusiveFeeMinor: 0,
    ...overrides,
  };
}
