import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breachDeclarableAt, evaluateCase } from '#domain/case.ts';
import { holdsOf, lagAt, latenessRaises, withRaises, type Arrival, type SourceLateness } from '#domain/source-lag.ts';
import { HOUR_MS, MINUTE_MS, parseInstant } from '#domain/time.ts';
import type { CaseEvent } from '#domain/model.ts';
import {
  arbitraryCaseEvents,
  arbitraryNow,
  caseInput,
  caseOpened,
  caseResolved,
  caseResponded,
  DEFAULT_GRACE_MS,
} from '#test/support/factories/case-events.ts';

const IDLE_MS = 30 * MINUTE_MS;
const SOURCE = 'helpdesk';
const OPENED = parseInstant('2026-11-30T06:00:00Z');
const at = (minutes: number): number => OPENED + minutes * MINUTE_MS;
/** The firstResponse deadline of a case opened at OPENED (premium: 15 minutes, always). */
const DEADLINE = at(15);

/** A source's state after the given arrivals, each delivered as its own batch in arrival order. */
function stateAfter(arrivals: readonly { occurredAt: number; arrivedAt: number; source?: string }[]): SourceLateness[] {
  let states: SourceLateness[] = [];
  for (const arrival of [...arrivals].sort((a, b) => a.arrivedAt - b.arrivedAt)) {
    const batch: Arrival[] = [{ source: arrival.source ?? SOURCE, occurredAt: arrival.occurredAt, arrivedAt: arrival.arrivedAt }];
    states = withRaises(states, latenessRaises(states, batch, DEFAULT_GRACE_MS, IDLE_MS));
  }
  return states;
}

function evaluateHeld(events: readonly CaseEvent[], states: readonly SourceLateness[], now: number) {
  return evaluateCase(caseInput(events, now, { holds: holdsOf(states, [SOURCE], now, IDLE_MS) }));
}

