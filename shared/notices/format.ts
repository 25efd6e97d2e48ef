/**
 * Locale formatting for notices, with Intl only: money from minor units, contract-local dates,
 * instants in a named zone with the zone shown, percentages and KPI names.
 */
import type { Kpi, Locale } from '#domain/model.ts';
import { minorToDecimal, minorUnitDigits } from '#domain/money.ts';
import { splitDate, type Instant, type LocalDate } from '#domain/time.ts';

const INTL_LOCALE: Readonly<Record<Locale, string>> = { nb: 'nb-NO', en: 'en-GB' };

const KPI_NAMES: Readonly<Record<Locale, Readonly<Record<Kpi, string>>>> = {
  nb: { firstResponse: 'Første respons', onSite: 'Tekniker på stedet', replacement: 'Erstatningsutstyr', resolution: 'Løsning' },
  en: { firstResponse: 'First response', onSite: 'Technician on site', replacement: 'Replacement unit', resolution: 'Resolution' },
};

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, create: () => T): T {
  let formatter = cache.get(key);
  if (formatter === undefined) {
    formatter = create();
    cache.set(key, formatter);
  }
  return formatter as T;
}

/**
 * ICU puts no-break, narrow no-break or thin spaces and a Unicode minus into its output, and which one
 * changes between ICU versions; plain spaces and ASCII minus keep texts (and checked-in examples) stable.
 * The HTML layout keeps figures on one line with `white-space: nowrap` instead.
 */
function normaliseSpacing(text: string): string {
  return text.replace(/[\u00a0\u2009\u202f]/g, ' ').replace(/\u2212/g, '-');
}

function moneyFormatter(currency: string, locale: Locale, signed: boolean): Intl.NumberFormat {
  return cached(`money|${locale}|${currency}|${signed}`, () =>
    new Intl.NumberFormat(INTL_LOCALE[locale], {
      style: 'currency',
      currency,
      currencyDisplay: locale === 'en' ? 'code' : 'symbol',
      signDisplay: signed ? 'exceptZero' : 'auto',
    }),
  );
}

/**
 * Figures already formatted: a contract's notices repeat its cap, its credits and its percentages, and
 * a formatter gives the same text for the same figure. Emptied when full, so it stays small.
 */
const formatted = new Map<string, string>();
const MAX_FORMATTED = 10_000;

/** A figure as a key: `-0` apart from `0`, since Intl writes a sign for it. */
const keyOf = (figure: number): string => (Object.is(figure, -0) ? '-0' : String(figure));

