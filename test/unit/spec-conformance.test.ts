/**
 * The rules of docs/design.md#3-the-catalog-calendars-and-service-levels, docs/design.md#4-contracts, docs/design.md#5-cases-clocks-breaches-credits and
 * docs/design.md#8-read-model-the-statement, one test per rule, each named after the rule it quotes. The rules run on the
 * pure domain with the real calendar engine and the example catalog of docs/design.md#3-the-catalog-calendars-and-service-levels.
 */
import { describe, expect, it } from 'vitest';
import { compileCatalog } from '#config/catalog.ts';
import { CatalogError } from '../../shared/errors.ts';
import { makeCalendar, type WorkCalendar } from '#domain/calendar.ts';
import { evaluateCase, type ClockView } from '#domain/case.ts';
import { creditYear, percentOfMinor } from '#domain/credits.ts';
import { resolveKpiTerms } from '#domain/levels.ts';
import type { CaseEvent, Catalog, Kpi, ServiceLevel } from '#domain/model.ts';
import { evaluatePortfolio, type PortfolioEvent } from '#test/support/oracle/portfolio.ts';
import { replayContractSchema, toReplayContract } from '#cli/replay/output-schema.ts';
import { buildStatement, type ContractStatement } from '#domain/statement.ts';
import { contractEndsAt, contractYear, decideTermination, noticeDeadline, statusAt, termEndAfter, yearIndexAt } from '#domain/terms.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, startOfLocalDate } from '#domain/time.ts';
import {
  caseCancelled,
  caseOpened,
  casePaused,
  caseResolved,
  caseResponded,
  caseResumed,
  onSiteRequested,
  replacementDelivered,
  technicianArrived,
} from '#test/support/factories/case-events.ts';
import {
  aBreach,
  aContract,
  aServiceLevel,
  aStatementInput,
  aTermination,
  at,
  onCase,
  OSLO,
  registered,
  terminationRequested,
} from '#test/support/factories/contracts.ts';

/** The catalog of docs/design.md#3-the-catalog-calendars-and-service-levels, as printed there. */
const SPEC_CATALOG = {
  calendars: {
    always: { kind: 'always' },
    'oslo-business': {
      kind: 'business',
      timeZone: 'Europe/Oslo',
      hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [['08:00', '16:00']]])),
      holidays: { country: 'NO' },
      closedDates: ['2026-12-24', '2026-12-31'],
    },
  },
  serviceLevels: {
    premium: {
      name: { en: 'Premium 24/7', nb: 'Premium 24/7' },
      kpis: {
        firstResponse: { target: 'PT15M', calendar: 'always', creditPercent: 2 },
        onSite: { target: 'PT24H', calendar: 'always', creditPercent: 5 },
        replacement: { target: 'PT8H', calendar: 'always', creditPercent: 3 },
        resolution: { target: 'PT48H', calendar: 'always', creditPercent: 5 },
      },
      byPriority: { low: { firstResponse: { target: 'PT4H', calendar: 'oslo-business' } } },
      creditCapPercent: 20,
      terminationWindowDays: 90,
      liabilityCapPercent: 100,
      warnAtPercent: 80,
    },
  },
};

const catalog: Catalog = compileCatalog(SPEC_CATALOG);
const premium = catalog.serviceLevels.premium as ServiceLevel;
const calendars: Record<string, WorkCalendar> = Object.fromEntries(
  Object.entries(catalog.calendars).map(([name, definition]) => [name, makeCalendar(definition)]),
);
const always = calendars.always as WorkCalendar;
const osloBusiness = calendars['oslo-business'] as WorkCalendar;
const GRACE_MS = catalog.breachGraceSeconds * 1000;

/** Open time of one Oslo local date on the business calendar. */
const openHoursOn = (date: string): number =>
  osloBusiness.countedMs(startOfLocalDate(date, OSLO), startOfLocalDate(date, OSLO) + DAY_MS) / HOUR_MS;

