/**
 * The amount rule both the schema and the mapping to minor units use. Kept apart from `fields.ts`
 * (which builds zod schemas when loaded) so that mapping an already-parsed event, as the sweep does for
 * parked events, does not bring zod into a bundle.
 *
 * The shape allows up to four decimals (the most any ISO 4217 currency has: CLF, UYW); how many the
 * amount's own currency allows is checked with the currency (`feeAmountIssue`).
 */
import { decimalsOf, decimalToMinor, minorUnitDigits } from '#domain/money.ts';

export const MAX_FRACTION_DIGITS = 4;

/** A non-negative amount with at most four decimals and at most 13 integer digits. */
export const DECIMAL_AMOUNT = /^(0|[1-9]\d{0,12})(?:\.(\d{1,4}))?$/;
export const MAX_AMOUNT = 9_999_999_999_999.99;

/** Numbers are read by their JSON text: 1234.5 is "1234.5", never 1234.49999…. */
export function amountText(amount: string | number): string {
  return typeof amount === 'number' ? String(amount) : amount;
}

/**
 * Why `amount` cannot be a fee in `currency`, or null when it can: more decimals than the currency's
 * ISO 4217 minor unit, or too many minor units to count exactly.
 */
export function feeAmountIssue(amount: string | number, currency: string): string | null {
  let digits: number;
  try {
    digits = minorUnitDigits(currency);
  } catch {
    return null; // the currency field reports an unknown code itself
  }
  const text = amountText(amount);
  if (decimalsOf(text) > digits) {
    return `${currency} has ${digits === 0 ? 'no decimals' : `${digits} decimal${digits === 1 ? '' : 's'}`} (ISO 4217): at most ${digits} decimals allowed, got ${text}`;
  }
  if (decimalToMinor(text, digits) === null) return `too large to count exactly in ${currency} minor units: ${text}`;
  return null;
}
