import { describe, expect, it } from 'vitest';
import { minorUnitDigits } from '#domain/money.ts';
import { toContractTerms, toMoneyMinor } from '#events/mapping.ts';
import { parseEventObject } from '#events/parse.ts';
import type { ContractRegisteredV1 } from '#events/schemas.ts';
import { sortableInstant } from '#store/keys.ts';
import { aCaseOpened, aContractRegistered, aTerminationRequested } from '#test/support/factories/event-bodies.ts';

function refusal(body: Record<string, unknown>): { path: string; message: string } {
  const result = parseEventObject(body);
  if (result.ok) throw new Error('expected the event to be refused');
  return { path: result.error.path, message: result.error.message };
}

describe('instants outside 2000–2100 are refused with the field path and a reason', () => {
  it.each([
    '9999-12-31T20:00:00-12:00',
    '2101-01-01T00:00:00Z',
    '2100-12-31T23:59:59-00:01',
    '1999-12-31T23:59:59Z',
    '2000-01-01T00:30:00+01:00',
  ])('refuses occurredAt %s', (occurredAt) => {
    // Act
    const error = refusal(aCaseOpened({ occurredAt }));
    // Assess
    expect(error.path).toBe('occurredAt');
    expect(error.message).toMatch(/between 2000-01-01T00:00:00Z and 2100-12-31T23:59:59Z/);
  });

  it.each(['2000-01-01T00:00:00Z', '2100-12-31T23:59:59Z', '2100-12-31T22:59:59-01:00'])(
    'accepts occurredAt %s at the edges of the window',
    (occurredAt) => {
      expect(parseEventObject(aCaseOpened({ occurredAt })).ok).toBe(true);
    },
  );

  it.each([
    ['startDate', aContractRegistered({ startDate: '2101-01-01' })],
    ['startDate', aContractRegistered({ startDate: '1999-12-31' })],
    ['effectiveDate', aTerminationRequested({ reason: 'credit_cap_breach', effectiveDate: '9999-12-31' })],
  ])('refuses a %s outside 2000-01-01 … 2100-12-31', (path, body) => {
    // Act
    const error = refusal(body);
    // Assess
    expect(error.path).toBe(path);
    expect(error.message).toMatch(/between 2000-01-01 and 2100-12-31/);
  });

  it('leaves the store nothing past year 9999 to sort: every accepted instant has a four-digit year key', () => {
    expect(sortableInstant(Date.parse('2100-12-31T23:59:59Z'))).toBe('2100-12-31T23:59:59.000Z');
  });
});

describe('an annual fee has at most its currency’s ISO 4217 decimals', () => {
  it.each([
    ['JPY', 0],
    ['ISK', 0],
    ['NOK', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['CLF', 4],
  ])('%s has %i decimals (from Intl, not a table; CLF is not in Intl.supportedValuesOf, so no fee can be in it)', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });

  it.each([
    ['1000', 'JPY', 1000],
    [1000, 'JPY', 1000],
    ['1.234', 'KWD', 1234],
    ['1234.5', 'NOK', 123450],
    [1234.5, 'NOK', 123450],
  ])('%j %s is %i minor units', (amount, currency, minor) => {
    // Prepare
    const result = parseEventObject(aContractRegistered({ annualFee: { amount, currency } }));
    if (!result.ok) throw new Error(result.error.message);
    // Act
    const terms = toContractTerms(result.event as ContractRegisteredV1);
    // Assess
    expect(terms.annualFee).toEqual({ minor, currency });
    expect(toMoneyMinor(amount, currency)).toBe(minor);
  });

  it.each([
    ['1000.5', 'JPY', /JPY has no decimals \(ISO 4217\): at most 0 decimals allowed, got 1000\.5/],
    [1000.5, 'JPY', /JPY has no decimals/],
    ['1.234', 'NOK', /NOK has 2 decimals \(ISO 4217\): at most 2 decimals allowed, got 1\.234/],
    ['1.2345', 'KWD', /KWD has 3 decimals/],
    ['9999999999999.123', 'KWD', /too large to count exactly in KWD minor units/],
  ])('refuses %j %s at annualFee.amount, naming the currency’s digits', (amount, currency, message) => {
    // Act
    const error = refusal(aContractRegistered({ annualFee: { amount, currency } }));
    // Assess
    expect(error.path).toBe('annualFee.amount');
    expect(error.message).toMatch(message);
  });

  it('refuses more decimals than any currency has in the amount’s own shape', () => {
    expect(refusal(aContractRegistered({ annualFee: { amount: '1.00001', currency: 'NOK' } })).path).toBe('annualFee.amount');
  });
});
