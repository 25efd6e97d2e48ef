import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCatalog, loadCatalogFile, loadDefaultCatalog } from '#config/catalog.ts';
import { CatalogError } from '../../shared/errors.ts';
import { HOLIDAY_YEARS } from '#config/holidays.ts';
import { transactionWorstCase } from '#config/transaction-budget.ts';
import { HOUR_MS, MINUTE_MS } from '#domain/time.ts';

type Json = Record<string, unknown>;

/** A valid catalog file; each test breaks one thing in its own copy. */
function catalogFile(): Json {
  return {
    calendars: {
      always: { kind: 'always' },
      'oslo-business': {
        kind: 'business',
        timeZone: 'Europe/Oslo',
        hours: { mon: [['08:00', '16:00']], fri: [['08:00', '11:30'], ['12:00', '24:00']] },
        holidays: { country: 'NO' },
        closedDates: ['2026-12-24'],
      },
    },
    serviceLevels: {
      premium: {
        name: { en: 'Premium 24/7', nb: 'Premium 24/7' },
        kpis: {
          firstResponse: { target: 'PT15M', calendar: 'always', creditPercent: 2 },
          onSite: { target: 'PT24H', calendar: 'always', creditPercent: 5 },
          resolution: { target: 'PT1H30M', calendar: 'oslo-business', creditPercent: 5 },
        },
        byPriority: { low: { firstResponse: { target: 'PT4H', calendar: 'oslo-business' } } },
        creditCapPercent: 20,
        terminationWindowDays: 90,
        liabilityCapPercent: 100,
        warnAtPercent: 80,
      },
    },
  };
}

/** Sets `value` at a dotted path of a fresh catalog file (`undefined` deletes the field). */
function catalogWith(...changes: readonly (readonly [string, unknown])[]): Json {
  const file = catalogFile();
  for (const [path, value] of changes) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let node = file;
    for (const key of keys) node = node[key] as Json;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return file;
}

/** The issues of a catalog file, or none when it compiles. */
function issuesOrNone(json: unknown): readonly string[] {
  try {
    compileCatalog(json);
    return [];
  } catch (error) {
    if (error instanceof CatalogError) return error.issues;
    throw error;
  }
}

function issuesOf(json: unknown): readonly string[] {
  try {
    compileCatalog(json);
  } catch (error) {
    if (error instanceof CatalogError) return error.issues;
    throw error;
  }
  throw new Error('the catalog was accepted');
}

describe('a valid catalog compiles into plain data the rules run on', () => {
  it('turns targets into milliseconds and windows into minutes of the local day', () => {
    // Prepare
    const file = catalogFile();

    // Act
    const catalog = compileCatalog(file);

    // Assess
    const premium = catalog.serviceLevels.premium;
    expect(premium?.kpis.firstResponse?.targetMs).toBe(15 * MINUTE_MS);
    expect(premium?.kpis.onSite?.targetMs).toBe(24 * HOUR_MS);
    expect(premium?.kpis.resolution?.targetMs).toBe(90 * MINUTE_MS);
    expect(premium?.byPriority.low?.firstResponse).toEqual({ targetMs: 4 * HOUR_MS, calendar: 'oslo-business' });
    expect(catalog.calendars['oslo-business']).toMatchObject({
      kind: 'business',
      timeZone: 'Europe/Oslo',
      hours: { mon: [[480, 960]], fri: [[480, 690], [720, 1440]] },
    });
  });

  it('resolves Norway\'s public holidays into closed dates, and keeps the operator\'s own', () => {
    // Prepare
    const norwegianPublicHolidays2026 = [
      '2026-01-01', // 1. nyttårsdag
      '2026-04-02', // skjærtorsdag
      '2026-04-03', // langfredag
      '2026-04-06', // 2. påskedag
      '2026-05-01',
      '2026-05-14', // Kristi himmelfartsdag
      '2026-05-17',
      '2026-05-25', // 2. pinsedag
      '2026-12-25',
      '2026-12-26',
    ];

    // Act
    const calendar = compileCatalog(catalogFile()).calendars['oslo-business'];

    // Assess
    const closedDates = calendar?.kind === 'business' ? calendar.closedDates : [];
    expect(closedDates).toEqual(expect.arrayContaining([...norwegianPublicHolidays2026, '2026-12-24']));
    expect(closedDates).not.toContain('2026-12-31'); // nyttårsaften is a bank holiday, not a public one
    expect(closedDates).toContain(`${HOLIDAY_YEARS.first}-12-25`);
    expect(closedDates).toContain(`${HOLIDAY_YEARS.last}-12-25`);
  });

  it('defaults breachGraceSeconds to 300 and keeps a given value', () => {
    // Act
    const defaulted = compileCatalog(catalogFile());
    const given = compileCatalog({ ...catalogFile(), breachGraceSeconds: 60 });

    // Assess
    expect(defaulted.breachGraceSeconds).toBe(300);
    expect(given.breachGraceSeconds).toBe(60);
  });

  it('survives a JSON round trip unchanged, so a bundle can embed it', () => {
    // Prepare
    const catalog = compileCatalog(catalogFile());

    // Act
    const roundTripped: unknown = JSON.parse(JSON.stringify(catalog));

    // Assess
    expect(roundTripped).toEqual(catalog);
  });

  it('ships a default catalog with basic, standard and premium on always and oslo-business calendars', () => {
    // Act
    const catalog = loadDefaultCatalog();

    // Assess
    expect(Object.keys(catalog.serviceLevels).sort()).toEqual(['basic', 'premium', 'standard']);
    expect(Object.keys(catalog.calendars).sort()).toEqual(['always', 'oslo-business']);
    expect(catalog.calendars['oslo-business']).toMatchObject({ kind: 'business', timeZone: 'Europe/Oslo' });
    for (const level of Object.values(catalog.serviceLevels)) {
      expect(level.name.nb.length).toBeGreaterThan(0);
      expect(level.name.en.length).toBeGreaterThan(0);
      expect(Object.keys(level.kpis).length).toBeGreaterThan(0);
    }
  });
});

