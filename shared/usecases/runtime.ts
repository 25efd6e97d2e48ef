/**
 * What the use cases derive once per catalog: working calendars and service-level lookup.
 */
import { makeCalendar, type WorkCalendar } from '#domain/calendar.ts';
import type { Catalog, ServiceLevel } from '#domain/model.ts';
import { ConfigurationError } from '../errors.ts';

export interface CatalogRuntime {
  readonly catalog: Catalog;
  readonly calendars: Readonly<Record<string, WorkCalendar>>;
  readonly graceMs: number;
  level(key: string): ServiceLevel;
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
    hasLevel: (key) => Object.hasOwn(catalog.serviceLevels, key),
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
