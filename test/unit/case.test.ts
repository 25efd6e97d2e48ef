import { describe, expect, it } from 'vitest';
import { evaluateCase } from '#domain/case.ts';
import { HOUR_MS, MINUTE_MS, parseInstant } from '#domain/time.ts';
import {
  caseCancelled,
  caseInput,
  caseOpened,
  casePaused,
  caseResolved,
  caseResponded,
  caseResumed,
  onSiteRequested,
  technicianArrived,
} from '#test/support/factories/case-events.ts';

const OPENED = parseInstant('2026-11-30T10:00:00Z');
const minutes = (n: number): number => OPENED + n * MINUTE_MS;
const hours = (n: number): number => OPENED + n * HOUR_MS;

describe('clock stops: met or breached', () => {
  it('a stop exactly at the deadline is met', () => {
    // Prepare
    const events = [caseOpened(OPENED), caseResponded(minutes(15))];
    // Act
    const view = evaluateCase(caseInput(events, hours(1)));
    // Assess
    expect(view.clocks.firstResponse).toMatchObject({ deadline: minutes(15), stoppedAt: minutes(15), state: 'met', breachDeclared: false });
  });

  it('a stop one millisecond after the deadline is a declared breach', () => {
    const events = [caseOpened(OPENED), caseResponded(minutes(15) + 1)];

    const view = evaluateCase(caseInput(events, minutes(15) + 1));

    expect(view.clocks.firstResponse).toMatchObject({ deadline: minutes(15), state: 'breached', breachDeclared: true });
  });

  it('case.resolved stops every running clock', () => {
    const events = [caseOpened(OPENED, { onSiteRequired: true, replacementRequired: true }), caseResolved(minutes(30))];

    const view = evaluateCase(caseInput(events, hours(100)));

    expect(Object.values(view.clocks).map((clock) => [clock.kpi, clock.stoppedAt, clock.state])).toEqual([
      ['firstResponse', minutes(30), 'breached'],
      ['onSite', minutes(30), 'met'],
      ['replacement', minutes(30), 'met'],
      ['resolution', minutes(30), 'met'],
    ]);
  });

  it('case.cancelled stops every running clock and breaches nothing, even past a deadline', () => {
    const events = [caseOpened(OPENED, { onSiteRequired: true }), caseCancelled(hours(2))];

    const view = evaluateCase(caseInput(events, hours(3)));

    expect(Object.values(view.clocks).map((clock) => [clock.kpi, clock.state, clock.breachDeclared])).toEqual([
      ['firstResponse', 'cancelled', false],
      ['onSite', 'cancelled', false],
      ['resolution', 'cancelled', false],
    ]);
  });

  it('a stop for a clock that has not started does nothing, and nothing starts after the case is closed', () => {
    const events = [caseOpened(OPENED), technicianArrived(minutes(5)), caseResolved(hours(1)), onSiteRequested(hours(2))];

    const view = evaluateCase(caseInput(events, hours(3)));

    expect(view.clocks.onSite).toBeUndefined();
  });
});

describe('clock starts', () => {
  it('case.opened starts firstResponse and resolution only, unless on-site or replacement is required', () => {
    const plain = evaluateCase(caseInput([caseOpened(OPENED)], minutes(1)));
    const required = evaluateCase(caseInput([caseOpened(OPENED, { onSiteRequired: true, replacementRequired: true })], minutes(1)));

    expect(Object.keys(plain.clocks)).toEqual(['firstResponse', 'resolution']);
    expect(Object.keys(required.clocks)).toEqual(['firstResponse', 'onSite', 'replacement', 'resolution']);
  });

  it('onSite starts later at the first case.onsite_requested', () => {
    const events = [caseOpened(OPENED), onSiteRequested(hours(2)), onSiteRequested(hours(3), 'again')];

    const view = evaluateCase(caseInput(events, hours(4)));

    expect(view.clocks.onSite).toMatchObject({ startedAt: hours(2), deadline: hours(26), countedMs: 2 * HOUR_MS, state: 'running' });
  });

  it('a KPI the level leaves out has no clock', () => {
    const level = caseInput([], 0).level;
    const withoutResolution = { ...level, kpis: { firstResponse: level.kpis.firstResponse } };

    const view = evaluateCase(caseInput([caseOpened(OPENED)], minutes(1), { level: withoutResolution }));

    expect(Object.keys(view.clocks)).toEqual(['firstResponse']);
  });

  it('events before case.opened change no clock, and a second case.opened is ignored', () => {
    const early = [caseResponded(OPENED - MINUTE_MS), casePaused(OPENED - MINUTE_MS, 'force_majeure')];
    const events = [caseOpened(OPENED), ...early, caseOpened(minutes(10), { eventId: 'second', priority: 'low' })];

    const view = evaluateCase(caseInput(events, minutes(5)));

    expect(view.priority).toBe('normal');
    expect(view.openedAt).toBe(OPENED);
    expect(view.clocks.firstResponse).toMatchObject({ startedAt: OPENED, state: 'running', countedMs: 5 * MINUTE_MS });
  });

  it('a case whose case.opened has not arrived has no clocks', () => {
    const view = evaluateCase(caseInput([caseResponded(minutes(5))], minutes(10)));

    expect(view).toMatchObject({ openedAt: null, clocks: {}, warningsDue: [], nextAttentionAt: null });
  });
});

