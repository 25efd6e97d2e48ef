/**
 * Loads the operator's catalog (docs/design.md#3-the-catalog-calendars-and-service-levels): validates the JSON, resolves public holidays into closed
 * dates and turns targets and windows into numbers. The result is plain JSON-serialisable data, so a
 * Lambda bundle can embed a compiled catalog instead of the holiday library.
 */
import { transactionBudgetIssue } from './transaction-budget.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as z from 'zod';
import {
  KPIS,
  PRIORITIES,
  WEEKDAYS,
  type CalendarDefinition,
  type Catalog,
  type KpiTerms,
  type ServiceLevel,
  type Weekday,
} from '#domain/model.ts';
import { parseTargetDuration } from '#domain/time.ts';
import { DEFAULT_LOAN_RETURN_DAYS, DEFAULT_TARGET_AVAILABILITY } from '#domain/pools.ts';
import { CatalogError } from '../errors.ts';
import {
  catalogFileSchema,
  minuteOfDay,
  type CatalogFile,
  type CatalogFileCalendar,
  type CatalogFileServiceLevel,
} from './catalog-schema.ts';
import { isKnownHolidayCountry, publicHolidayDates } from './holidays.ts';
import { toCostRates } from './costs-schema.ts';

export const DEFAULT_BREACH_GRACE_SECONDS = 300;
export const DEFAULT_NOTICE_SETTLE_MINUTES = 15;
export const DEFAULT_SOURCE_IDLE_MINUTES = 30;
export const DEFAULT_PARKED_RETENTION_DAYS = 30;

/** The default catalog, relative to the repository root (what bundlers and `cdk synth` read). */
export const DEFAULT_CATALOG_FILE = 'catalog/default.json';
export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL(`../../${DEFAULT_CATALOG_FILE}`, import.meta.url));

/** Validates and compiles a parsed catalog file; throws a `CatalogError` naming every bad field. */
export function compileCatalog(json: unknown, source = 'catalog'): Catalog {
  const parsed = catalogFileSchema.safeParse(json);
  const issues = [...(parsed.success ? [] : parsed.error.issues.flatMap(describeIssue)), ...referenceIssues(json)];
  if (!parsed.success || issues.length > 0) throw new CatalogError('CATALOG_INVALID', issues, source);
  const catalog = toCatalog(parsed.data);
  const budgetIssues = Object.values(catalog.serviceLevels).flatMap((level) => transactionBudgetIssue(level) ?? []);
  if (budgetIssues.length > 0) throw new CatalogError('CATALOG_INVALID', budgetIssues, source);
  return catalog;
}

export function loadCatalogFile(path: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CatalogError('CATALOG_UNREADABLE', [`${path}: ${reason}`], path);
  }
  return compileCatalog(json, path);
}

