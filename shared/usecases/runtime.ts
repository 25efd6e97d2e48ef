/**
 * What the use cases derive once per catalog: working calendars and service-level lookup.
 */
import { makeCalendar, type WorkCalendar } from '#domain/calendar.ts';
import type { Catalog, ContractTerms, ServiceLevel } from '#domain/model.ts';
import { contractYear } from '#domain/terms.ts';
import { DEFAULT_LOAN_RETURN_DAYS, DEFAULT_TARGET_AVAILABILITY } from '#domain/pools.ts';
import type { Instant } from '#domain/time.ts';
import { ConfigurationError } from '../errors.ts';

export interface CatalogRuntime {
  readonly catalog: Catalog;
  readonly calendars: Readonly<Record<string, WorkCalendar>>;
  readonly graceMs: number;
  /** How long credit notices wait after the last change to their contract year (`noticeSettleMinutes`). */
  readonly settleMs: number;
  /** `pools.targetAvailability` (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools), default 0.99. */
  readonly targetAvailability: number;
  level(key: string): ServiceLevel;
  /** The level's `loanReturnDays`, default 14. */
  loanReturnDays(key: string): number;
  hasLevel(key: string): boolean;
}

const runtimes = new WeakMap<Catalog, CatalogRuntime>();

export function catalogRuntime(catalog: Catalog): CatalogRuntime {
  const cached = runtimes.get(catalog);
  if (cached !== undefined) return cached;
  const calendars = Object.fromEntries(
    Object.entries(catalog.calendars).map(([name, definition]) => [name, makeCalendar(definition)]),
  );
  const runtime: CatalogRuntime = {
    catalog,
    calendars,
    graceMs: catalog.breachGraceSeconds * 1000,
    settleMs: catalog.noticeSettleMinutes * 60_000,
    targetAvailability: catalog.targetAvailability ?? DEFAULT_TARGET_AVAILABILITY,
    hasLevel: (key) => Object.hasOwn(catalog.serviceLevels, key),
    loanReturnDays: (key) => catalog.serviceLevels[key]?.loanReturnDays ?? DEFAULT_LOAN_RETURN_DAYS,
    level(key) {
      const level = catalog.serviceLevels[key];
      // A registered contract names a level the catalog dropped: a deployment error, not the event's fault.
      if (level === undefined) throw new ConfigurationError(`service level "${key}" is not in the catalog`);
      return level;
    },
  };
  runtimes.set(catalog, runtime);
  return runtime;
}

/**
 * Start instants of contract years 1…n per (start date, zone), extended on demand. Zone arithmetic goes
 * through Intl and is the costliest step of an event; contracts share a handful of start dates.
 */
const yearStarts = new Map<string, Instant[]>();
const MAX_CACHED_CALENDARS = 10_000;

function yearStartsUntil(terms: ContractTerms, at: Instant): Instant[] {
  const cacheKey = `${terms.startDate}|${terms.timeZone}`;
  let starts = yearStarts.get(cacheKey);
  if (starts === undefined) {
    if (yearStarts.size >= MAX_CACHED_CALENDARS) yearStarts.clear();
    starts = [contractYear(terms, 1).startsAt];
    yearStarts.set(cacheKey, starts);
  }
  while ((starts.at(-1) ?? Infinity) <= at) starts.push(contractYear(terms, starts.length).endsAt);
  return starts;
}

/** When contract year 1 starts: midnight of the start date in the contract's zone. */
export function contractStartsAt(terms: ContractTerms): Instant {
  return yearStartsUntil(terms, -Infinity)[0] ?? contractYear(terms, 1).startsAt;
}

/** Same as the domain's `yearIndexAt` (1-based, 0 before the start), from cached year boundaries. */
export function yearIndexOf(terms: ContractTerms, at: Instant): number {
  const starts = yearStartsUntil(terms, at);
  let index = 0;
  while (index < starts.length && (starts[index] ?? Infinity) <= at) index += 1;
  return index;
}
