/**
 * The catalog's `costs` (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): the provider's rates in minor units of one
 * currency, per country where they differ, and the exchange rates that convert other currencies.
 */
import * as z from 'zod';
import type { CostRates, VisitRates } from '#domain/model.ts';

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'not an ISO 4217 code of three capital letters, e.g. NOK')
  .refine((code) => knownCurrencies.has(code), 'not an ISO 4217 currency code');

const minorRate = z.number().int('must be whole minor units (øre, cents)').min(0, 'must be 0 or more');

const visitRateFields = {
  onSiteHourMinor: minorRate,
  travelHourMinor: minorRate,
  kilometreMinor: minorRate,
  nightMinor: minorRate,
  dailyAllowanceMinor: minorRate,
};

/** Judged by its JSON text, like amounts: 11.65 is fine, 1e-7 and 0.0000001 are refused. */
const exchangeRate = z
  .number()
  .positive('must be greater than 0')
  .refine((rate) => /^\d+(?:\.\d{1,6})?$/.test(String(rate)), 'must be a decimal with at most 6 decimals, e.g. 11.65');

export const costsFileSchema = z
  .strictObject({
    currency: currencyCode,
    /** Free text for the operator, e.g. where the rates come from; the engine never reads it. */
    note: z.string().max(500).optional(),
    ...visitRateFields,
    poolUnitYearlyMinor: minorRate.optional(),
    byCountry: z
      .record(z.string().regex(/^[A-Z]{2}$/, 'not a 2-letter country code (ISO 3166-1, e.g. SE)'), z.strictObject(visitRateFields).partial())
      .optional(),
    exchangeRates: z.record(currencyCode, exchangeRate).optional(),
  })
  .superRefine((costs, context) => {
    if (costs.exchangeRates !== undefined && Object.hasOwn(costs.exchangeRates, costs.currency)) {
      context.addIssue({ code: 'custom', path: ['exchangeRates', costs.currency], message: `the costs are in ${costs.currency}: it needs no rate` });
    }
  });

export type CostsFile = z.infer<typeof costsFileSchema>;

export function toCostRates(file: CostsFile): CostRates {
  const rates = (fields: Partial<VisitRates>): Partial<VisitRates> =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return {
    currency: file.currency,
    onSiteHourMinor: file.onSiteHourMinor,
    travelHourMinor: file.travelHourMinor,
    kilometreMinor: file.kilometreMinor,
    nightMinor: file.nightMinor,
    dailyAllowanceMinor: file.dailyAllowanceMinor,
    poolUnitYearlyMinor: file.poolUnitYearlyMinor ?? 0,
    byCountry: Object.fromEntries(Object.entries(file.byCountry ?? {}).map(([country, override]) => [country, rates(override)])),
    exchangeRates: Object.fromEntries(Object.entries(file.exchangeRates ?? {}).map(([code, rate]) => [code, String(rate)])),
  };
}
