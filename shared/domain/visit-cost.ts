/**
 * The cost of an on-site visit (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): the catalog's rates (a country's
 * where they differ) times what the visit took, plus its other costs, converted to the contract's
 * currency by the rates the catalog states, and rounded half up to a minor unit once per visit.
 * Exact arithmetic throughout (BigInt fractions): no float ever touches money.
 */
import type { CostRates, VisitFacts, VisitRates } from './model.ts';
import { minorUnitDigits } from './money.ts';

/** A non-negative exact fraction. */
interface Fraction {
  readonly n: bigint;
  readonly d: bigint;
}

const ZERO: Fraction = { n: 0n, d: 1n };
const add = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const times = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.n, d: a.d * b.d });
const over = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.d, d: a.d * b.n });
const whole = (value: number): Fraction => ({ n: BigInt(value), d: 1n });
const tenTo = (digits: number): bigint => 10n ** BigInt(digits);

/** Half up to a whole minor unit. */
function roundHalfUp(value: Fraction): number {
  return Number((2n * value.n + value.d) / (2n * value.d));
}

/** A quantity with at most two decimals (hours, kilometres) as hundredths, exactly. */
export function hundredths(quantity: number): number {
  const scaled = Math.round(quantity * 100);
  if (!Number.isSafeInteger(scaled) || scaled < 0 || Math.abs(scaled - quantity * 100) > 1e-6) {
    throw new RangeError(`not a non-negative quantity with at most two decimals: ${quantity}`);
  }
  return scaled;
}

/** A plain decimal text ("11.65") as a fraction; null for anything else. */
function decimalFraction(text: string): Fraction | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) return null;
  const [, integer = '0', decimals = ''] = match;
  return { n: BigInt(`${integer}${decimals}`), d: tenTo(decimals.length) };
}

/** The rates that apply in `country`: the base rates, field by field overridden by the country's. */
export function ratesIn(rates: CostRates, country: string | undefined): VisitRates {
  const override = country === undefined ? undefined : rates.byCountry[country];
  return {
    onSiteHourMinor: override?.onSiteHourMinor ?? rates.onSiteHourMinor,
    travelHourMinor: override?.travelHourMinor ?? rates.travelHourMinor,
    kilometreMinor: override?.kilometreMinor ?? rates.kilometreMinor,
    nightMinor: override?.nightMinor ?? rates.nightMinor,
    dailyAllowanceMinor: override?.dailyAllowanceMinor ?? rates.dailyAllowanceMinor,
  };
}

/**
 * Started days away: a trip with n nights spans n + 1 days, and a day is started by every begun 24
 * hours of time on site and travelling together; no time and no night is no day.
 */
export function startedDaysAway(visit: Pick<VisitFacts, 'hoursOnSite' | 'travelHours' | 'nights'>): number {
  const hours = hundredths(visit.hoursOnSite) + hundredths(visit.travelHours);
  if (hours === 0 && visit.nights === 0) return 0;
  return Math.max(visit.nights + 1, Math.ceil(hours / 2400));
}

/** No costs in the catalog: every rate is 0, and only money already in the contract's currency converts. */
export function noCostRates(currency: string): CostRates {
  return {
    currency,
    onSiteHourMinor: 0,
    travelHourMinor: 0,
    kilometreMinor: 0,
    nightMinor: 0,
    dailyAllowanceMinor: 0,
    poolUnitYearlyMinor: 0,
    byCountry: {},
    exchangeRates: {},
  };
}

/** Converts minor units between currencies through the catalog's stated rates (relative to the costs currency). */
export interface Converter {
  /** Minor units of `currency` as an exact amount of the costs currency's minor units; null without a stated rate. */
  toCostsMinor(amountMinor: number, currency: string): Fraction | null;
  /** An exact amount of the costs currency's minor units in `currency`'s minor units; null without a stated rate. */
  fromCostsMinor(amount: Fraction, currency: string): Fraction | null;
}

export function converter(rates: CostRates): Converter {
  const costsDigits = minorUnitDigits(rates.currency);
  const rateOf = (currency: string): Fraction | null => {
    if (currency === rates.currency) return { n: 1n, d: 1n };
    const text = rates.exchangeRates[currency];
    const rate = text === undefined ? null : decimalFraction(text);
    return rate === null || rate.n === 0n ? null : rate;
  };
  return {
    toCostsMinor(amountMinor, currency) {
      const rate = rateOf(currency);
      if (rate === null) return null;
      // minor / 10^digits(currency) major × rate × 10^digits(costs) minor of the costs currency.
      return times(times(whole(amountMinor), rate), { n: tenTo(costsDigits), d: tenTo(minorUnitDigits(currency)) });
    },
    fromCostsMinor(amount, currency) {
      const rate = rateOf(currency);
      if (rate === null) return null;
      return times(over(amount, rate), { n: tenTo(minorUnitDigits(currency)), d: tenTo(costsDigits) });
    },
  };
}

export type PricedAmount = { readonly kind: 'priced'; readonly costMinor: number } | { readonly kind: 'unpriced'; readonly reason: string };

function noRate(rates: CostRates, currency: string): string {
  return `costs are in ${rates.currency} and the catalog states no exchange rate for ${currency} (costs.exchangeRates)`;
}

/** An exact amount of the costs currency in the contract's currency, rounded half up once. */
export function inContractCurrency(amount: Fraction, rates: CostRates, contractCurrency: string): PricedAmount {
  const converted = converter(rates).fromCostsMinor(amount, contractCurrency);
  return converted === null ? { kind: 'unpriced', reason: noRate(rates, contractCurrency) } : { kind: 'priced', costMinor: roundHalfUp(converted) };
}

/**
 * The cost of one visit in the contract's currency, minor units: hours on site and travelling,
 * kilometres, nights and the allowance per started day at the rates of the visit's country, plus
 * its other costs; rounded half up once, on the total. Unpriced (with the reason) when an amount's
 * currency has no stated exchange rate.
 */
export function visitCost(visit: VisitFacts, rates: CostRates, contractCurrency: string): PricedAmount {
  const applying = ratesIn(rates, visit.country);
  const perHundredth = (quantity: number, rateMinor: number): Fraction => ({ n: BigInt(hundredths(quantity)) * BigInt(rateMinor), d: 100n });
  let total = [
    perHundredth(visit.hoursOnSite, applying.onSiteHourMinor),
    perHundredth(visit.travelHours, applying.travelHourMinor),
    perHundredth(visit.kilometres, applying.kilometreMinor),
    whole(visit.nights * applying.nightMinor),
    whole(startedDaysAway(visit) * applying.dailyAllowanceMinor),
  ].reduce(add, ZERO);
  const convert = converter(rates);
  for (const other of visit.otherCosts) {
    const amount = convert.toCostsMinor(other.amountMinor, other.currency);
    if (amount === null) return { kind: 'unpriced', reason: `other cost "${other.description}": ${noRate(rates, other.currency)}` };
    total = add(total, amount);
  }
  return inContractCurrency(total, rates, contractCurrency);
}

/** A yearly amount in minor units of the costs currency times a share (`part` of `of`), in the contract's currency. */
export function shareInContractCurrency(
  amountMinor: number,
  part: number,
  of: number,
  rates: CostRates,
  contractCurrency: string,
): PricedAmount {
  if (of <= 0 || part <= 0) return { kind: 'priced', costMinor: 0 };
  return inContractCurrency({ n: BigInt(amountMinor) * BigInt(part), d: BigInt(of) }, rates, contractCurrency);
}
