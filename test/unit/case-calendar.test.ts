import { describe, expect, it } from 'vitest';
import { makeCalendar } from '#domain/calendar.ts';
import type { WorkCalendar } from '#domain/calendar.ts';
import { evaluateCase } from '#domain/case.ts';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { MINUTE_MS, parseInstant } from '#domain/time.ts';
import { caseInput, caseOpened, casePaused, caseResponded, caseResumed, premiumLevel } from '#test/support/factories/case-events.ts';

const catalog = loadDefaultCatalog();
const calendars: Readonly<Record<string, WorkCalendar>> = Object.fromEntries(
  Object.entries(catalog.calendars).map(([name, definition]) => [name, makeCalendar(definition)]),
);
const premium = catalog.serviceLevels.premium!;
const basic = catalog.serviceLevels.basic!;

/** Premium, but its first response counted on Oslo business hours. */
const premiumOnBusinessHours = premiumLevel({
  kpis: { ...premium.kpis, firstResponse: { targetMs: 15 * MINUTE_MS, calendar: 'oslo-business', creditPercent: 2 } },
});

describe('clocks on the Oslo business calendar', () => {
  it('a PT15M first response opened Friday 15:50 Oslo time is due Monday 08:05', () => {
    const friday = parseInstant('2026-12-04T15:50:00+01:00');

    const view = evaluateCase(caseInput([caseOpened(friday)], friday, { level: premiumOnBusinessHours, calendars }));

    expect(view.clocks.firstResponse?.deadline).toBe(parseInstant('2026-12-07T08:05:00+01:00'));
    expect(view.clocks.firstResponse?.warnAt).toBe(parseInstant('2026-12-07T08:02:00+01:00'));
  });

  it('a low-priority premium case gets PT4H on business hours from the catalog', () => {
    const friday = parseInstant('2026-12-04T15:00:00+01:00');

    const view = evaluateCase(caseInput([caseOpened(friday, { priority: 'low' })], friday, { level: premium, calendars }));

    expect(view.clocks.firstResponse).toMatchObject({ calendar: 'oslo-business', deadline: parseInstant('2026-12-07T11:00:00+01:00') });
  });

  it('counts no time over Christmas: closed dates, public holidays and the weekend', () => {
    // Wednesday 23 December 14:00: two hours that day; 24th closed, 25th–26th holidays, then the weekend.
    const opened = parseInstant('2026-12-23T14:00:00+01:00');

    const view = evaluateCase(caseInput([caseOpened(opened)], parseInstant('2026-12-27T12:00:00+01:00'), { level: basic, calendars }));

    expect(view.clocks.firstResponse).toMatchObject({ countedMs: 120 * MINUTE_MS, deadline: parseInstant('2026-12-28T10:00:00+01:00'), state: 'running' });
  });

  it('a pause outside opening hours does not move a business-hours deadline', () => {
    const opened = parseInstant('2026-12-03T10:00:00+01:00');
    const overnight = [casePaused(parseInstant('2026-12-03T17:00:00+01:00'), 'force_majeure'), caseResumed(parseInstant('2026-12-04T07:00:00+01:00'))];

    const withPause = evaluateCase(caseInput([caseOpened(opened), ...overnight], opened, { level: basic, calendars }));
    const without = evaluateCase(caseInput([caseOpened(opened)], opened, { level: basic, calendars }));

    expect(withPause.clocks.resolution?.deadline).toBe(without.clocks.resolution?.deadline);
    expect(withPause.clocks.resolution?.deadline).not.toBeNull();
  });

  it('a response at 08:05 on Monday meets a Friday 15:50 case; one at 08:06 breaches it', () => {
    const friday = parseInstant('2026-12-04T15:50:00+01:00');
    const input = (respondedAt: string) =>
      caseInput([caseOpened(friday), caseResponded(parseInstant(respondedAt))], parseInstant('2026-12-08T00:00:00+01:00'), {
        level: premiumOnBusinessHours,
        calendars,
      });

    expect(evaluateCase(input('2026-12-07T08:05:00+01:00')).clocks.firstResponse?.state).toBe('met');
    expect(evaluateCase(input('2026-12-07T08:06:00+01:00')).clocks.firstResponse?.state).toBe('breached');
  });
});
