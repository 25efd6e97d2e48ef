import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KPIS } from '#domain/model.ts';
import { money as reportMoney } from '#cli/report/format.ts';
import { formatDate, formatInstant, formatMoney, formatPercent, formatSignedMoney, kpiName } from '#notices/format.ts';

describe('amounts are formatted from minor units for the locale', () => {
  it('writes NOK as "1 234,50 kr" in nb and "NOK 1,234.50" in en, with plain spaces', () => {
    // Act
    const nb = formatMoney(123_450, 'NOK', 'nb');
    const en = formatMoney(123_450, 'NOK', 'en');
    // Assess
    expect(nb).toBe('1 234,50 kr');
    expect(en).toBe('NOK 1,234.50');
  });

  it('uses the currency’s own number of decimals', () => {
    expect(formatMoney(1_234, 'JPY', 'en')).toBe('JPY 1,234');
    expect(formatMoney(1_234_567, 'KWD', 'en')).toBe('KWD 1,234.567');
    expect(formatMoney(5, 'EUR', 'nb')).toBe('0,05 €');
  });

  it('shows the sign of a change and an ASCII minus', () => {
    expect(formatSignedMoney(-123_450, 'NOK', 'nb')).toBe('-1 234,50 kr');
    expect(formatSignedMoney(123_450, 'NOK', 'en')).toBe('+NOK 1,234.50');
    expect(formatSignedMoney(0, 'NOK', 'en')).toBe('NOK 0.00');
  });

  it('keeps every digit of any whole amount of minor units (no float rounding)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom('nb' as const, 'en' as const), (minor, locale) => {
        // Act
        const text = formatMoney(minor, 'NOK', locale);
        // Assess
        expect(text.replace(/\D/g, '')).toBe(String(Math.abs(minor)).padStart(3, '0'));
        expect(text).not.toMatch(/[\u00a0\u2009\u202f\u2212]/);
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses an amount that is not whole minor units', () => {
    expect(() => formatMoney(12.5, 'NOK', 'nb')).toThrow(RangeError);
  });
});

describe('dates and instants', () => {
  it('writes a contract-local date as "23. mars 2026" in nb and "23 March 2026" in en', () => {
    expect(formatDate('2026-03-23', 'nb')).toBe('23. mars 2026');
    expect(formatDate('2026-03-23', 'en')).toBe('23 March 2026');
  });

  it('shows an instant on the contract’s wall clock with the zone, across daylight saving', () => {
    // Prepare
    const winter = Date.parse('2026-03-23T13:05:00Z');
    const summer = Date.parse('2026-06-21T12:05:00Z');
    // Act / Assess
    expect(formatInstant(winter, 'Europe/Oslo', 'nb')).toBe('23. mars 2026 kl. 14:05 CET');
    expect(formatInstant(summer, 'Europe/Oslo', 'nb')).toBe('21. juni 2026 kl. 14:05 CEST');
    expect(formatInstant(winter, 'Europe/Oslo', 'en')).toBe('23 March 2026 at 14:05 CET');
    expect(formatInstant(winter, 'UTC', 'en')).toBe('23 March 2026 at 13:05 UTC');
  });

  it('puts an instant just after local midnight on the local date, not the UTC one', () => {
    expect(formatInstant(Date.parse('2025-12-31T23:30:00Z'), 'Europe/Oslo', 'nb')).toBe('1. januar 2026 kl. 00:30 CET');
  });

  it('writes a UTC instant as Intl does, from the day text Intl wrote once, at every minute, edge and fraction', () => {
    // Prepare: Intl itself, with the same options and the same spacing rule
    const intl = (locale: 'en' | 'nb'): Intl.DateTimeFormat =>
      new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'nb-NO', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
        timeZone: 'UTC',
      });
    const plain = (text: string): string => text.replace(/[\u00a0\u2009\u202f]/g, ' ').replace(/\u2212/g, '-');
    const start = Date.parse('2026-12-31T22:00:00Z');
    const instants = [
      ...Array.from({ length: 4 * 60 }, (_, minute) => start + minute * 60_000 + (minute % 7) * 8_599),
      ...[0, -0, -1, 1.5, -0.5, -60_000.5, -86_400_000, 86_399_999, Date.parse('1582-10-10T12:00:00Z'), -62_200_000_000_000, 8.64e15, -8.64e15],
    ];
    for (const locale of ['en', 'nb'] as const) {
      const expected = instants.map((instant) => plain(intl(locale).format(instant)));
      // Act
      const written = instants.map((instant) => formatInstant(instant, 'UTC', locale));
      // Assess
      expect(written).toEqual(expected);
      expect(() => formatInstant(Number.NaN, 'UTC', locale)).toThrow(RangeError);
    }
  });
});

describe('percentages and KPI names', () => {
  it('writes percentages with at most one decimal', () => {
    expect(formatPercent(97.5, 'nb')).toBe('97,5 %');
    expect(formatPercent(88.94, 'en')).toBe('88.9%');
    expect(formatPercent(100, 'en')).toBe('100%');
  });

  it('names every KPI in both languages', () => {
    expect(KPIS.map((kpi) => kpiName(kpi, 'nb'))).toEqual(['Første respons', 'Tekniker på stedet', 'Erstatningsutstyr', 'Løsning']);
    expect(KPIS.map((kpi) => kpiName(kpi, 'en'))).toEqual(['First response', 'Technician on site', 'Replacement unit', 'Resolution']);
  });
});

describe('money is shown in the currency’s own exponent', () => {
  it('shows JPY 1000 (1000 minor units) as ¥1,000 / 1 000 JPY, never JPY 100,000', () => {
    expect(formatMoney(1000, 'JPY', 'en')).toBe('JPY 1,000');
    expect(formatMoney(1000, 'JPY', 'nb')).toBe('1 000 JPY');
    expect(reportMoney(1000, 'JPY')).toBe('1 000 JPY');
  });

  it('shows KWD 1234 fils as 1.234 KWD, never 12.34', () => {
    expect(formatMoney(1234, 'KWD', 'en')).toBe('KWD 1.234');
    expect(reportMoney(1234, 'KWD')).toBe('1.234 KWD');
  });

  it('shows NOK 123450 øre as 1 234.50 in the report, exactly for every amount', () => {
    expect(reportMoney(123_450, 'NOK')).toBe('1 234.50 NOK');
    expect(reportMoney(-5, 'NOK')).toBe('-0.05 NOK');
    fc.assert(
      fc.property(fc.maxSafeInteger(), (minor) => {
        expect(reportMoney(minor, 'KWD').replace(/\D/g, '')).toBe(String(Math.abs(minor)).padStart(4, '0'));
      }),
      { numRuns: 500 },
    );
  });
});
