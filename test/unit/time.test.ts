import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addYears, instantOfWallTime, localDateAt, parseTargetDuration, toIso, wallTimeAt } from '#domain/time.ts';

/** What Intl reads, uncached: the reference the per-hour offset cache must agree with. */
const referenceFormats = new Map<string, Intl.DateTimeFormat>();
function intlWallTime(instant: number, timeZone: string): Record<string, number> {
  const format = referenceFormats.get(timeZone) ?? new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  referenceFormats.set(timeZone, format);
  const parts = format.formatToParts(new Date(instant));
  const pick = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { year: pick('year'), month: pick('month'), day: pick('day'), hour: pick('hour'), minute: pick('minute'), second: pick('second') };
}


describe('zone arithmetic', () => {
  it('reads the wall clock as Intl does, across transitions and odd offsets', () => {
    const zones = ['Europe/Oslo', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'UTC'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1890, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, instant) => {
        expect(wallTimeAt(instant, zone)).toEqual(intlWallTime(instant, zone));
      }),
      { numRuns: 3_000 },
    );
    // Each second around Oslo's 2026 transitions, both sides of the hour.
    for (const transition of [Date.parse('2026-03-29T01:00:00Z'), Date.parse('2026-10-25T01:00:00Z')]) {
      for (let instant = transition - 3_600_000; instant <= transition + 3_600_000; instant += 997) {
        expect(wallTimeAt(instant, 'Europe/Oslo')).toEqual(intlWallTime(instant, 'Europe/Oslo'));
      }
    }
  });
  it('maps a wall time skipped by the spring-forward gap to the end of the gap', () => {
    expect(toIso(instantOfWallTime('2026-03-29', 150, 'Europe/Oslo'))).toBe('2026-03-29T01:00:00Z');
  });
  it('maps a repeated autumn wall time to its first occurrence', () => {
    expect(toIso(instantOfWallTime('2026-10-25', 150, 'Europe/Oslo'))).toBe('2026-10-25T00:30:00Z');
  });
  it('reads the local date in the zone, not in UTC', () => {
    expect(localDateAt(Date.parse('2025-12-31T23:30:00Z'), 'Europe/Oslo')).toBe('2026-01-01');
  });
  it('clamps 29 February to 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
  it('accepts hour and minute targets and refuses days', () => {
    expect(parseTargetDuration('PT1H30M')).toBe(90 * 60_000);
    expect(parseTargetDuration('P1D')).toBeUndefined();
    expect(parseTargetDuration('PT')).toBeUndefined();
  });
});