function remembered(key: string, format: () => string): string {
  let text = formatted.get(key);
  if (text === undefined) {
    text = format();
    if (formatted.size >= MAX_FORMATTED) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/** Minor units in the currency's own exponent (JPY 1000 → ¥1,000; KWD 1234 → 1.234), formatted exactly. */
function formatAmount(minor: number, currency: string, locale: Locale, signed: boolean): string {
  return remembered(`money|${locale}|${currency}|${signed}|${keyOf(minor)}`, () => {
    const formatter = moneyFormatter(currency, locale, signed);
    // Intl formats decimal strings exactly (Intl.NumberFormat v3); the cast only satisfies the ES2023 lib types.
    return normaliseSpacing(formatter.format(minorToDecimal(minor, minorUnitDigits(currency)) as unknown as number));
  });
}

/** `1 234,50 kr` (nb), `NOK 1,234.50` (en). */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  return formatAmount(minor, currency, locale, false);
}

/** Like {@link formatMoney} with an explicit sign on non-zero amounts: `+100,00 kr`, `-NOK 100.00`. */
export function formatSignedMoney(minor: number, currency: string, locale: Locale): string {
  return formatAmount(minor, currency, locale, true);
}

/** A contract-local date: `23. mars 2026` (nb), `23 March 2026` (en). */
export function formatDate(date: LocalDate, locale: Locale): string {
  const [year, month, day] = splitDate(date);
  const formatter = cached(`date|${locale}`, () =>
    new Intl.DateTimeFormat(INTL_LOCALE[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  );
  return normaliseSpacing(formatter.format(Date.UTC(year, month - 1, day)));
}

function instantFormatter(timeZone: string, locale: Locale): Intl.DateTimeFormat {
  return cached(`instant|${locale}|${timeZone}`, () =>
    new Intl.DateTimeFormat(INTL_LOCALE[locale], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
      timeZone,
    }),
  );
}

/** An instant in `timeZone`, zone shown: `23. mars 2026 kl. 14:05 CET`, `23 March 2026 at 14:05 CET`. */
export function formatInstant(instant: Instant, timeZone: string, locale: Locale): string {
  if (timeZone === 'UTC') {
    const formatted = formatUtcInstant(instant, locale);
    if (formatted !== null) return formatted;
  }
  return normaliseSpacing(instantFormatter(timeZone, locale).format(instant));
}

/**
 * A UTC day's text around its hour and minute, as Intl writes it: `23 March 2026 at ` · `:` · ` UTC`.
 * UTC has one offset and one name for all time, so every instant of a UTC day is written with the same
 * day, month, year, zone name and literals (the locale's pattern), only its two-digit `HH` and `mm` differ.
 */
interface UtcDayText {
  readonly beforeHour: string;
  readonly betweenHourAndMinute: string;
  readonly afterMinute: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Past this, a day's start could fall outside the instants Intl formats (±8.64e15 ms): Intl is asked itself. */
const DAY_TEXT_LIMIT = 8.64e15 - DAY_MS;

/** The day texts by locale and UTC day number; null for a day whose parts are not hour-then-minute `00`/`00`. */
const utcDays = new Map<string, UtcDayText | null>();
const MAX_UTC_DAYS = 10_000;

function utcDayText(dayStart: Instant, locale: Locale): UtcDayText | null {
  const parts = instantFormatter('UTC', locale).formatToParts(dayStart);
  const hour = parts.findIndex((part) => part.type === 'hour');
  const minute = parts.findIndex((part) => part.type === 'minute');
  const once = (type: string): boolean => parts.filter((part) => part.type === type).length === 1;
  if (hour < 0 || minute < hour || !once('hour') || !once('minute') || parts[hour]?.value !== '00' || parts[minute]?.value !== '00') {
    return null;
  }
  const text = (from: number, to: number): string => normaliseSpacing(parts.slice(from, to).map((part) => part.value).join(''));
  return { beforeHour: text(0, hour), betweenHourAndMinute: text(hour + 1, minute), afterMinute: text(minute + 1, parts.length) };
}

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * An instant in UTC without formatting it with Intl each time (the operations notices' zone, one
 * breach warning after another): the day's text from Intl once, the hour and minute put in.
 * Null where Intl is to write it itself (an instant it may refuse, a day of another shape).
 */
function formatUtcInstant(instant: Instant, locale: Locale): string | null {
  if (!Number.isFinite(instant) || Math.abs(instant) > DAY_TEXT_LIMIT) return null;
  // Intl writes the whole milliseconds of a fractional instant (TimeClip truncates toward zero).
  const whole = Math.trunc(instant);
  const day = Math.floor(whole / DAY_MS);
  const key = `${locale}|${day}`;
  let text = utcDays.get(key);
  if (text === undefined) {
    text = utcDayText(day * DAY_MS, locale);
    if (utcDays.size >= MAX_UTC_DAYS) utcDays.clear();
    utcDays.set(key, text);
  }
  if (text === null) return null;
  const intoDay = whole - day * DAY_MS;
  const hour = Math.floor(intoDay / HOUR_MS);
  const minute = Math.floor((intoDay % HOUR_MS) / MINUTE_MS);
  return `${text.beforeHour}${twoDigits(hour)}${text.betweenHourAndMinute}${twoDigits(minute)}${text.afterMinute}`;
}

/** A percentage given in percent (97.5 → `97,5 %` nb, `97.5%` en), at most one decimal. */
export function formatPercent(percent: number, locale: Locale): string {
  return remembered(`percent|${locale}|${keyOf(percent)}`, () => {
    const formatter = cached(`percent|${locale}`, () =>
      new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'percent', maximumFractionDigits: 1 }),
    );
    return normaliseSpacing(formatter.format(percent / 100));
  });
}

export function formatCount(count: number, locale: Locale): string {
  const formatter = cached(`count|${locale}`, () => new Intl.NumberFormat(INTL_LOCALE[locale]));
  return normaliseSpacing(formatter.format(count));
}

export function kpiName(kpi: Kpi, locale: Locale): string {
  return KPI_NAMES[locale][kpi];
}
