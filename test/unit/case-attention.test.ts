import { describe, expect, it } from 'vitest';
import { declaredBreaches, decidedOutcomes, evaluateCase } from '#domain/case.ts';
import { HOUR_MS, MINUTE_MS, parseInstant } from '#domain/time.ts';
import {
  DEFAULT_GRACE_MS,
  caseInput,
  caseOpened,
  casePaused,
  caseResolved,
  caseResponded,
  caseResumed,
  technicianArrived,
} from '#test/support/factories/case-events.ts';

const OPENED = parseInstant('2026-11-30T10:00:00Z');
const minutes = (n: number): number => OPENED + n * MINUTE_MS;
const hours = (n: number): number => OPENED + n * HOUR_MS;
const FIRST_RESPONSE_DEADLINE = minutes(15);

describe('breach grace', () => {
  it('a running clock past its deadline is breached but not declared until deadline + grace', () => {
    const events = [caseOpened(OPENED)];

    const inGrace = evaluateCase(caseInput(events, FIRST_RESPONSE_DEADLINE + DEFAULT_GRACE_MS - 1));
    const afterGrace = evaluateCase(caseInput(events, FIRST_RESPONSE_DEADLINE + DEFAULT_GRACE_MS));

    expect(inGrace.clocks.firstResponse).toMatchObject({ state: 'breached', breachDeclared: false });
    expect(inGrace.nextAttentionAt).toBe(FIRST_RESPONSE_DEADLINE + DEFAULT_GRACE_MS);
    expect(declaredBreaches(inGrace)).toEqual([]);
    expect(afterGrace.clocks.firstResponse).toMatchObject({ state: 'breached', breachDeclared: true });
    expect(declaredBreaches(afterGrace)).toEqual([
      { kpi: 'firstResponse', deadline: FIRST_RESPONSE_DEADLINE, creditPercent: 2, stoppedAt: null },
    ]);
  });

  it('a running clock exactly at its deadline is not yet breached', () => {
    const view = evaluateCase(caseInput([caseOpened(OPENED)], FIRST_RESPONSE_DEADLINE, { graceMs: 0 }));

    expect(view.clocks.firstResponse).toMatchObject({ state: 'running', breachDeclared: false });
    expect(view.nextAttentionAt).toBe(FIRST_RESPONSE_DEADLINE + 1);
  });

  it('a response that arrives late but occurred in time turns the breach back into met', () => {
    const events = [caseOpened(OPENED), caseResponded(minutes(14))];

    const view = evaluateCase(caseInput(events, hours(1)));

    expect(decidedOutcomes(view)).toEqual([{ kpi: 'firstResponse', outcome: 'met', deadline: FIRST_RESPONSE_DEADLINE, stoppedAt: minutes(14) }]);
  });
});

describe('breach warnings', () => {
  it('a warning is due at warnAtPercent of the target, once', () => {
    const events = [caseOpened(OPENED)];
    const warnAt = minutes(12); // 80 % of PT15M

    const before = evaluateCase(caseInput(events, warnAt - 1));
    const due = evaluateCase(caseInput(events, warnAt));
    const alreadyWarned = evaluateCase(caseInput(events, warnAt, { warned: new Set(['firstResponse']) }));

    expect(before.clocks.firstResponse?.warnAt).toBe(warnAt);
    expect(before.warningsDue).toEqual([]);
    expect(before.nextAttentionAt).toBe(warnAt);
    expect(due.warningsDue).toEqual(['firstResponse']);
    expect(alreadyWarned.warningsDue).toEqual([]);
    expect(alreadyWarned.nextAttentionAt).toBe(FIRST_RESPONSE_DEADLINE + DEFAULT_GRACE_MS);
  });

  it('no warning is due for a stopped or breached clock', () => {
    const stopped = evaluateCase(caseInput([caseOpened(OPENED), caseResponded(minutes(1))], minutes(13)));
    const breached = evaluateCase(caseInput([caseOpened(OPENED)], minutes(16)));

    expect(stopped.warningsDue).toEqual([]);
    expect(breached.warningsDue).toEqual([]);
  });

  it('the next attention is the earliest unwarned warning or undeclared breach of any clock', () => {
    const events = [caseOpened(OPENED, { onSiteRequired: true }), caseResponded(minutes(1)), casePaused(hours(1), 'awaiting_customer'), caseResumed(hours(3))];

    const view = evaluateCase(caseInput(events, hours(4)));

    // onSite: PT24H from the opening plus a two-hour pause; it warns at 80 %, before resolution's 80 %.
    expect(view.clocks.onSite?.warnAt).toBe(hours(0.8 * 24 + 2));
    expect(view.nextAttentionAt).toBe(hours(0.8 * 24 + 2));
  });

  it('a paused clock short of its target needs no attention', () => {
    const events = [caseOpened(OPENED), caseResponded(minutes(1)), casePaused(hours(1), 'awaiting_customer')];

    const view = evaluateCase(caseInput(events, hours(2)));

    expect(view.clocks.resolution).toMatchObject({ state: 'paused', deadline: null, warnAt: null });
    expect(view.nextAttentionAt).toBeNull();
  });
});

describe('duplicates', () => {
  it('an event delivered twice is applied once', () => {
    const events = [caseOpened(OPENED, { onSiteRequired: true }), casePaused(hours(1), 'awaiting_customer'), caseResumed(hours(2)), technicianArrived(hours(20))];
    const redelivered = [...events, ...events.map((event) => ({ ...event }))];

    const once = evaluateCase(caseInput(events, hours(30)));
    const twice = evaluateCase(caseInput(redelivered, hours(30)));

    expect(twice).toEqual(once);
  });

  it('a repeated pause id does not pause again after a resume', () => {
    const pause = casePaused(hours(1), 'force_majeure', 'pause-1');
    const events = [caseOpened(OPENED), pause, caseResumed(hours(2)), { ...pause, occurredAt: hours(3) }];

    const view = evaluateCase(caseInput(events, hours(4)));

    expect(view.clocks.resolution).toMatchObject({ state: 'running', countedMs: 3 * HOUR_MS });
  });

  it('resolved delivered late and twice still gives one outcome per clock', () => {
    const resolved = caseResolved(hours(1));
    const events = [resolved, caseOpened(OPENED), resolved];

    const view = evaluateCase(caseInput(events, hours(2)));

    expect(decidedOutcomes(view).map((outcome) => [outcome.kpi, outcome.outcome])).toEqual([
      ['firstResponse', 'breached'],
      ['resolution', 'met'],
    ]);
  });
});