function clocksOf(events: readonly CaseEvent[], now: number, contractEnd: number | null = null): Partial<Record<Kpi, ClockView>> {
  return evaluateCase({ events, level: premium, calendars, now, graceMs: GRACE_MS, contractEndsAt: contractEnd, warned: new Set() }).clocks;
}

const stateOf = (clocks: Partial<Record<Kpi, ClockView>>): Partial<Record<Kpi, string>> =>
  Object.fromEntries(Object.values(clocks).map((clock) => [clock.kpi, clock.state]));

function statementOf(events: readonly PortfolioEvent[], asOf: string): ContractStatement {
  const [statement] = evaluatePortfolio({ catalog, calendars, events, asOf: at(asOf) });
  if (statement === undefined) throw new Error('no statement');
  return statement;
}

const contract = registered(aContract({ contractId: 'C-1', startDate: '2026-01-01' }), '2025-12-01T10:00:00Z');
/** Monday 30 November 2026, 10:00 UTC (11:00 in Oslo). */
const OPENED = at('2026-11-30T10:00:00Z');
const later = (minutes: number): number => OPENED + minutes * MINUTE_MS;

describe('design §3 the catalog: calendars and service levels', () => {
  it('"a business calendar counts time only inside its opening hours (local wall time in its IANA zone, several windows a day)"', () => {
    const twoWindows = makeCalendar({ kind: 'business', timeZone: OSLO, hours: { mon: [[480, 690], [720, 960]] }, closedDates: [] });
    const monday = startOfLocalDate('2026-11-30', OSLO);

    expect(twoWindows.countedMs(monday, monday + DAY_MS)).toBe(7.5 * HOUR_MS);
    expect(twoWindows.deadline(monday, 4 * HOUR_MS)).toBe(monday + 12.5 * HOUR_MS);
    expect(openHoursOn('2026-11-30')).toBe(8);
    expect(openHoursOn('2026-11-28')).toBe(0);
  });

  it('"never on its public holidays (country: computed for any year …) nor on closedDates"', () => {
    expect(openHoursOn('2026-05-14')).toBe(0); // Ascension Day, a Thursday
    expect(openHoursOn('2090-12-25')).toBe(0); // Christmas Day, a Monday
    expect(openHoursOn('2026-12-24')).toBe(0); // closedDates
    expect(openHoursOn('2026-12-23')).toBe(8);
  });

  it('"an always target of PT24H is 24 real hours", across the spring daylight-saving change too', () => {
    const saturdayBeforeChange = at('2026-03-28T12:00:00Z');

    expect(always.deadline(saturdayBeforeChange, 24 * HOUR_MS)).toBe(saturdayBeforeChange + 24 * HOUR_MS);
    expect(always.countedMs(saturdayBeforeChange, saturdayBeforeChange + DAY_MS)).toBe(DAY_MS);
  });

  it('"business hours are wall-clock hours" on both sides of a daylight-saving change', () => {
    // Friday 27 March is winter time (UTC+1), Monday 30 March summer time (UTC+2)
    const fridayAt15 = at('2026-03-27T14:00:00Z');

    expect(openHoursOn('2026-03-27')).toBe(8);
    expect(openHoursOn('2026-03-30')).toBe(8);
    expect(osloBusiness.deadline(fridayAt15, 2 * HOUR_MS)).toBe(at('2026-03-30T07:00:00Z')); // 09:00 in Oslo
  });

  it('"a target is an ISO-8601 duration of hours and minutes …; days are refused"', () => {
    const withTarget = (target: string): unknown => ({
      ...SPEC_CATALOG,
      serviceLevels: {
        premium: { ...SPEC_CATALOG.serviceLevels.premium, kpis: { ...SPEC_CATALOG.serviceLevels.premium.kpis, resolution: { target, calendar: 'always', creditPercent: 5 } } },
      },
    });

    expect(compileCatalog(withTarget('PT1H30M')).serviceLevels.premium?.kpis.resolution?.targetMs).toBe(90 * MINUTE_MS);
    expect(() => compileCatalog(withTarget('P1D'))).toThrow(CatalogError);
  });

  it('"a level may leave any out. byPriority overrides fields of a KPI for a priority (default normal)"', () => {
    const { replacement: _left, ...otherKpis } = premium.kpis;
    const withoutReplacement: ServiceLevel = { ...premium, kpis: otherKpis };

    expect(resolveKpiTerms(premium, 'low').firstResponse).toEqual({ targetMs: 4 * HOUR_MS, calendar: 'oslo-business', creditPercent: 2 });
    expect(resolveKpiTerms(withoutReplacement, 'normal').replacement).toBeUndefined();
    const unprioritised = evaluateCase({
      events: [caseOpened(OPENED)],
      level: premium,
      calendars,
      now: OPENED,
      graceMs: GRACE_MS,
      contractEndsAt: null,
      warned: new Set(),
    });
    expect(unprioritised.priority).toBe('normal');
    expect(unprioritised.clocks.firstResponse?.targetMs).toBe(15 * MINUTE_MS);
  });

  it('"credit … rounded half up to a minor unit": a catalog percentage that cannot be applied exactly is refused at load', () => {
    const premiumWith = (creditPercent: number): unknown => ({
      ...SPEC_CATALOG,
      serviceLevels: {
        premium: { ...SPEC_CATALOG.serviceLevels.premium, kpis: { ...SPEC_CATALOG.serviceLevels.premium.kpis, onSite: { target: 'PT24H', calendar: 'always', creditPercent } } },
      },
    });

    expect(compileCatalog(premiumWith(2.25)).serviceLevels.premium?.kpis.onSite?.creditPercent).toBe(2.25);
    expect(() => compileCatalog(premiumWith(2.255))).toThrow(/creditPercent: at most two decimals/);
  });
});