describe('a running clock is not declared breached while its source delivers late', () => {
  it('a running clock past its deadline is not declared while its source\'s recent events arrive later than the deadline allows', () => {
    // Prepare: the opening arrives 2.5 h late; its first response deadline passed long ago.
    const states = stateAfter([{ occurredAt: OPENED, arrivedAt: at(150) }]);
    const events = [caseOpened(OPENED)];

    // Act
    const held = evaluateHeld(events, states, at(151));
    const unheld = evaluateCase(caseInput(events, at(151)));

    // Assess: a stop at the deadline could still arrive until deadline + 2.5 h; the sweep comes back then.
    expect(unheld.clocks.firstResponse).toMatchObject({ state: 'breached', breachDeclared: true });
    expect(held.clocks.firstResponse).toMatchObject({ deadline: DEADLINE, state: 'breached', breachDeclared: false });
    expect(held.nextAttentionAt).toBe(DEADLINE + 150 * MINUTE_MS);
    expect(evaluateHeld(events, states, DEADLINE + 150 * MINUTE_MS).clocks.firstResponse?.breachDeclared).toBe(true);
  });

  it('a hold defers a decision but never takes one back: a breach declared before the source ran late stays declared', () => {
    // Prepare: the clock was declared breached on time; then the source delivers something 8 h late.
    const states = stateAfter([{ occurredAt: at(-300), arrivedAt: at(180) }]);
    const events = [caseOpened(OPENED)];

    // Act
    const heldAnew = evaluateHeld(events, states, at(181));
    const keptDeclared = evaluateCase(
      caseInput(events, at(181), { holds: holdsOf(states, [SOURCE], at(181), IDLE_MS), declared: new Set(['firstResponse'] as const) }),
    );

    // Assess: without the stored decision the hold would withdraw it (and book a reversal); with it, it stays.
    expect(heldAnew.clocks.firstResponse?.breachDeclared).toBe(false);
    expect(keptDeclared.clocks.firstResponse).toMatchObject({ deadline: DEADLINE, state: 'breached', breachDeclared: true });
  });

  it('a stop that arrives within the source\'s lateness means no breach', () => {
    // Prepare: opened 06:00 and answered 06:05, both delivered 2.5 h late, the answer a few minutes after.
    const opened = caseOpened(OPENED);
    const responded = caseResponded(at(5));
    const afterOpening = stateAfter([{ occurredAt: OPENED, arrivedAt: at(150) }]);
    const afterAnswer = stateAfter([
      { occurredAt: OPENED, arrivedAt: at(150) },
      { occurredAt: at(5), arrivedAt: at(154) },
    ]);

    // Act
    const beforeAnswer = evaluateHeld([opened], afterOpening, at(153));
    const answered = evaluateHeld([opened, responded], afterAnswer, at(154));

    // Assess
    expect(beforeAnswer.clocks.firstResponse?.breachDeclared).toBe(false);
    expect(answered.clocks.firstResponse).toMatchObject({ state: 'met', breachDeclared: false });
  });

  it('after sourceIdleMinutes without late arrivals the breach is declared (silence holds nothing back)', () => {
    // Prepare: the case is on time, but its source delivered one event 5 h late at 06:10, then went silent.
    const states = stateAfter([
      { occurredAt: OPENED, arrivedAt: at(1) },
      { occurredAt: at(10) - 5 * HOUR_MS, arrivedAt: at(10) },
    ]);
    const events = [caseOpened(OPENED)];

    // Act
    const held = evaluateHeld(events, states, at(21));
    const afterSilence = evaluateHeld(events, states, at(40));

    // Assess: the 06:10 minute lapses 30 minutes later, at 06:40; the sweep is back exactly then.
    expect(held.clocks.firstResponse?.breachDeclared).toBe(false);
    expect(held.nextAttentionAt).toBe(at(40));
    expect(lagAt(states[0], at(40), IDLE_MS)).toBe(0);
    expect(afterSilence.clocks.firstResponse).toMatchObject({ deadline: DEADLINE, breachDeclared: true });
  });

  it('a late stop is declared at once: a stop after the deadline is a fact, its own lateness no reason to wait', () => {
    // Prepare: the opening came on time; only the answer (06:30, deadline 06:15) arrives 2 h late.
    const states = stateAfter([
      { occurredAt: OPENED, arrivedAt: OPENED + 20_000 },
      { occurredAt: at(30), arrivedAt: at(150) },
    ]);

    const view = evaluateHeld([caseOpened(OPENED), caseResponded(at(30))], states, at(150));

    expect(view.clocks.firstResponse).toMatchObject({ state: 'breached', stoppedAt: at(30), breachDeclared: true });
  });

  it('a late stop that overtook an earlier one is held: case.resolved arrives before the case.responded behind it', () => {
    // Prepare: a burst delivers a day in any order; the resolution (10:00) comes before the answer (06:05).
    const states = stateAfter([
      { occurredAt: at(240), arrivedAt: at(26 * 60) },
      { occurredAt: OPENED, arrivedAt: at(26 * 60) + 500 },
    ]);
    const resolvedFirst = [caseOpened(OPENED), caseResolved(at(240))];

    // Act
    const held = evaluateHeld(resolvedFirst, states, at(26 * 60) + 600);
    const answered = evaluateHeld([...resolvedFirst, caseResponded(at(5))], states, at(26 * 60) + 700);

    // Assess: resolved after the deadline, but not declared while the source runs a day behind.
    expect(held.clocks.firstResponse).toMatchObject({ state: 'breached', stoppedAt: at(240), breachDeclared: false });
    // Back when a stop at the deadline, as late as the opening was, would have arrived.
    expect(held.nextAttentionAt).toBe(DEADLINE + (26 * 60 * MINUTE_MS + 500));
    expect(answered.clocks.firstResponse).toMatchObject({ state: 'met', breachDeclared: false });
  });

  it('a source delivering a backlog and current events interleaved still holds', () => {
    // Prepare: every minute from 09:00 the source sends a current event and one from its 3 h backlog;
    // the latest occurredAt seen is always current, yet the backlog has not reached the case's events.
    const arrivals = Array.from({ length: 20 }, (_, minute) => [
      { occurredAt: at(180 + minute), arrivedAt: at(180 + minute) + 1000 },
      { occurredAt: at(minute - 20), arrivedAt: at(180 + minute) + 2000 },
    ]).flat();
    const states = stateAfter(arrivals);
    const events = [caseOpened(OPENED)];

    // Act
    const view = evaluateHeld(events, states, at(200));

    // Assess
    expect(view.clocks.firstResponse).toMatchObject({ state: 'breached', breachDeclared: false });
    expect(view.nextAttentionAt).toBeGreaterThan(at(200));
  });

  it('a source that only ever delivers on time holds nothing and records nothing', () => {
    const states = stateAfter([
      { occurredAt: OPENED, arrivedAt: at(1) },
      { occurredAt: at(10), arrivedAt: at(10) + DEFAULT_GRACE_MS },
    ]);

    expect(states).toEqual([]);
    expect(evaluateHeld([caseOpened(OPENED)], states, DEADLINE + DEFAULT_GRACE_MS).clocks.firstResponse?.breachDeclared).toBe(true);
  });

  it('another source running late holds nothing back for a case it does not feed', () => {
    const states = stateAfter([{ source: 'field-service', occurredAt: OPENED, arrivedAt: at(150) }]);

    const view = evaluateHeld([caseOpened(OPENED)], states, DEADLINE + DEFAULT_GRACE_MS);

    expect(view.clocks.firstResponse?.breachDeclared).toBe(true);
  });

  it('warnings and a clock the contract\'s end stopped are not held', () => {
    const states = stateAfter([{ occurredAt: OPENED, arrivedAt: at(150) }]);
    const contractEndsAt = at(60);

    const view = evaluateCase(
      caseInput([caseOpened(OPENED)], at(151), { holds: holdsOf(states, [SOURCE], at(151), IDLE_MS), contractEndsAt }),
    );
    const warned = evaluateHeld([caseOpened(OPENED)], states, at(13));

    expect(view.clocks.firstResponse).toMatchObject({ state: 'breached', stoppedAt: contractEndsAt, breachDeclared: true });
    expect(warned.warningsDue).toEqual(['firstResponse']);
  });
});