describe('pauses', () => {
  it('awaiting_customer pauses every running clock but firstResponse', () => {
    const events = [caseOpened(OPENED), casePaused(minutes(5), 'awaiting_customer')];

    const view = evaluateCase(caseInput(events, minutes(10)));

    expect(view.clocks.firstResponse).toMatchObject({ state: 'running', countedMs: 10 * MINUTE_MS, deadline: minutes(15) });
    expect(view.clocks.resolution).toMatchObject({ state: 'paused', countedMs: 5 * MINUTE_MS, deadline: null });
  });

  it('force_majeure pauses firstResponse too, and case.resumed moves its deadline by the pause', () => {
    const events = [caseOpened(OPENED), casePaused(minutes(5), 'force_majeure'), caseResumed(minutes(25))];

    const view = evaluateCase(caseInput(events, minutes(30)));

    expect(view.clocks.firstResponse).toMatchObject({ countedMs: 10 * MINUTE_MS, deadline: minutes(35), state: 'running' });
  });

  it('a pause while paused changes nothing', () => {
    const events = [caseOpened(OPENED), casePaused(minutes(5), 'awaiting_customer'), casePaused(minutes(6), 'force_majeure'), caseResumed(minutes(10))];

    const view = evaluateCase(caseInput(events, minutes(12)));

    expect(view.clocks.firstResponse?.deadline).toBe(minutes(15));
    expect(view.clocks.resolution?.deadline).toBe(hours(48) + 5 * MINUTE_MS);
  });

  it('a resume while running changes nothing', () => {
    const events = [caseOpened(OPENED), casePaused(minutes(5), 'force_majeure'), caseResumed(minutes(10))];

    const withStrayResume = evaluateCase(caseInput([...events, caseResumed(minutes(3), 'stray')], minutes(12)));

    expect(withStrayResume).toEqual(evaluateCase(caseInput(events, minutes(12))));
  });

  it('a stop while paused stops the clock; its counted time ends at the pause start', () => {
    const events = [caseOpened(OPENED, { onSiteRequired: true }), casePaused(hours(1), 'awaiting_customer'), technicianArrived(hours(30))];

    const view = evaluateCase(caseInput(events, hours(31)));

    expect(view.clocks.onSite).toMatchObject({ stoppedAt: hours(30), countedMs: HOUR_MS, state: 'met' });
  });

  it('a clock started during a pause that covers it starts paused', () => {
    const events = [caseOpened(OPENED), casePaused(hours(1), 'awaiting_customer'), onSiteRequested(hours(2)), caseResumed(hours(5))];

    const view = evaluateCase(caseInput(events, hours(6)));

    expect(view.clocks.onSite).toMatchObject({ startedAt: hours(2), countedMs: HOUR_MS, deadline: hours(5 + 24) });
  });
});

describe('priority', () => {
  it('byPriority overrides the level: a low-priority first response is PT4H on the business calendar', () => {
    // Friday 15:50 UTC; the test business calendar opens 08:00–16:00 UTC on weekdays.
    const friday = parseInstant('2026-12-04T15:50:00Z');

    const view = evaluateCase(caseInput([caseOpened(friday, { priority: 'low' })], friday + MINUTE_MS));

    expect(view.priority).toBe('low');
    expect(view.clocks.firstResponse).toMatchObject({ targetMs: 4 * HOUR_MS, calendar: 'business', deadline: parseInstant('2026-12-07T11:50:00Z') });
    expect(view.clocks.resolution).toMatchObject({ calendar: 'always', deadline: friday + 48 * HOUR_MS });
  });
});

describe('contract end', () => {
  it('stops running clocks without breach when the deadline lies after it, and with one when it passed before', () => {
    const events = [caseOpened(OPENED)];

    const view = evaluateCase(caseInput(events, hours(3), { contractEndsAt: hours(1) }));

    expect(view.clocks.resolution).toMatchObject({ stoppedAt: hours(1), countedMs: HOUR_MS, state: 'ended', breachDeclared: false });
    expect(view.clocks.firstResponse).toMatchObject({ stoppedAt: hours(1), state: 'breached', breachDeclared: true });
    expect(view.nextAttentionAt).toBeNull();
  });

  it('a clock still runs while the contract end is ahead, and needs no attention for a deadline after it', () => {
    const events = [caseOpened(OPENED), caseResponded(minutes(1))];

    const view = evaluateCase(caseInput(events, hours(1), { contractEndsAt: hours(10) }));

    expect(view.clocks.resolution?.state).toBe('running');
    expect(view.nextAttentionAt).toBeNull();
  });
});