describe('design §4 contracts', () => {
  it('"contract year k runs from startDate + (k-1) years to startDate + k years (midnight in timeZone, end exclusive)"', () => {
    const leapDay = aContract({ startDate: '2028-02-29' });
    const year2 = contractYear(leapDay, 2);
    const year5 = contractYear(leapDay, 5);

    expect([year2.start, year2.end, year5.start]).toEqual(['2029-02-28', '2030-02-28', '2032-02-29']);
    expect(year2.startsAt).toBe(startOfLocalDate('2029-02-28', OSLO));
    expect([yearIndexAt(leapDay, year2.endsAt - 1), yearIndexAt(leapDay, year2.endsAt)]).toEqual([2, 3]);
    expect(contractYear(aContract({ startDate: '2026-01-31' }), 3).start).toBe('2028-01-31');
  });

  it('"the first term ends after bindingYears. With autoRenew, each term end … starts a new one-year term"', () => {
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 3 });

    expect(termEndAfter(terms, '2026-06-01')).toBe('2029-01-01');
    expect(termEndAfter(terms, '2029-01-01')).toBe('2030-01-01');
    expect(contractEndsAt(terms, null)).toBeNull();
    expect(statusAt(terms, null, at('2040-01-01T00:00:00Z'))).toBe('active');
  });

  it('"without [autoRenew], the contract expires at the term end"', () => {
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 2, autoRenew: false });
    const expiry = startOfLocalDate('2028-01-01', OSLO);

    expect(contractEndsAt(terms, null)).toBe(expiry);
    expect([statusAt(terms, null, expiry - 1), statusAt(terms, null, expiry)]).toEqual(['ending', 'ended']);
  });

  it('"termination by notice … takes effect at the first term end at least noticeDays after the request"', () => {
    const terms = aContract({ startDate: '2026-01-01', noticeDays: 90 });
    const deadline = noticeDeadline(terms, '2028-01-01');
    const notice = (date: string) =>
      decideTermination({
        terms,
        current: null,
        terminationRight: null,
        request: { eventId: 'N', reason: 'notice', requestedAt: startOfLocalDate(date, OSLO) + 15 * HOUR_MS },
      });

    expect(deadline).toBe('2027-10-03');
    expect(notice('2027-10-03')).toMatchObject({ accepted: true, termination: { effectiveAt: startOfLocalDate('2028-01-01', OSLO) } });
    expect(notice('2027-10-04')).toMatchObject({ accepted: true, termination: { effectiveAt: startOfLocalDate('2029-01-01', OSLO) } });
  });

  it('"inside the binding period that is the binding end at the earliest"', () => {
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 3 });

    const decision = decideTermination({
      terms,
      current: null,
      terminationRight: null,
      request: { eventId: 'N', reason: 'notice', requestedAt: at('2026-02-01T10:00:00Z') },
    });

    expect(decision).toMatchObject({ accepted: true, termination: { effectiveAt: startOfLocalDate('2029-01-01', OSLO) } });
  });

  it('"termination for breach … accepted only while the customer holds a termination right; … at effectiveDate, or at once"', () => {
    const terms = aContract();
    const right = { since: at('2026-05-04T08:15:00Z'), until: at('2026-05-04T08:15:00Z') + 90 * DAY_MS };
    const forBreach = (requestedAt: number, effectiveDate?: string) =>
      decideTermination({
        terms,
        current: null,
        terminationRight: right,
        request: { eventId: 'B', reason: 'credit_cap_breach', requestedAt, ...(effectiveDate === undefined ? {} : { effectiveDate }) },
      });

    expect(forBreach(at('2026-06-01T12:00:00Z'))).toMatchObject({ accepted: true, termination: { effectiveAt: at('2026-06-01T12:00:00Z') } });
    expect(forBreach(at('2026-06-01T12:00:00Z'), '2026-07-01')).toMatchObject({
      accepted: true,
      termination: { effectiveAt: startOfLocalDate('2026-07-01', OSLO) },
    });
    expect(forBreach(right.until)).toMatchObject({ accepted: false });
  });

  it('"a request that the rules refuse is recorded as a rejected event with its reason"', () => {
    const refused = terminationRequested('C-1', 'credit_cap_breach', '2026-03-01T10:00:00Z', { eventId: 'T-1' });

    const statement = statementOf([contract, refused], '2026-04-01T00:00:00Z');

    expect(statement.status).toBe('active');
    expect(statement.rejected.map((event) => [event.eventId, event.type])).toEqual([['T-1', 'contract.termination_requested']]);
    expect(statement.rejected[0]?.reason).toMatch(/no termination right/);
  });
});

