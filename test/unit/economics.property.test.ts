/** Rules of the economics that hold for every input (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poolYearCost, yearEconomics } from '#domain/economics.ts';
import type { CostRates, VisitFacts } from '#domain/model.ts';
import { visitCost } from '#domain/visit-cost.ts';
import { aPoolHolding } from '#test/support/factories/visits.ts';

const minor = fc.integer({ min: 0, max: 10_000_000 });
const quantity = fc.integer({ min: 0, max: 100_000 }).map((hundredths) => hundredths / 100);

const rates: fc.Arbitrary<CostRates> = fc.record({
  currency: fc.constant('NOK'),
  onSiteHourMinor: minor,
  travelHourMinor: minor,
  kilometreMinor: fc.integer({ min: 0, max: 10_000 }),
  nightMinor: minor,
  dailyAllowanceMinor: minor,
  poolUnitYearlyMinor: minor,
  byCountry: fc.constant({ SE: { nightMinor: 160_000 } }),
  exchangeRates: fc.constant({ EUR: '11.65', JPY: '0.07' }),
});

const visit: fc.Arbitrary<VisitFacts> = fc.record({
  visitId: fc.constant('V-1'),
  hoursOnSite: quantity,
  travelHours: quantity,
  kilometres: quantity,
  nights: fc.integer({ min: 0, max: 30 }),
  otherCosts: fc.array(
    fc.record({ description: fc.constant('toll'), amountMinor: minor, currency: fc.constantFrom('NOK', 'EUR', 'JPY') }),
    { maxLength: 3 },
  ),
  country: fc.constantFrom('NO', 'SE'),
});

const contractCurrency = fc.constantFrom('NOK', 'EUR', 'JPY');

function costOf(facts: VisitFacts, costRates: CostRates, currency: string): number {
  const priced = visitCost(facts, costRates, currency);
  if (priced.kind !== 'priced') throw new Error(priced.reason);
  return priced.costMinor;
}

describe('economics for every generated contract year', () => {
  it('margin = revenue − credits − costs, and cost to serve = costs + credits', () => {
    fc.assert(
      fc.property(
        minor,
        minor,
        rates,
        fc.array(visit, { maxLength: 5 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom('exclusive' as const, 'shared' as const),
            unitsHeld: fc.integer({ min: 0, max: 20 }),
            drawsOfContract: fc.integer({ min: 0, max: 50 }),
            extraDraws: fc.integer({ min: 0, max: 50 }),
            entitledContracts: fc.integer({ min: 1, max: 30 }),
            exclusiveFeeMinor: minor,
          }),
          { maxLength: 3 },
        ),
        contractCurrency,
        (feeMinor, creditsMinor, costRates, visits, holdings, currency) => {
          const reported = visits.map((v) => ({ ...v, costMinor: costOf(v, costRates, currency) }));
          const pools = holdings.map(({ extraDraws, ...holding }, index) =>
            poolYearCost(aPoolHolding({ ...holding, poolId: `P-${index}`, drawsAll: holding.drawsOfContract + extraDraws }), costRates, currency),
          );
          const year = yearEconomics({ feeMinor, creditsMinor, visits: reported, pools, liabilityCapMinor: feeMinor });
          expect(year.marginMinor).toBe(year.revenueMinor - year.creditsMinor - year.costsMinor);
          expect(year.costToServeMinor).toBe(year.costsMinor + year.creditsMinor);
          expect(year.costsMinor).toBe(year.visits.costMinor + year.poolCarryingCostMinor);
          expect(year.revenueMinor).toBe(feeMinor + year.exclusivePoolFeesMinor);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the cost of a visit is monotone', () => {
  const more = fc.integer({ min: 1, max: 10_000 });
  const grown: Record<string, (v: VisitFacts, by: number) => VisitFacts> = {
    hoursOnSite: (v, by) => ({ ...v, hoursOnSite: (Math.round(v.hoursOnSite * 100) + by) / 100 }),
    travelHours: (v, by) => ({ ...v, travelHours: (Math.round(v.travelHours * 100) + by) / 100 }),
    kilometres: (v, by) => ({ ...v, kilometres: (Math.round(v.kilometres * 100) + by) / 100 }),
    nights: (v, by) => ({ ...v, nights: v.nights + (by % 10) + 1 }),
    otherCost: (v, by) => ({ ...v, otherCosts: [...v.otherCosts, { description: 'more', amountMinor: by, currency: 'EUR' }] }),
    otherCostAmount: (v, by) => ({ ...v, otherCosts: v.otherCosts.map((c, i) => (i === 0 ? { ...c, amountMinor: c.amountMinor + by } : c)) }),
  };

  it.each(Object.keys(grown))('in %s: more of it never costs less', (field) => {
    const grow = grown[field] as (v: VisitFacts, by: number) => VisitFacts;
    fc.assert(
      fc.property(visit, rates, contractCurrency, more, (facts, costRates, currency, by) => {
        expect(costOf(grow(facts, by), costRates, currency)).toBeGreaterThanOrEqual(costOf(facts, costRates, currency));
      }),
      { numRuns: 300 },
    );
  });

  it.each(['onSiteHourMinor', 'travelHourMinor', 'kilometreMinor', 'nightMinor', 'dailyAllowanceMinor'] as const)(
    'in the rate %s: a higher rate never costs less',
    (rate) => {
      fc.assert(
        fc.property(visit, rates, contractCurrency, more, (facts, costRates, currency, by) => {
          const higher = { ...costRates, [rate]: costRates[rate] + by, byCountry: {} };
          expect(costOf(facts, higher, currency)).toBeGreaterThanOrEqual(costOf(facts, { ...costRates, byCountry: {} }, currency));
        }),
        { numRuns: 300 },
      );
    },
  );
});
