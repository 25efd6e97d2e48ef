import { describe, expect, it } from 'vitest';
import { casePausedTime } from '#domain/pauses.ts';
import { HOUR_MS } from '#domain/time.ts';
import { CASE_ID, caseOpened, casePaused, caseResolved, caseResumed, instant } from '#test/support/factories/case-events.ts';

describe('paused time per case (force majeure is settled from it)', () => {
  it('names each pause with its reason, from and to, and sums force majeure apart from waiting for the customer', () => {
    const events = [
      caseOpened('2026-03-02T08:00:00Z'),
      casePaused('2026-03-02T09:00:00Z', 'force_majeure'),
      caseResumed('2026-03-02T15:00:00Z'),
      casePaused('2026-03-03T08:00:00Z', 'awaiting_customer'),
      caseResumed('2026-03-03T10:00:00Z'),
      caseResolved('2026-03-03T12:00:00Z'),
    ];

    const time = casePausedTime(CASE_ID, events, instant('2026-04-01T00:00:00Z'), null);

    expect(time.pauses).toEqual([
      { reason: 'force_majeure', from: instant('2026-03-02T09:00:00Z'), to: instant('2026-03-02T15:00:00Z') },
      { reason: 'awaiting_customer', from: instant('2026-03-03T08:00:00Z'), to: instant('2026-03-03T10:00:00Z') },
    ]);
    expect(time.forceMajeureMs).toBe(6 * HOUR_MS);
    expect(time.awaitingCustomerMs).toBe(2 * HOUR_MS);
  });

  it('counts a pause still open up to the statement instant, and ignores what comes after it', () => {
    const events = [caseOpened('2026-03-02T08:00:00Z'), casePaused('2026-03-02T09:00:00Z', 'force_majeure'), caseResumed('2026-03-05T09:00:00Z')];

    const time = casePausedTime(CASE_ID, events, instant('2026-03-02T21:00:00Z'), null);

    expect(time.pauses).toEqual([{ reason: 'force_majeure', from: instant('2026-03-02T09:00:00Z'), to: null }]);
    expect(time.forceMajeureMs).toBe(12 * HOUR_MS);
  });

  it('ends an open pause at the contract end, and a pause before the opening counts for nothing', () => {
    const events = [casePaused('2026-03-02T07:00:00Z', 'force_majeure'), caseOpened('2026-03-02T08:00:00Z'), casePaused('2026-03-02T10:00:00Z', 'force_majeure')];

    const time = casePausedTime(CASE_ID, events, instant('2026-04-01T00:00:00Z'), instant('2026-03-02T14:00:00Z'));

    expect(time.pauses).toEqual([{ reason: 'force_majeure', from: instant('2026-03-02T10:00:00Z'), to: instant('2026-03-02T14:00:00Z') }]);
    expect(time.forceMajeureMs).toBe(4 * HOUR_MS);
  });
});