describe('design §5 cases and clocks', () => {
  it('"case.opened starts firstResponse and resolution; onSite … when onSiteRequired …, or later at case.onsite_requested"', () => {
    const plain = clocksOf([caseOpened(OPENED)], later(1));
    const requiredAtOpening = clocksOf([caseOpened(OPENED, { onSiteRequired: true, replacementRequired: true })], later(1));
    const requestedLater = clocksOf([caseOpened(OPENED), onSiteRequested(later(30))], later(31));

    expect(Object.keys(plain)).toEqual(['firstResponse', 'resolution']);
    expect(Object.keys(requiredAtOpening)).toEqual(['firstResponse', 'onSite', 'replacement', 'resolution']);
    expect(requestedLater.onSite?.startedAt).toBe(later(30));
  });

  it('"case.responded → firstResponse; … technician_arrived → onSite; … replacement_delivered → replacement; case.resolved → every clock still running"', () => {
    const opened = caseOpened(OPENED, { onSiteRequired: true, replacementRequired: true });
    const events = [opened, caseResponded(later(5)), technicianArrived(later(60)), replacementDelivered(later(90)), caseResolved(later(120))];

    const clocks = clocksOf(events, later(200));

    expect(Object.values(clocks).map((clock) => [clock.kpi, clock.stoppedAt])).toEqual([
      ['firstResponse', later(5)],
      ['onSite', later(60)],
      ['replacement', later(90)],
      ['resolution', later(120)],
    ]);
  });

  it('"case.cancelled → every clock still running, without breach"', () => {
    const clocks = clocksOf([caseOpened(OPENED), caseCancelled(later(60))], later(120));

    expect(stateOf(clocks)).toEqual({ firstResponse: 'cancelled', resolution: 'cancelled' });
    expect(Object.values(clocks).some((clock) => clock.breachDeclared)).toBe(false);
  });

  it('"awaiting_customer pauses every running clock but firstResponse; force_majeure … pauses all"', () => {
    const awaiting = clocksOf([caseOpened(OPENED), casePaused(later(5), 'awaiting_customer')], later(10));
    const forceMajeure = clocksOf([caseOpened(OPENED), casePaused(later(5), 'force_majeure')], later(10));

    expect(stateOf(awaiting)).toEqual({ firstResponse: 'running', resolution: 'paused' });
    expect(stateOf(forceMajeure)).toEqual({ firstResponse: 'paused', resolution: 'paused' });
  });

  it('"a pause while paused, or a resume while running, changes nothing"', () => {
    const once = [caseOpened(OPENED), casePaused(later(5), 'awaiting_customer'), caseResumed(later(65))];
    const withRepeats = [...once, caseResumed(later(2), 'early-resume'), casePaused(later(10), 'force_majeure', 'second-pause')];

    expect(clocksOf(withRepeats, later(100))).toEqual(clocksOf(once, later(100)));
  });

  it('"counted time … inside its calendar\'s open hours and outside pauses. Its deadline = the first instant at which counted time reaches the target"', () => {
    // A low-priority first response counts Oslo business hours: 4 h. Opened Monday 11:00, paused 12:00–13:00.
    const events = [
      caseOpened(OPENED, { priority: 'low' }),
      casePaused(later(60), 'force_majeure'),
      caseResumed(later(120)),
    ];

    const clocks = clocksOf(events, later(180));

    expect(clocks.firstResponse?.countedMs).toBe(2 * HOUR_MS);
    expect(clocks.firstResponse?.deadline).toBe(later(5 * 60)); // 16:00 in Oslo: 1 h + pause + 3 h
  });

  it('"stopped exactly at the deadline is met"; stopped after it, or still running past it, is a breach', () => {
    const deadline = later(15);

    expect(clocksOf([caseOpened(OPENED), caseResponded(deadline)], later(60)).firstResponse?.state).toBe('met');
    expect(clocksOf([caseOpened(OPENED), caseResponded(deadline + 1)], later(60)).firstResponse?.state).toBe('breached');
    expect(clocksOf([caseOpened(OPENED)], deadline + 1).firstResponse?.state).toBe('breached');
  });

  it('"the sweep declares a running clock breached only breachGraceSeconds … after its deadline"', () => {
    const deadline = later(15);

    expect(clocksOf([caseOpened(OPENED)], deadline + GRACE_MS - 1).firstResponse?.breachDeclared).toBe(false);
    expect(clocksOf([caseOpened(OPENED)], deadline + GRACE_MS).firstResponse?.breachDeclared).toBe(true);
  });

  it('"the state of a case is a function of its events sorted by occurredAt (ties: the order of the event types …, then eventId)"; a duplicate is ignored', () => {
    // Responded and resolved at one instant: the type order applies the response first, so it is met.
    const opened = caseOpened(OPENED, { onSiteRequired: true });
    const events = [opened, caseResponded(later(10)), caseResolved(later(10)), technicianArrived(later(10))];
    const shuffled = [events[3], events[2], opened, events[1], events[2], opened] as CaseEvent[];

    expect(clocksOf(shuffled, later(100))).toEqual(clocksOf(events, later(100)));
    expect(stateOf(clocksOf(shuffled, later(100)))).toEqual({ firstResponse: 'met', onSite: 'met', resolution: 'met' });
  });

  it('"clocks still running when a contract ends stop there, without breach"', () => {
    const contractEnd = later(30 * 60);

    const clocks = clocksOf([caseOpened(OPENED)], later(3 * 24 * 60), contractEnd);

    expect(clocks.resolution).toMatchObject({ state: 'ended', stoppedAt: contractEnd, breachDeclared: false });
  });

  it('"a breach belongs to the contract year that contains its deadline"', () => {
    // Opened 23:30 on New Year's Eve in Oslo: the first response is due in year 1, the resolution in year 2.
    const events = [contract, onCase('C-1', 'NYE', 'case.opened', '2026-12-31T22:30:00Z')];

    const statement = statementOf(events, '2027-02-01T00:00:00Z');

    expect(statement.years.map((year) => year.breaches)).toEqual([
      { firstResponse: 1, onSite: 0, replacement: 0, resolution: 0 },
      { firstResponse: 0, onSite: 0, replacement: 0, resolution: 1 },
    ]);
  });

  it('"cases opened outside the contract\'s active period are rejected"', () => {
    const beforeStart = onCase('C-1', 'EARLY', 'case.opened', '2025-12-31T22:59:59Z');
    const atStart = onCase('C-1', 'FIRST', 'case.opened', '2025-12-31T23:00:00Z');

    const statement = statementOf([contract, beforeStart, atStart], '2026-02-01T00:00:00Z');

    expect(statement.rejected.map((event) => event.eventId)).toEqual([beforeStart.eventId]);
    expect(statement.years[0]?.breaches.firstResponse).toBe(1);
  });
});

