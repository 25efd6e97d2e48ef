/**
 * The catalog file's shape (docs/design.md#3-the-catalog-calendars-and-service-levels) as zod schemas: strict objects, so a typo is an error.
 * Field formats are checked here; references between fields are checked by the loader.
 */
import * as z from 'zod';
import { KPIS, PRIORITIES, WEEKDAYS, type Kpi, type Priority, type Weekday } from '#domain/model.ts';
import { hasAtMostTwoDecimals } from '#domain/credits.ts';
import { isValidDate } from '#domain/time.ts';
import { isDeliverableAddress } from '#notices/address.ts';
import { costsFileSchema } from './costs-schema.ts';

const WALL_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function minuteOfDay(wallTime: string): number {
  const [hours = '0', minutes = '0'] = wallTime.split(':');
  return Number(hours) * 60 + Number(minutes);
}

function isIanaTimeZone(zone: string): boolean {
  // Intl also accepts offsets such as "+01:00", which follow no daylight-saving rules: refuse them.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const target = z.string().superRefine((text, ctx) => {
  if (/^P.*D/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'days are not allowed, use PT…H' });
  } else if (!/^PT(?:\d+H)?(?:\d+M)?$/.test(text) || text === 'PT') {
    ctx.addIssue({ code: 'custom', message: `not a duration of hours and minutes like PT15M, PT8H or PT1H30M: ${text}` });
  } else if (!/[1-9]/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'must be greater than zero' });
  }
});

const percent = (min: number, max: number): z.ZodNumber =>
  z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`);

/** A percentage of money in minor units: credits, caps and the liability cap are applied in basis points. */
const moneyPercent = (schema: z.ZodNumber): z.ZodNumber => schema.refine(hasAtMostTwoDecimals, 'at most two decimals');

const wallTime = z.string().regex(WALL_TIME, 'not a wall time HH:MM (00:00–24:00)');

const dayWindows = z.array(z.tuple([wallTime, wallTime])).superRefine((windows, ctx) => {
  windows.forEach(([start, end], index) => {
    if (minuteOfDay(start) >= minuteOfDay(end)) {
      ctx.addIssue({ code: 'custom', path: [index], message: `window must start before it ends: ${start}–${end}` });
    }
  });
  const sorted = windows
    .map(([start, end], index) => ({ index, start: minuteOfDay(start), end: minuteOfDay(end) }))
    .filter((window) => window.start < window.end)
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous !== undefined && current !== undefined && current.start < previous.end) {
      ctx.addIssue({ code: 'custom', path: [current.index], message: `window overlaps window ${previous.index}` });
    }
  }
});

const hours = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayWindows.optional()])) as Record<Weekday, z.ZodOptional<typeof dayWindows>>,
);

const businessCalendar = z.strictObject({
  kind: z.literal('business'),
  timeZone: z.string().refine(isIanaTimeZone, 'not a valid IANA time zone'),
  hours: hours.refine(
    (week) => Object.values(week).some((windows) => windows !== undefined && windows.length > 0),
    'a business calendar needs at least one opening window',
  ),
  holidays: z
    .strictObject({ country: z.string().regex(/^[A-Z]{2}$/, 'not a 2-letter country code (ISO 3166-1, e.g. NO)') })
    .optional(),
  closedDates: z.array(z.string().refine(isValidDate, 'not a valid date YYYY-MM-DD')).optional(),
});

const calendar = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('always') }), businessCalendar]);

const kpiTerms = z.strictObject({
  target,
  calendar: z.string().min(1),
  creditPercent: moneyPercent(percent(0, 100)),
});

const kpiOverride = kpiTerms.partial();

const kpis = z.strictObject(
  Object.fromEntries(KPIS.map((kpi) => [kpi, kpiTerms.optional()])) as Record<Kpi, z.ZodOptional<typeof kpiTerms>>,
);

const kpiOverrides = z.strictObject(
  Object.fromEntries(KPIS.map((kpi) => [kpi, kpiOverride.optional()])) as Record<Kpi, z.ZodOptional<typeof kpiOverride>>,
);

const byPriority = z.strictObject(
  Object.fromEntries(PRIORITIES.map((priority) => [priority, kpiOverrides.optional()])) as Record<
    Priority,
    z.ZodOptional<typeof kpiOverrides>
  >,
);

const serviceLevel = z.strictObject({
  name: z.strictObject({ nb: z.string().min(1), en: z.string().min(1) }),
  kpis,
  byPriority: byPriority.optional(),
  creditCapPercent: moneyPercent(percent(0, 100)),
  terminationWindowDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1'),
  liabilityCapPercent: moneyPercent(z.number().min(0, 'must be 0 or more')),
  warnAtPercent: percent(1, 99),
  loanReturnDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(365, 'must be at most 365').optional(),
});

/** docs/design.md#10-service-structures-loan-units-and-spare-parts-pools: the chance a request should find a unit in a shared pool. */
const pools = z.strictObject({
  targetAvailability: z.number().gt(0, 'must be more than 0').lt(1, 'must be less than 1 (a pool cannot be never empty)').optional(),
});

/** Control characters (CR and LF among them) would let a value break out of a mail header or a line. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const oneLine = (max: number): z.ZodString =>
  z
    .string()
    .refine((text) => text.trim() !== '', 'must not be empty')
    .refine((text) => text.length <= max, `must be at most ${max} characters`)
    .refine((text) => !CONTROL.test(text), 'must be one line without control characters (CR, LF, tab)');

const signature = z
  .array(oneLine(200))
  .min(1, 'needs at least one line')
  .max(6, 'at most 6 lines');

const provider = z.strictObject({
  /** The From display name and the banner: also a mail header, so one line. */
  name: oneLine(100),
  replyTo: z.string().refine(isDeliverableAddress, 'not an email address a notice can be replied to (like kundeservice@provider.no)'),
  signature: z.strictObject({ nb: signature, en: signature }),
  contactLine: z.strictObject({ nb: oneLine(500), en: oneLine(500) }),
});

export const catalogFileSchema = z.strictObject({
  provider: provider.optional(),
  calendars: z.record(z.string().min(1), calendar),
  serviceLevels: z.record(z.string().min(1), serviceLevel),
  breachGraceSeconds: z.number().int('must be a whole number of seconds').min(0, 'must be 0 or more').optional(),
  noticeSettleMinutes: z.number().int('must be a whole number of minutes').min(0, 'must be 0 or more').max(1440, 'must be at most 1440 (a day)').optional(),
  sourceIdleMinutes: z.number().int('must be a whole number of minutes').min(1, 'must be at least 1').max(1440, 'must be at most 1440 (a day)').optional(),
  parkedRetentionDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(365, 'must be at most 365').optional(),
  pools: pools.optional(),
  costs: costsFileSchema.optional(),
});

export type CatalogFile = z.infer<typeof catalogFileSchema>;
export type CatalogFileCalendar = z.infer<typeof calendar>;
export type CatalogFileProvider = z.infer<typeof provider>;
export type CatalogFileServiceLevel = z.infer<typeof serviceLevel>;