describe('holding never hides a breach (property)', () => {
  const arbitraryHistory = fc.array(
    fc.record({ beforeNow: fc.integer({ min: 0, max: 3 * HOUR_MS }), latenessMs: fc.integer({ min: 0, max: 2 * 24 * HOUR_MS }) }),
    { maxLength: 30 },
  );

  it('for any lateness history: holding only defers, never moves a deadline, and lapses by last late arrival + sourceIdleMinutes', () => {
    fc.assert(
      fc.property(arbitraryCaseEvents, arbitraryNow, arbitraryHistory, (events, now, history) => {
        const arrivals = history.map(({ beforeNow, latenessMs }) => ({ arrivedAt: now - beforeNow, occurredAt: now - beforeNow - latenessMs }));
        const states = stateAfter(arrivals);
        const late = arrivals.filter((arrival) => arrival.arrivedAt - arrival.occurredAt > DEFAULT_GRACE_MS);
        const lastLateArrival = Math.max(-Infinity, ...late.map((arrival) => arrival.arrivedAt));

        const held = evaluateHeld(events, states, now);
        const unheld = evaluateCase(caseInput(events, now));

        for (const [kpi, clock] of Object.entries(held.clocks)) {
          const plain = unheld.clocks[kpi as keyof typeof unheld.clocks];
          expect(clock.deadline).toBe(plain?.deadline);
          expect(clock.state).toBe(plain?.state);
          // Holding never declares what the wall clock would not.
          if (clock.breachDeclared) expect(plain?.breachDeclared).toBe(true);
          if (plain?.breachDeclared === true && !clock.breachDeclared) {
            // Held: never a clock the contract's end stopped (none here); the sweep is back by the time the hold must have lapsed.
            const latest = Math.max(breachDeclarableAt(clock.deadline ?? 0, DEFAULT_GRACE_MS), lastLateArrival + IDLE_MS);
            expect(held.nextAttentionAt).not.toBeNull();
            expect(held.nextAttentionAt ?? Infinity).toBeLessThanOrEqual(latest);
            // And at that instant, with no new late arrival, the breach is declared with the same deadline.
            const then = evaluateHeld(events, states, latest).clocks[kpi as keyof typeof held.clocks];
            expect(then).toMatchObject({ breachDeclared: true, deadline: clock.deadline });
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
