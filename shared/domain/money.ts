/**
 * Currency exponents (docs/design.md#4-contracts: money is integer minor units, the currency's own exponent): how many
 * decimals a currency has, from ISO 4217 as ICU ships it (`Intl`), and exact conversions between a
 * decimal amount and minor units. No hand-typed table: the runtime's ICU is the one source.
 *
 * ICU follows CLDR, which differs from ISO 4217's minor-unit column for a few currencies whose smallest
 * unit is not used in practice (e.g. HUF, IDR, COP, PKR: 0 in ICU 78, 2 in ISO; IQD: 0 in ICU, 3 in ISO).
 * For those the engine accepts whole amounts only. JPY 0, ISK 0, KWD 3, NOK/EUR/USD 2 and CLF 4 agree.
 */

const cache = new Map<string, number>();

/** Decimals of `currency` (JPY 0, NOK 2, KWD 3, CLF 4). Throws a RangeError for a code ICU does not know. */
export function minorUnitDigits(currency: string): number {
  let digits = cache.get(currency);
  if (digits === undefined) {
    if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`not an ISO 4217 currency code: ${currency}`);
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    cache.set(currency, digits);
  }
  return digits;
}

/** Decimals of a decimal text ("1234.50" → 2, "7" → 0). */
export function decimalsOf(text: string): number {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/**
 * Exact minor units of a decimal text with at most `digits` decimals ("1234.5", 2 → 123450); null when
 * it has more decimals, is not a plain non-negative decimal, or is too large to count exactly.
 */
export function decimalToMinor(text: string, digits: number): number | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) return null;
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > digits) return null;
  const minor = Number(`${whole}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as an exact decimal string ("123450" with 2 digits → "1234.50"; 1000 with 0 → "1000"). */
export function minorToDecimal(minor: number, digits: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount is not whole minor units: ${minor}`);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${minor < 0 ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}