export function loadDefaultCatalog(): Catalog {
  return loadCatalogFile(DEFAULT_CATALOG_PATH);
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${pathText([...issue.path, key])}: unknown key (a typo?)`);
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return [`${pathText(issue.path)}: required`];
  }
  return [`${pathText(issue.path)}: ${issue.message}`];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that cross fields: every calendar a KPI names exists, a holiday country is one the library
 * knows, an override of a KPI the level lacks is complete. Reads the raw input so these errors are
 * reported together with the field errors.
 */
function referenceIssues(json: unknown): string[] {
  if (!isRecord(json)) return [];
  const calendars = isRecord(json.calendars) ? json.calendars : {};
  const issues: string[] = [];
  for (const [key, calendar] of Object.entries(calendars)) {
    const country = isRecord(calendar) && isRecord(calendar.holidays) ? calendar.holidays.country : undefined;
    if (typeof country === 'string' && /^[A-Z]{2}$/.test(country) && !isKnownHolidayCountry(country)) {
      issues.push(`calendars.${key}.holidays.country: the holiday library does not know ${country}`);
    }
  }
  const checkCalendar = (path: string, terms: unknown): void => {
    const name = isRecord(terms) ? terms.calendar : undefined;
    if (typeof name === 'string' && name.length > 0 && !Object.hasOwn(calendars, name)) {
      issues.push(`${path}.calendar: no calendar named ${name} in calendars`);
    }
  };
  const levels = isRecord(json.serviceLevels) ? json.serviceLevels : {};
  for (const [levelKey, level] of Object.entries(levels)) {
    if (!isRecord(level)) continue;
    const kpis = isRecord(level.kpis) ? level.kpis : {};
    for (const [kpi, terms] of Object.entries(kpis)) checkCalendar(`serviceLevels.${levelKey}.kpis.${kpi}`, terms);
    const byPriority = isRecord(level.byPriority) ? level.byPriority : {};
    for (const [priority, overrides] of Object.entries(byPriority)) {
      if (!isRecord(overrides)) continue;
      for (const [kpi, override] of Object.entries(overrides)) {
        const path = `serviceLevels.${levelKey}.byPriority.${priority}.${kpi}`;
        checkCalendar(path, override);
        const complete = isRecord(override) && ['target', 'calendar', 'creditPercent'].every((f) => f in override);
        if (isRecord(override) && !(kpi in kpis) && !complete) {
          issues.push(`${path}: the level has no ${kpi} KPI, so the override needs target, calendar and creditPercent`);
        }
      }
    }
  }
  return issues;
}

function toCatalog(file: CatalogFile): Catalog {
  return {
    calendars: Object.fromEntries(Object.entries(file.calendars).map(([key, calendar]) => [key, toCalendar(calendar)])),
    serviceLevels: Object.fromEntries(
      Object.entries(file.serviceLevels).map(([key, level]) => [key, toServiceLevel(key, level)]),
    ),
    breachGraceSeconds: file.breachGraceSeconds ?? DEFAULT_BREACH_GRACE_SECONDS,
    noticeSettleMinutes: file.noticeSettleMinutes ?? DEFAULT_NOTICE_SETTLE_MINUTES,
    sourceIdleMinutes: file.sourceIdleMinutes ?? DEFAULT_SOURCE_IDLE_MINUTES,
    parkedRetentionDays: file.parkedRetentionDays ?? DEFAULT_PARKED_RETENTION_DAYS,
    targetAvailability: file.pools?.targetAvailability ?? DEFAULT_TARGET_AVAILABILITY,
    ...(file.provider === undefined ? {} : { provider: file.provider }),
    ...(file.costs === undefined ? {} : { costs: toCostRates(file.costs) }),
  };
}

function toCalendar(calendar: CatalogFileCalendar): CalendarDefinition {
  if (calendar.kind === 'always') return { kind: 'always' };
  const hours: Partial<Record<Weekday, (readonly [number, number])[]>> = {};
  for (const day of WEEKDAYS) {
    const windows = calendar.hours[day];
    if (windows === undefined || windows.length === 0) continue;
    hours[day] = windows
      .map(([start, end]) => [minuteOfDay(start), minuteOfDay(end)] as const)
      .sort((a, b) => a[0] - b[0]);
  }
  const holidays = calendar.holidays === undefined ? [] : publicHolidayDates(calendar.holidays.country);
  const closedDates = [...new Set([...holidays, ...(calendar.closedDates ?? [])])].sort();
  return { kind: 'business', timeZone: calendar.timeZone, hours, closedDates };
}

function toTargetMs(target: string): number {
  const ms = parseTargetDuration(target);
  if (ms === undefined) throw new RangeError(`validated target did not parse: ${target}`);
  return ms;
}

function toKpiTerms(terms: { target: string; calendar: string; creditPercent: number }): KpiTerms {
  return { targetMs: toTargetMs(terms.target), calendar: terms.calendar, creditPercent: terms.creditPercent };
}

function toServiceLevel(key: string, level: CatalogFileServiceLevel): ServiceLevel {
  const kpis: Partial<Record<(typeof KPIS)[number], KpiTerms>> = {};
  for (const kpi of KPIS) {
    const terms = level.kpis[kpi];
    if (terms !== undefined) kpis[kpi] = toKpiTerms(terms);
  }
  const byPriority: Record<string, Record<string, Partial<KpiTerms>>> = {};
  for (const priority of PRIORITIES) {
    const overrides = level.byPriority?.[priority];
    if (overrides === undefined) continue;
    const resolved: Record<string, Partial<KpiTerms>> = {};
    for (const kpi of KPIS) {
      const override = overrides[kpi];
      if (override === undefined) continue;
      resolved[kpi] = {
        ...(override.target === undefined ? {} : { targetMs: toTargetMs(override.target) }),
        ...(override.calendar === undefined ? {} : { calendar: override.calendar }),
        ...(override.creditPercent === undefined ? {} : { creditPercent: override.creditPercent }),
      };
    }
    byPriority[priority] = resolved;
  }
  return {
    key,
    name: { nb: level.name.nb, en: level.name.en },
    kpis,
    byPriority,
    creditCapPercent: level.creditCapPercent,
    terminationWindowDays: level.terminationWindowDays,
    liabilityCapPercent: level.liabilityCapPercent,
    warnAtPercent: level.warnAtPercent,
    loanReturnDays: level.loanReturnDays ?? DEFAULT_LOAN_RETURN_DAYS,
  };
}
