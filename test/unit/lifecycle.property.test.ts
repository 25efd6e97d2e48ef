import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifecycleDateWithTermination, nextLifecycleDate, planDay, type LifecycleSubject } from '#domain/lifecycle.ts';
import type { BreachRecord } from '#domain/credits.ts';
import type { Termination } from '#domain/model.ts';
import { contractEndsAt, decideTermination } from '#domain/terms.ts';
import { addDays, DAY_MS, formatDate, localDateAt, startOfLocalDate } from '#domain/time.ts';
import { aContract, aServiceLevel, OSLO } from '#test/support/factories/contracts.ts';

// Each run plans up to a year of days one by one; 300 runs keep the file at a few seconds on a busy machine.
const RUNS = { numRuns: 300 };

/** Start dates that stress the calendar: 29 February, the 31st, and ordinary days. */
const startDate = fc.oneof(
  fc.constantFrom('2024-02-29', '2028-02-29', '2026-01-31', '2026-08-31', '2026-12-31', '2027-03-31'),
  fc.record({ year: fc.integer({ min: 2024, max: 2030 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }).map(
    ({ year, month, day }) => formatDate(year, month, day),
  ),
);

const subject = fc
  .record({
    startDate,
    bindingYears: fc.integer({ min: 1, max: 5 }),
    autoRenew: fc.boolean(),
    noticeDays: fc.integer({ min: 0, max: 200 }),
    reminderDays: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    termination: fc.option(
      fc.record({ reason: fc.constantFrom('notice' as const, 'credit_cap_breach' as const), dayOffset: fc.integer({ min: 0, max: 1500 }), minute: fc.integer({ min: 0, max: 1439 }) }),
      { nil: null },
    ),
    breachOffsets: fc.array(fc.integer({ min: 0, max: 3 * 365 * 24 }), { maxLength: 6 }),
  })
  .map((drawn): LifecycleSubject => {
    const terms = aContract({
      startDate: drawn.startDate,
      bindingYears: drawn.bindingYears,
      autoRenew: drawn.autoRenew,
      noticeDays: drawn.noticeDays,
      ...(drawn.reminderDays === undefined ? {} : { reminderDays: drawn.reminderDays }),
    });
    const startsAt = startOfLocalDate(terms.startDate, OSLO);
    const breaches: BreachRecord[] = drawn.breachOffsets.map((hours, n) => ({
      caseId: `CASE-${n}`,
      kpi: 'onSite',
      creditPercent: 5,
      deadline: startsAt + hours * 3_600_000,
    }));
    let termination: Termination | null = null;
    if (drawn.termination !== null) {
      const requestedAt = startsAt + drawn.termination.dayOffset * DAY_MS + drawn.termination.minute * 60_000;
      // A breach termination is drawn as already decided: the planner does not re-check the right.
      termination =
        drawn.termination.reason === 'credit_cap_breach'
          ? { reason: 'credit_cap_breach', requestedAt, effectiveAt: requestedAt, eventId: 'E-term' }
          : acceptedNotice(terms, requestedAt);
    }
    return { terms, level: aServiceLevel(), termination, breaches, outcomes: [] };
  });

function acceptedNotice(terms: LifecycleSubject['terms'], requestedAt: number): Termination | null {
  const decision = decideTermination({
    terms,
    current: null,
    request: { eventId: 'E-term', reason: 'notice', requestedAt },
    terminationRight: null,
  });
  return decision.accepted ? decision.termination : null;
}

const afterOffset = fc.integer({ min: -40, max: 4 * 365 });

describe('lifecycle planning, for every contract', () => {
  it('names as the next lifecycle date exactly the first later date that brings something', () => {
    fc.assert(
      fc.property(subject, afterOffset, (drawn, offset) => {
        // Prepare
        const after = addDays(drawn.terms.startDate, offset);

        // Act
        const next = nextLifecycleDate(drawn, after);

        // Assess: nothing on the days in between, something on the day named.
        for (let date = addDays(after, 1); date < next; date = addDays(date, 1)) {
          expect(planDay(drawn, date).occurrences, `${date} before ${next}`).toEqual([]);
        }
        expect(planDay(drawn, next).occurrences.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('ends a contract that has an end exactly once: every date from the end plans the end alone', () => {
    fc.assert(
      fc.property(subject, fc.integer({ min: 0, max: 30 }), (drawn, extra) => {
        // Prepare
        let date = nextLifecycleDate(drawn, addDays(drawn.terms.startDate, -1));
        let plan = planDay(drawn, date);
        for (let steps = 0; !plan.ended && steps < 40; steps += 1) {
          date = nextLifecycleDate(drawn, date);
          plan = planDay(drawn, date);
        }
        if (!plan.ended) return; // renews for ever: nothing to end

        // Act
        const later = planDay(drawn, addDays(date, extra));

        // Assess
        expect(later.ended).toBe(true);
        expect(later.occurrences.map((o) => o.kind)).toEqual(['ended']);
      }),
      RUNS,
    );
  });

  it('never plans a reminder of a termination\'s end on a day before the termination was requested', () => {
    fc.assert(
      fc.property(subject, (drawn) => {
        // Prepare
        const { termination, terms } = drawn;
        if (termination === null) return;
        // Only an end the termination brings: a contract that expires first (fast-check drew a breach
        // termination a minute after a non-renewing term's end) is reminded of its own expiry, as it should be.
        if (contractEndsAt(terms, termination) !== termination.effectiveAt) return;
        const requestedOn = localDateAt(termination.requestedAt, OSLO);
        const endedOn = localDateAt(termination.effectiveAt, OSLO);

        // Act / Assess: on each reminder day of that end that lies before the request, no reminder of it
        for (const daysBefore of terms.reminderDays) {
          const date = addDays(endedOn, -daysBefore);
          if (date >= requestedOn) continue;
          const reminders = planDay(drawn, date).occurrences.filter((o) => o.kind === 'expiryReminder' && o.termEnd === endedOn);
          expect(reminders, `${date}, requested ${requestedOn}`).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('after an accepted termination, the next lifecycle date is no later than its first reminder still ahead', () => {
    fc.assert(
      fc.property(subject, (drawn) => {
        // Prepare
        const { termination, terms } = drawn;
        if (termination === null) return;
        const requestedOn = localDateAt(termination.requestedAt, OSLO);
        const endedOn = localDateAt(termination.effectiveAt, OSLO);
        const planned = addDays(endedOn, 1);

        // Act
        const next = lifecycleDateWithTermination(terms, planned, termination);

        // Assess
        for (const daysBefore of terms.reminderDays) {
          const date = addDays(endedOn, -daysBefore);
          if (date >= requestedOn) expect(next !== null && next <= date).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