describe('design §5 credits, the cap and the termination right', () => {
  const fee = 12_000_000;
  const year = (breaches: Parameters<typeof creditYear>[0]['breaches']) =>
    creditYear({ feeMinor: fee, capPercent: 20, terminationWindowDays: 90, timeZone: OSLO, breaches });

  it('"credit of a breach = creditPercent of that year\'s annual fee, rounded half up to a minor unit"', () => {
    expect(percentOfMinor(3_333_333, 2)).toBe(66_667); // 66 666.66
    expect(percentOfMinor(1_000_010, 2.5)).toBe(25_000); // 25 000.25
    expect(percentOfMinor(100, 0.5)).toBe(1); // 0.5
    expect(year([aBreach({ deadline: at('2026-03-01T10:00:00Z'), creditPercent: 2 })]).totalMinor).toBe(240_000);
  });

  it('"credits of a year accrue in deadline order (ties: caseId, then KPI …); each takes at most what is left under the cap"', () => {
    const tie = at('2026-03-01T10:00:00Z');
    const breaches = [
      aBreach({ caseId: 'B', kpi: 'firstResponse', creditPercent: 10, deadline: tie }),
      aBreach({ caseId: 'A', kpi: 'resolution', creditPercent: 10, deadline: tie }),
      aBreach({ caseId: 'A', kpi: 'onSite', creditPercent: 15, deadline: tie }),
    ];

    const credits = year(breaches);

    expect(credits.breaches.map((b) => [b.caseId, b.kpi, b.creditMinor])).toEqual([
      ['A', 'onSite', 1_800_000],
      ['A', 'resolution', 600_000],
      ['B', 'firstResponse', 0],
    ]);
  });

  it('"when the accrued total reaches the cap, the customer holds a termination right from that breach\'s deadline until the end of the terminationWindowDays-th day after it (midnight in the contract\'s zone)"', () => {
    const reaching = at('2026-05-04T08:15:00Z');

    const credits = year([
      aBreach({ caseId: 'A', creditPercent: 10, deadline: at('2026-03-01T10:00:00Z') }),
      aBreach({ caseId: 'B', creditPercent: 10, deadline: reaching }),
    ]);

    expect(credits.terminationRight).toEqual({ since: reaching, until: startOfLocalDate('2026-08-03', OSLO) });
  });

  it('"a reversal that takes the year back under the cap withdraws it"', () => {
    const first = aBreach({ caseId: 'A', creditPercent: 10, deadline: at('2026-03-01T10:00:00Z') });
    const second = aBreach({ caseId: 'B', creditPercent: 10, deadline: at('2026-05-04T08:15:00Z') });

    expect(year([first, second]).terminationRight).not.toBeNull();
    expect(year([first]).terminationRight).toBeNull();
  });

  it('"breaches past the cap still count …; they earn no credit"', () => {
    const breaches = [1, 2, 3].map((n) => aBreach({ caseId: `C${n}`, creditPercent: 10, deadline: at(`2026-0${n}-10T10:00:00Z`) }));

    const statement = buildStatement(aStatementInput({ breaches, asOf: at('2026-06-01T00:00:00Z') }));

    expect(statement.years[0]).toMatchObject({ breaches: { firstResponse: 3 }, creditsMinor: 2_400_000, capReached: true });
  });

  it('"at most one breach per (case, KPI)"', () => {
    const twice = [at('2026-03-01T10:00:00Z'), at('2026-03-02T10:00:00Z')].map((deadline) => aBreach({ caseId: 'A', deadline }));

    expect(year(twice).breaches).toHaveLength(1);
  });

  it('"credits of year k are a discount on the fee of year k+1 (never below zero)"', () => {
    const breaches = [aBreach({ caseId: 'A', creditPercent: 5, deadline: at('2026-03-01T10:00:00Z') })];
    const generous = aServiceLevel({ creditCapPercent: 150 });
    const overFee = [1, 2].map((n) => aBreach({ caseId: `X${n}`, creditPercent: 70, deadline: at(`2026-0${n}-10T10:00:00Z`) }));

    const statement = buildStatement(aStatementInput({ breaches, asOf: at('2027-02-01T00:00:00Z') }));
    const beyondFee = buildStatement(aStatementInput({ level: generous, breaches: overFee, asOf: at('2027-02-01T00:00:00Z') }));

    expect(statement.years[0]).toMatchObject({ carriedToNextYearMinor: 600_000, amountDueNextYearMinor: 11_400_000 });
    expect(beyondFee.years[0]?.amountDueNextYearMinor).toBe(0);
  });

  it('"credits left when a contract ends are reported as owed in the final statement", for an end by breach mid-year too', () => {
    // Two 10 % breaches reach the 20 % cap; the customer terminates at once, mid-year.
    const events = [
      contract,
      onCase('C-1', 'A', 'case.opened', '2026-03-02T10:00:00Z'),
      onCase('C-1', 'B', 'case.opened', '2026-05-04T10:00:00Z'),
      terminationRequested('C-1', 'credit_cap_breach', '2026-06-01T10:00:00Z'),
    ];
    const tenPercent = { ...premium, kpis: { firstResponse: { targetMs: 15 * MINUTE_MS, calendar: 'always', creditPercent: 10 } } };
    const [statement] = evaluatePortfolio({
      catalog: { ...catalog, serviceLevels: { premium: tenPercent } },
      calendars,
      events,
      asOf: at('2026-09-01T00:00:00Z'),
    });

    expect(statement).toMatchObject({ status: 'ended', creditsOwedMinor: 2_400_000, terminationRight: null });
    expect(statement?.years).toHaveLength(1);
    expect(statement?.years[0]).toMatchObject({ creditsMinor: 2_400_000, carriedToNextYearMinor: 0, amountDueNextYearMinor: 0 });
  });

  it('"the liability cap (liabilityCapPercent of the fees of the last twelve months) is shown in every statement"', () => {
    // The fee is invoiced yearly: the last twelve months always hold exactly one annual fee of a running contract.
    const half = aServiceLevel({ liabilityCapPercent: 50 });

    for (const asOf of ['2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z', '2029-03-01T00:00:00Z']) {
      expect(buildStatement(aStatementInput({ level: half, asOf: at(asOf) })).liabilityCapMinor).toBe(6_000_000);
    }
  });
});

