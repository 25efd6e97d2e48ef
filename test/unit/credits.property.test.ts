import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditYear, terminationWindowEnd } from '#domain/credits.ts';
import type { CreditYearInput } from '#domain/credits.ts';
import { KPIS } from '#domain/model.ts';
import { addDays, DAY_MS, HOUR_MS, localDateAt, splitDate, startOfLocalDate, type LocalDate } from '#domain/time.ts';

const RUNS = { numRuns: 1_000 };

/** Whole days from `from` to `to` (negative when `to` is earlier). */
function daysBetween(from: LocalDate, to: LocalDate): number {
  const [y1, m1, d1] = splitDate(from);
  const [y2, m2, d2] = splitDate(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}

const aBreach = fc.record({
  caseId: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
  kpi: fc.constantFrom(...KPIS),
  // A narrow range so deadline ties (and their tie-breaks) happen often.
  deadline: fc.integer({ min: 1_767_222_000_000, max: 1_767_222_000_020 }),
  creditPercent: fc.integer({ min: 0, max: 2_500 }).map((bp) => bp / 100),
});

/** At most one breach per (case, KPI), as the rules guarantee. */
const breachesOfAYear = fc.uniqueArray(aBreach, { selector: (b) => `${b.caseId}#${b.kpi}`, maxLength: 24 });

const aYear: fc.Arbitrary<CreditYearInput> = fc.record({
  feeMinor: fc.integer({ min: 0, max: 1_000_000_000 }),
  capPercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
  terminationWindowDays: fc.integer({ min: 1, max: 365 }),
  timeZone: fc.constantFrom('Europe/Oslo', 'UTC', 'America/New_York'),
  breaches: breachesOfAYear,
});

/** Zones with daylight saving on either hemisphere, a half-hour offset and none. */
const aZone = fc.constantFrom('Europe/Oslo', 'America/New_York', 'Australia/Sydney', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC');
/** Any instant of 2020–2035, to the second. */
const aDeadline = fc.integer({ min: 1_577_836_800, max: 2_082_758_400 }).map((seconds) => seconds * 1000);

describe('credit properties', () => {
  it('never accrues more than the cap, and no breach earns a negative credit', () => {
    fc.assert(
      fc.property(aYear, (input) => {
        // Act
        const credits = creditYear(input);

        // Assess
        expect(credits.totalMinor).toBeLessThanOrEqual(credits.capMinor);
        expect(credits.breaches.every((b) => b.creditMinor >= 0)).toBe(true);
        expect(credits.breaches.reduce((sum, b) => sum + b.creditMinor, 0)).toBe(credits.totalMinor);
      }),
      RUNS,
    );
  });

  it('never lowers the year total when a breach is added', () => {
    fc.assert(
      fc.property(aYear, aBreach, (input, added) => {
        // Prepare
        const others = input.breaches.filter((b) => b.caseId !== added.caseId || b.kpi !== added.kpi);
        const before = creditYear({ ...input, breaches: others });

        // Act
        const after = creditYear({ ...input, breaches: [...others, added] });

        // Assess
        expect(after.totalMinor).toBeGreaterThanOrEqual(before.totalMinor);
        if (before.capReached) expect(after.capReached).toBe(true);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the breaches', () => {
    fc.assert(
      fc.property(
        aYear.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.breaches], { minLength: input.breaches.length }))),
        ([input, shuffled]) => {
          // Act
          const original = creditYear(input);
          const reordered = creditYear({ ...input, breaches: shuffled });

          // Assess
          expect(reordered).toEqual(original);
        },
      ),
      RUNS,
    );
  });
});

describe('the termination window in calendar days', () => {
  it('ends at local midnight at the end of the N-th local date after the deadline, in every zone and across DST changes', () => {
    fc.assert(
      fc.property(aDeadline, fc.integer({ min: 1, max: 400 }), aZone, (deadline, days, timeZone) => {
        // Act
        const until = terminationWindowEnd(deadline, days, timeZone);

        // Assess: a midnight in the zone, on the day after the N-th day after the deadline's local date
        const endDate = localDateAt(until, timeZone);
        expect(startOfLocalDate(endDate, timeZone)).toBe(until);
        expect(daysBetween(localDateAt(deadline, timeZone), endDate)).toBe(days + 1);
        // The last instant of the window still lies on the N-th day
        expect(localDateAt(until - 1, timeZone)).toBe(addDays(localDateAt(deadline, timeZone), days));
        // Never shorter than N whole days of 24 hours less a DST hour, never longer than N + 1 such days
        expect(until - deadline).toBeGreaterThan(days * 24 * HOUR_MS - HOUR_MS);
        expect(until - deadline).toBeLessThanOrEqual((days + 1) * 24 * HOUR_MS + HOUR_MS);
      }),
      RUNS,
    );
  });

  it('gives the right that the cap opens exactly that window, in the contract\'s zone', () => {
    fc.assert(
      fc.property(aYear, (input) => {
        // Act
        const credits = creditYear(input);

        // Assess
        const right = credits.terminationRight;
        if (right === null) return;
        expect(right.until).toBe(terminationWindowEnd(right.since, input.terminationWindowDays, input.timeZone));
      }),
      RUNS,
    );
  });

  it('a window of 90 days over the spring DST change ends at local midnight, not 90 × 24 hours after the deadline', () => {
    // Prepare: 1 March 2026 11:00 in Oslo (CET); summer time starts 29 March
    const deadline = Date.parse('2026-03-01T10:00:00Z');

    // Act
    const until = terminationWindowEnd(deadline, 90, 'Europe/Oslo');

    // Assess: the 90th day after 1 March is 30 May; its end is midnight in Oslo (CEST), 22:00 UTC
    expect(new Date(until).toISOString()).toBe('2026-05-30T22:00:00.000Z');
    expect(until).not.toBe(deadline + 90 * 24 * HOUR_MS);
  });

  it('a window of 90 days over the autumn DST change ends at local midnight (23:00 UTC in winter)', () => {
    // Prepare: 15 August 2026 23:30 in Oslo (CEST, 21:30 UTC); winter time starts 25 October
    const deadline = Date.parse('2026-08-15T21:30:00Z');

    // Act
    const until = terminationWindowEnd(deadline, 90, 'Europe/Oslo');

    // Assess: the 90th day after 15 August is 13 November; its end is 14 November 00:00 CET
    expect(new Date(until).toISOString()).toBe('2026-11-13T23:00:00.000Z');
  });
});