describe('a bad catalog is refused with the path of every bad field', () => {
  it.each([
    ['serviceLevels.premium.kpis.onSite.target', 'P1D', 'serviceLevels.premium.kpis.onSite.target: days are not allowed, use PT…H'],
    ['serviceLevels.premium.kpis.onSite.target', 'P1DT2H', 'serviceLevels.premium.kpis.onSite.target: days are not allowed, use PT…H'],
    ['serviceLevels.premium.kpis.onSite.target', 'PT0M', 'serviceLevels.premium.kpis.onSite.target: must be greater than zero'],
    ['serviceLevels.premium.kpis.onSite.target', '24h', 'serviceLevels.premium.kpis.onSite.target: not a duration of hours and minutes like PT15M, PT8H or PT1H30M: 24h'],
    ['serviceLevels.premium.kpis.onSite.creditPercent', 101, 'serviceLevels.premium.kpis.onSite.creditPercent: must be between 0 and 100'],
    ['serviceLevels.premium.creditCapPercent', -1, 'serviceLevels.premium.creditCapPercent: must be between 0 and 100'],
    ['serviceLevels.premium.warnAtPercent', 100, 'serviceLevels.premium.warnAtPercent: must be between 1 and 99'],
    ['serviceLevels.premium.warnAtPercent', 0, 'serviceLevels.premium.warnAtPercent: must be between 1 and 99'],
    ['serviceLevels.premium.liabilityCapPercent', -5, 'serviceLevels.premium.liabilityCapPercent: must be 0 or more'],
    // Credits, caps and the liability cap are percentages of money in minor units: two decimals keep them exact.
    ['serviceLevels.premium.kpis.onSite.creditPercent', 2.555, 'serviceLevels.premium.kpis.onSite.creditPercent: at most two decimals'],
    ['serviceLevels.premium.byPriority.low.firstResponse.creditPercent', 0.125, 'serviceLevels.premium.byPriority.low.firstResponse.creditPercent: at most two decimals'],
    ['serviceLevels.premium.creditCapPercent', 20.001, 'serviceLevels.premium.creditCapPercent: at most two decimals'],
    ['serviceLevels.premium.liabilityCapPercent', 100.005, 'serviceLevels.premium.liabilityCapPercent: at most two decimals'],
    ['serviceLevels.premium.terminationWindowDays', 0, 'serviceLevels.premium.terminationWindowDays: must be at least 1'],
    ['serviceLevels.premium.terminationWindowDays', 30.5, 'serviceLevels.premium.terminationWindowDays: must be a whole number of days'],
    ['serviceLevels.premium.name.nb', undefined, 'serviceLevels.premium.name.nb: required'],
    ['calendars.oslo-business.timeZone', 'Europe/Atlantis', 'calendars.oslo-business.timeZone: not a valid IANA time zone'],
    ['calendars.oslo-business.timeZone', '+01:00', 'calendars.oslo-business.timeZone: not a valid IANA time zone'],
    ['calendars.oslo-business.hours.mon', [['8:00', '16:00']], 'calendars.oslo-business.hours.mon.0.0: not a wall time HH:MM (00:00–24:00)'],
    ['calendars.oslo-business.closedDates', ['2026-02-30'], 'calendars.oslo-business.closedDates.0: not a valid date YYYY-MM-DD'],
    ['calendars.oslo-business.holidays.country', 'Norway', 'calendars.oslo-business.holidays.country: not a 2-letter country code (ISO 3166-1, e.g. NO)'],
    ['calendars.oslo-business.holidays.country', 'XX', 'calendars.oslo-business.holidays.country: the holiday library does not know XX'],
    ['serviceLevels.premium.kpis.onSite.calendar', 'oslo', 'serviceLevels.premium.kpis.onSite.calendar: no calendar named oslo in calendars'],
    ['serviceLevels.premium.byPriority.low.firstResponse.calendar', 'gone', 'serviceLevels.premium.byPriority.low.firstResponse.calendar: no calendar named gone in calendars'],
    // A pool loan's return days (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools).
    ['serviceLevels.premium.loanReturnDays', 0, 'serviceLevels.premium.loanReturnDays: must be at least 1'],
    ['serviceLevels.premium.loanReturnDays', 7.5, 'serviceLevels.premium.loanReturnDays: must be a whole number of days'],
  ] as const)('refuses %s = %j', (path, value, issue) => {
    // Prepare
    const file = catalogWith([path, value]);

    // Act
    const issues = issuesOf(file);

    // Assess
    expect(issues).toEqual([issue]);
  });

  it.each([
    ['pools.targetAvailability', 1, 'pools.targetAvailability: must be less than 1 (a pool cannot be never empty)'],
    ['pools.targetAvailability', 0, 'pools.targetAvailability: must be more than 0'],
    ['costs.currency', 'NKR', 'costs.currency: not an ISO 4217 currency code'],
    ['costs.onSiteHourMinor', 950.5, 'costs.onSiteHourMinor: must be whole minor units (øre, cents)'],
    ['costs.kilometreMinor', -1, 'costs.kilometreMinor: must be 0 or more'],
    ['costs.byCountry.SE.nightMinor', 1600.25, 'costs.byCountry.SE.nightMinor: must be whole minor units (øre, cents)'],
    ['costs.exchangeRates.EUR', 11.6543219, 'costs.exchangeRates.EUR: must be a decimal with at most 6 decimals, e.g. 11.65'],
    ['costs.exchangeRates.NOK', 1, 'costs.exchangeRates.NOK: the costs are in NOK: it needs no rate'],
  ] as const)('refuses the pools and costs field %s = %j (docs/design.md sections 10 and 11)', (path, value, issue) => {
    // Prepare: the root's pools and costs, valid, then one field spoiled
    const file = catalogWith(
      ['pools', { targetAvailability: 0.99 }],
      ['costs', { currency: 'NOK', onSiteHourMinor: 95000, travelHourMinor: 75000, kilometreMinor: 350, nightMinor: 145000, dailyAllowanceMinor: 101200, byCountry: { SE: { nightMinor: 160000 } }, exchangeRates: { EUR: 11.65 } }],
    );
    const spoiled = JSON.parse(JSON.stringify(file)) as Json;
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let node = spoiled;
    for (const key of keys) node = node[key] as Json;
    node[last] = value;

    // Act
    const valid = issuesOrNone(file);
    const issues = issuesOrNone(spoiled);

    // Assess
    expect(valid).toEqual([]);
    expect(issues).toEqual([issue]);
  });

  it('reports every bad field at once, field errors and references together', () => {
    // Prepare
    const file = catalogWith(
      ['serviceLevels.premium.kpis.onSite.target', 'P1D'],
      ['serviceLevels.premium.warnAtPercent', 120],
      ['serviceLevels.premium.byPriority.low.firstResponse.calendar', 'missing'],
      ['calendars.oslo-business.hours.mon', [['09:00', '08:00'], ['07:00', '08:30'], ['08:00', '10:00']]],
    );

    // Act
    const issues = issuesOf(file);

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        'serviceLevels.premium.kpis.onSite.target: days are not allowed, use PT…H',
        'serviceLevels.premium.warnAtPercent: must be between 1 and 99',
        'serviceLevels.premium.byPriority.low.firstResponse.calendar: no calendar named missing in calendars',
        'calendars.oslo-business.hours.mon.0: window must start before it ends: 09:00–08:00',
        'calendars.oslo-business.hours.mon.2: window overlaps window 1',
      ]),
    );
    expect(issues).toHaveLength(5);
  });

  it('names every bad field in the error message and carries a stable code', () => {
    // Prepare
    const file = catalogWith(['serviceLevels.premium.kpis.onSite.target', 'P1DT2H'], ['breachGraceSeconds', -1]);

    // Act
    const act = (): unknown => compileCatalog(file);

    // Assess
    expect(act).toThrow(CatalogError);
    expect(act).toThrow(/serviceLevels\.premium\.kpis\.onSite\.target: days are not allowed, use PT…H/);
    expect(act).toThrow(/breachGraceSeconds: must be 0 or more/);
    expect(act).toThrow(expect.objectContaining({ code: 'CATALOG_INVALID' }));
  });

  it.each([
    ['(root)', 'serviceLevel', 'serviceLevel'],
    ['serviceLevels.premium.kpis.firstResponse', 'creditPercnt', 'serviceLevels.premium.kpis.firstResponse.creditPercnt'],
    ['serviceLevels.premium.kpis', 'firstReponse', 'serviceLevels.premium.kpis.firstReponse'],
    ['calendars.oslo-business.hours', 'monday', 'calendars.oslo-business.hours.monday'],
    ['serviceLevels.premium.byPriority', 'urgent', 'serviceLevels.premium.byPriority.urgent'],
  ])('refuses an unknown key in %s', (at, key, reportedPath) => {
    // Prepare
    const path = at === '(root)' ? key : `${at}.${key}`;
    const file = catalogWith([path, {}]);

    // Act
    const issues = issuesOf(file);

    // Assess
    expect(issues).toContain(`${reportedPath}: unknown key (a typo?)`);
  });

  it('refuses a priority override of a KPI the level lacks unless it is complete', () => {
    // Prepare
    const incomplete = catalogWith(['serviceLevels.premium.byPriority.critical', { replacement: { target: 'PT4H' } }]);
    const complete = catalogWith([
      'serviceLevels.premium.byPriority.critical',
      { replacement: { target: 'PT4H', calendar: 'always', creditPercent: 2 } },
    ]);

    // Act
    const issues = issuesOf(incomplete);
    const catalog = compileCatalog(complete);

    // Assess
    expect(issues).toEqual([
      'serviceLevels.premium.byPriority.critical.replacement: the level has no replacement KPI, so the override needs target, calendar and creditPercent',
    ]);
    expect(catalog.serviceLevels.premium?.byPriority.critical?.replacement?.targetMs).toBe(4 * HOUR_MS);
  });

  it('refuses a business calendar without any opening window', () => {
    // Prepare
    const file = catalogWith(['calendars.oslo-business.hours', { sat: [] }]);

    // Act
    const issues = issuesOf(file);

    // Assess
    expect(issues).toEqual(['calendars.oslo-business.hours: a business calendar needs at least one opening window']);
  });

  it('refuses a file that is not JSON with a readable error', () => {
    // Prepare
    const path = join(mkdtempSync(join(tmpdir(), 'catalog-')), 'broken.json');
    writeFileSync(path, '{ "calendars": ');

    // Act
    const act = (): unknown => loadCatalogFile(path);

    // Assess
    expect(act).toThrow(expect.objectContaining({ code: 'CATALOG_UNREADABLE' }));
  });
});

