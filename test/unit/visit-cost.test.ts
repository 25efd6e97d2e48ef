/** The cost of a visit (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): rates, days away, countries, currencies, rounding. */
import { describe, expect, it } from 'vitest';
import { startedDaysAway, visitCost } from '#domain/visit-cost.ts';
import { aVisit, someRates } from '#test/support/factories/visits.ts';

describe('the cost of a visit', () => {
  it('is rounded half up once per visit, on its total, never per part', () => {
    // Prepare: 101 øre an hour; half an hour on site and half an hour travelling are 50.5 øre each.
    const rates = someRates({ onSiteHourMinor: 101, travelHourMinor: 101, dailyAllowanceMinor: 0 });

    // Act
    const both = visitCost(aVisit({ hoursOnSite: 0.5, travelHours: 0.5 }), rates, 'NOK');
    const one = visitCost(aVisit({ hoursOnSite: 0.5 }), rates, 'NOK');

    // Assess: 50.5 + 50.5 = 101 exactly (per part it would be 51 + 51 = 102); 50.5 alone rounds up to 51.
    expect(both).toEqual({ kind: 'priced', costMinor: 101 });
    expect(one).toEqual({ kind: 'priced', costMinor: 51 });
  });

  it('adds every rate times what the visit took, with the allowance per started day', () => {
    // 3.5 h × 1 000 + 4 h × 500 + 312.4 km × 4 + 1 night × 1 500 + 2 days × 800 + ferry 1 290
    // = 3 500 + 2 000 + 1 249.60 + 1 500 + 1 600 + 1 290 = 11 139.60 kr.
    const visit = aVisit({
      hoursOnSite: 3.5,
      travelHours: 4,
      kilometres: 312.4,
      nights: 1,
      otherCosts: [{ description: 'ferry', amountMinor: 129_000, currency: 'NOK' }],
    });
    expect(visitCost(visit, someRates(), 'NOK')).toEqual({ kind: 'priced', costMinor: 1_113_960 });
  });

  it('counts allowances per started day away: nights + 1, or every begun 24 hours away, whichever is more', () => {
    expect(startedDaysAway(aVisit())).toBe(0);
    expect(startedDaysAway(aVisit({ hoursOnSite: 2 }))).toBe(1);
    expect(startedDaysAway(aVisit({ hoursOnSite: 20, travelHours: 4 }))).toBe(1);
    expect(startedDaysAway(aVisit({ hoursOnSite: 20, travelHours: 4.01 }))).toBe(2);
    expect(startedDaysAway(aVisit({ hoursOnSite: 3, nights: 1 }))).toBe(2);
    expect(startedDaysAway(aVisit({ hoursOnSite: 30, travelHours: 20, nights: 1 }))).toBe(3);
    expect(startedDaysAway(aVisit({ nights: 2 }))).toBe(3);
  });

  it('uses a country override where the catalog has one, field by field, and the base rates elsewhere', () => {
    // Prepare: in Sweden a night costs 1 600 kr; everything else as at home.
    const rates = someRates({ byCountry: { SE: { nightMinor: 160_000 } } });
    const trip = { hoursOnSite: 6, nights: 1 };

    // Act
    const home = visitCost(aVisit({ ...trip, country: 'NO' }), rates, 'NOK');
    const sweden = visitCost(aVisit({ ...trip, country: 'SE' }), rates, 'NOK');
    const unnamed = visitCost(aVisit(trip), rates, 'NOK');

    // Assess: 6 000 + 1 500 + 2 × 800 = 9 100 kr at home; 9 200 kr in Sweden.
    expect(home).toEqual({ kind: 'priced', costMinor: 910_000 });
    expect(sweden).toEqual({ kind: 'priced', costMinor: 920_000 });
    expect(unnamed).toEqual(home);
  });

  it('converts to the contract currency by the rate the catalog states', () => {
    // 11.65 NOK = 1 EUR: 1 h on site and a day's allowance (1 000 + 800 = 1 800 kr) are 154.506… EUR → 154.51 EUR.
    expect(visitCost(aVisit({ hoursOnSite: 1 }), someRates(), 'EUR')).toEqual({ kind: 'priced', costMinor: 15_451 });
    // A parking fee of 10.00 EUR on a NOK contract is 116.50 kr.
    const parking = aVisit({ otherCosts: [{ description: 'parking', amountMinor: 1_000, currency: 'EUR' }] });
    expect(visitCost(parking, someRates(), 'NOK')).toEqual({ kind: 'priced', costMinor: 11_650 });
  });

  it('is not priced when an amount has a currency the catalog states no rate for, and says which', () => {
    const cost = visitCost(aVisit({ hoursOnSite: 1 }), someRates(), 'SEK');
    expect(cost).toEqual({
      kind: 'unpriced',
      reason: 'costs are in NOK and the catalog states no exchange rate for SEK (costs.exchangeRates)',
    });
    const toll = aVisit({ otherCosts: [{ description: 'Øresund toll', amountMinor: 50_000, currency: 'DKK' }] });
    expect(visitCost(toll, someRates(), 'NOK')).toMatchObject({ kind: 'unpriced', reason: expect.stringContaining('Øresund toll') as unknown });
  });

  it('counts a currency without minor units exactly (JPY)', () => {
    // 1 000 kr at 0.07 NOK per yen is 14 285.71… yen → 14 286 yen.
    const rates = someRates({ dailyAllowanceMinor: 0, exchangeRates: { JPY: '0.07' } });
    expect(visitCost(aVisit({ hoursOnSite: 1 }), rates, 'JPY')).toEqual({ kind: 'priced', costMinor: 14_286 });
  });
});
