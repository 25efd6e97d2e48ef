/**
 * Field schemas the v1 events share: identifiers, instants, dates, zones, money.
 * Each carries the description that the published JSON Schema shows to integrators.
 *
 * Written with `zod/mini` (checks passed to `.check()`, wrappers as functions): the intake bundle carries
 * these schemas, and mini bundles far smaller than classic zod. Mini sets no error locale (its messages
 * would all be "Invalid input"), so English is configured here, as classic zod does on first use: the
 * messages and paths are classic zod's.
 */
import * as z from 'zod/mini';
// $ZodCheck by name: `z.core.$ZodCheck` would keep the whole core namespace (≈ 350 KB) in every bundle.
import { $ZodCheck } from 'zod/v4/core';
import { en } from 'zod/locales';
import { DECIMAL_AMOUNT, MAX_AMOUNT, MAX_FRACTION_DIGITS } from './decimal-amount.ts';

z.config(en());

/**
 * `z.describe` as `z.compile` takes it (shared/events/parse.ts): the same description in the global
 * registry when attached, the same no-op when parsing, but a `custom` check, which the compiler runs
 * (a `describe` check it refuses, leaving every event on the slower interpreted parse).
 */
export function describe(description: string): $ZodCheck<unknown> {
  const check = new $ZodCheck({ check: 'custom' });
  check._zod.onattach = [
    (schema) => {
      z.globalRegistry.add(schema, { ...(z.globalRegistry.get(schema) ?? {}), description });
    },
  ];
  check._zod.check = () => {};
  return check;
}

const IANA_ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

function isKnownTimeZone(timeZone: string): boolean {
  if (!IANA_ZONE_SHAPE.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

export const identifier = (what: string) => z.string().check(z.minLength(1), z.maxLength(128), describe(what));

/** Instants the engine accepts (docs/design.md#order-and-duplicates): 2000-01-01T00:00:00Z … 2100-12-31T23:59:59Z, both included. */
export const INSTANT_WINDOW = { from: Date.UTC(2000, 0, 1), to: Date.UTC(2100, 11, 31, 23, 59, 59) } as const;
const WINDOW_TEXT = 'between 2000-01-01T00:00:00Z and 2100-12-31T23:59:59Z';

export function isInsideInstantWindow(instant: number): boolean {
  return instant >= INSTANT_WINDOW.from && instant <= INSTANT_WINDOW.to;
}

export const occurredAt = z.iso
  .datetime({ offset: true })
  .check(
    z.refine((text) => isInsideInstantWindow(Date.parse(text)), { message: `must lie ${WINDOW_TEXT}` }),
    describe(`When it happened at the source: ISO-8601 with seconds and an offset (\`Z\` or \`+01:00\`), ${WINDOW_TEXT}.`),
  );

/** A date of the years 2000–2100 (the instant window, read as calendar dates). */
export const localDate = (what: string) =>
  z.iso
    .date()
    .check(
      z.refine((text) => text >= '2000-01-01' && text <= '2100-12-31', { message: 'must lie between 2000-01-01 and 2100-12-31' }),
      describe(`${what} (YYYY-MM-DD, a real calendar date, 2000-01-01 … 2100-12-31).`),
    );

export const timeZone = z
  .string()
  .check(
    z.refine(isKnownTimeZone, { message: 'must be an IANA time zone such as Europe/Oslo' }),
    describe('IANA time zone of the contract (e.g. `Europe/Oslo`); contract dates are midnights in this zone.'),
  );

export const currency = z
  .string()
  .check(
    z.regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code of three capital letters, e.g. NOK' }),
    z.refine((code) => knownCurrencies.has(code), { message: 'is not an ISO 4217 currency code' }),
    describe('ISO 4217 currency code, e.g. `NOK`, `EUR`.'),
  );

/**
 * The shape of an amount; how many decimals its currency allows is checked with the currency, on the
 * object holding both (`annualFeeSchema` in `./schemas.ts`).
 */
export const amount = z
  .union([
    z.string().check(
      z.regex(DECIMAL_AMOUNT, {
        message: `must be a non-negative decimal with at most ${MAX_FRACTION_DIGITS} decimals, e.g. "1234.50"`,
      }),
    ),
    z.number().check(
      z.nonnegative({ message: 'must not be negative' }),
      z.lte(MAX_AMOUNT),
      // Numbers are judged by their JSON text: 1e21 or 0.00001 are refused, 1234.5 is fine.
      z.refine((value) => DECIMAL_AMOUNT.test(String(value)), { message: `must have at most ${MAX_FRACTION_DIGITS} decimals` }),
    ),
  ])
  .check(
    describe(
      'Amount in major units: a decimal string ("1234.50") or a number, with at most as many decimals as the ' +
        "currency's ISO 4217 minor unit (2 for NOK, EUR, USD; 0 for JPY, ISK; 3 for KWD).",
    ),
  );