describe('a catalog whose worst-case change needs more than 100 transaction items is refused at load', () => {
  it('refuses a fine-grained level (0.5 % credits beside 5 % ones), naming the level and the reason', () => {
    // Prepare
    const file = catalogFile();
    const premium = (file.serviceLevels as Json).premium as Json;
    const kpis = premium.kpis as Json;
    kpis.firstResponse = { target: 'PT15M', calendar: 'always', creditPercent: 0.5 };
    // Act
    const issues = issuesOf(file);
    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^serviceLevels\.premium: one change can need \d+ transaction items \(DynamoDB allows 100\)/);
    expect(issues[0]).toMatch(/credit notice/);
  });

  it('accepts the default catalog: its worst cases stay within 100 items', () => {
    const worst = Object.values(loadDefaultCatalog().serviceLevels).map((level) => transactionWorstCase(level).total);
    expect(Math.max(...worst)).toBeLessThanOrEqual(100);
  });

  it('counts per change the KPIs, the years touched and the breaches a freed credit can newly credit', () => {
    // Prepare: premium above: 2 %, 5 %, 5 % on three KPIs.
    const level = compileCatalog(catalogFile()).serviceLevels.premium;
    if (level === undefined) throw new Error('premium missing');
    // Act
    const worst = transactionWorstCase(level);
    // Assess: freed ≤ 12 %; floor(1.5 × 12 / 2 + 1.5) + 3 = 13 filled; + 3 declared = 16 newly credited.
    expect(worst).toMatchObject({ kpis: 3, yearsTouched: 6, newlyCredited: 16 });
    expect(worst.total).toBe(4 + 5 + 3 + 4 * 6 + 6 + 16 + 16);
  });
});