describe('design §8 the statement and the replay output', () => {
  it('"status (active, ending, ended)"', () => {
    const termination = aTermination({ effectiveAt: startOfLocalDate('2027-01-01', OSLO) });
    const statusAsOf = (asOf: string, withTermination = true): string =>
      buildStatement(aStatementInput({ termination: withTermination ? termination : null, asOf: at(asOf) })).status;

    expect([statusAsOf('2026-06-01T00:00:00Z', false), statusAsOf('2026-06-01T00:00:00Z'), statusAsOf('2027-01-01T00:00:00Z')]).toEqual([
      'active',
      'ending',
      'ended',
    ]);
  });

  it('"terms (start, binding end, current term end, notice deadline)"', () => {
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 2, noticeDays: 60 });

    const statement = buildStatement(aStatementInput({ terms, asOf: at('2028-03-01T00:00:00Z') }));

    expect(statement.terms).toMatchObject({ start: '2026-01-01', bindingEnd: '2028-01-01', currentTermEnd: '2029-01-01', noticeDeadline: '2028-11-02' });
  });

  it('"termination right (since, until) if any"; "terminationRight is null when the customer holds none as of asOf"', () => {
    const reaching = at('2026-05-04T08:15:00Z');
    const breaches = [
      aBreach({ caseId: 'A', creditPercent: 10, deadline: at('2026-03-01T10:00:00Z') }),
      aBreach({ caseId: 'B', creditPercent: 10, deadline: reaching }),
    ];
    const rightAsOf = (asOf: number) => toReplayContract(buildStatement(aStatementInput({ breaches, asOf }))).terminationRight;

    expect(rightAsOf(reaching - 1)).toBeNull();
    expect(rightAsOf(reaching)).toEqual({ since: '2026-05-04T08:15:00Z', until: '2026-08-02T22:00:00Z' });
    expect(rightAsOf(at('2026-08-02T21:59:59Z'))).not.toBeNull();
    expect(rightAsOf(at('2026-08-02T22:00:00Z'))).toBeNull();
  });

  it('"every contract year that has begun by asOf is listed"', () => {
    const year3Starts = startOfLocalDate('2028-01-01', OSLO);
    const yearsAsOf = (asOf: number): number[] => buildStatement(aStatementInput({ asOf })).years.map((y) => y.index);

    expect(yearsAsOf(year3Starts - 1)).toEqual([1, 2]);
    expect(yearsAsOf(year3Starts)).toEqual([1, 2, 3]);
  });

  it('"breaches lists all four KPIs", in a year without any breach too', () => {
    const statement = buildStatement(aStatementInput({ asOf: at('2026-06-01T00:00:00Z') }));

    const replayed = replayContractSchema.parse(toReplayContract(statement));

    expect(replayed.years[0]?.breaches).toEqual({ firstResponse: 0, onSite: 0, replacement: 0, resolution: 0 });
  });

  it('"instants are ISO-8601 UTC; dates (start, end) are contract-local dates"', () => {
    const terms = aContract({ startDate: '2026-01-01', timeZone: 'Pacific/Auckland' });
    const breaches = [
      aBreach({ caseId: 'A', creditPercent: 10, deadline: at('2026-03-01T10:00:00Z') }),
      aBreach({ caseId: 'B', creditPercent: 10, deadline: at('2026-05-04T08:15:00.250Z') }),
    ];

    const replayed = toReplayContract(buildStatement(aStatementInput({ terms, breaches, asOf: at('2026-06-01T00:00:00Z') })));

    expect(replayed.years[0]).toMatchObject({ start: '2026-01-01', end: '2027-01-01' });
    expect(replayed.terminationRight?.since).toBe('2026-05-04T08:15:00.250Z');
    expect(replayContractSchema.safeParse(replayed).success).toBe(true);
  });
});
