import { describe, expect, it } from 'vitest';
import {
  bindingEnd,
  contractEndsAt,
  contractYear,
  decideTermination,
  noticeDeadline,
  statusAt,
  termEndAfter,
  yearIndexAt,
} from '#domain/terms.ts';
import type { TerminationRequest } from '#domain/terms.ts';
import type { ContractTerms, Termination } from '#domain/model.ts';
import type { TerminationRight } from '#domain/credits.ts';
import { addDays, localDateAt, startOfLocalDate, toIso } from '#domain/time.ts';
import { aContract, at, OSLO } from '#test/support/factories/contracts.ts';

const DAY = 86_400_000;

function notice(requestedAt: string, eventId = 'E-notice'): TerminationRequest {
  return { eventId, reason: 'notice', requestedAt: at(requestedAt) };
}

function effectiveDateOf(terms: ContractTerms, request: TerminationRequest, current: Termination | null = null): string {
  const decision = decideTermination({ terms, current, request, terminationRight: null });
  if (!decision.accepted) throw new Error(`refused: ${decision.reason}`);
  return localDateAt(decision.termination.effectiveAt, terms.timeZone);
}

describe('contract years', () => {
  it('runs year k from start + (k-1) years to start + k years, midnight in the contract zone', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-07-01' });

    // Act
    const second = contractYear(terms, 2);

    // Assess
    expect(second).toMatchObject({ index: 2, start: '2027-07-01', end: '2028-07-01' });
    expect(toIso(second.startsAt)).toBe('2027-06-30T22:00:00Z');
    expect(toIso(second.endsAt)).toBe('2028-06-30T22:00:00Z');
  });

  it('counts years from the start date so a leap-day start clamps to 28 February and returns to the 29th', () => {
    // Prepare
    const terms = aContract({ startDate: '2024-02-29' });

    // Act
    const years = [1, 2, 4, 5].map((k) => contractYear(terms, k));

    // Assess
    expect(years.map((y) => [y.start, y.end])).toEqual([
      ['2024-02-29', '2025-02-28'],
      ['2025-02-28', '2026-02-28'],
      ['2027-02-28', '2028-02-29'],
      ['2028-02-29', '2029-02-28'],
    ]);
  });

  it('keeps a start on the 31st on the 31st and finds the year by local midnight, not UTC', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-12-31' });

    // Act
    const justAfterLocalMidnight = yearIndexAt(terms, at('2027-12-30T23:30:00Z'));
    const justBefore = yearIndexAt(terms, at('2027-12-30T22:59:59Z'));

    // Assess
    expect(contractYear(terms, 3)).toMatchObject({ start: '2028-12-31', end: '2029-12-31' });
    expect(justBefore).toBe(1);
    expect(justAfterLocalMidnight).toBe(2);
  });

  it('gives year 0 before the start and the containing year at every boundary', () => {
    // Prepare
    const terms = aContract({ startDate: '2024-02-29' });

    // Act / Assess
    expect(yearIndexAt(terms, contractYear(terms, 1).startsAt - 1)).toBe(0);
    for (const k of [1, 2, 3, 4, 5, 9]) {
      const year = contractYear(terms, k);
      expect(yearIndexAt(terms, year.startsAt)).toBe(k);
      expect(yearIndexAt(terms, year.endsAt - 1)).toBe(k);
    }
  });
});

describe('term ends and notice', () => {
  it('binds for three years, then renews yearly with 90 days notice', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 3, noticeDays: 90 });

    // Act
    const binding = bindingEnd(terms);
    const ends = [termEndAfter(terms, '2026-06-01'), termEndAfter(terms, '2029-01-01'), termEndAfter(terms, '2030-05-05')];

    // Assess
    expect(binding).toBe('2029-01-01');
    expect(ends).toEqual(['2029-01-01', '2030-01-01', '2031-01-01']);
    expect(noticeDeadline(terms, '2030-01-01')).toBe('2029-10-03');
    expect(contractEndsAt(terms, null)).toBeNull();
    expect(statusAt(terms, null, at('2035-01-01T00:00:00Z'))).toBe('active');
  });

  it('ends a notice given on the notice deadline at that term end', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 3, noticeDays: 90 });
    const deadline = noticeDeadline(terms, '2030-01-01');

    // Act
    const effective = effectiveDateOf(terms, notice(`${deadline}T20:00:00Z`));

    // Assess: 20:00 UTC is still the deadline date in Oslo in October
    expect(effective).toBe('2030-01-01');
  });

  it('rolls a notice given 80 days before a term end (90 days required) to the next term end', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 3, noticeDays: 90 });
    const eightyDaysBefore = addDays('2030-01-01', -80);

    // Act
    const effective = effectiveDateOf(terms, notice(`${eightyDaysBefore}T10:00:00Z`));

    // Assess
    expect(effective).toBe('2031-01-01');
  });

  it('ends a notice given inside the binding period at the binding end', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 3 });

    // Act
    const effective = effectiveDateOf(terms, notice('2026-02-01T10:00:00Z'));

    // Assess
    expect(effective).toBe('2029-01-01');
  });

  it('makes a notice take effect at local midnight of the term end', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-07-01' });

    // Act
    const decision = decideTermination({ terms, current: null, request: notice('2026-08-01T10:00:00Z'), terminationRight: null });

    // Assess
    expect(decision.accepted && toIso(decision.termination.effectiveAt)).toBe('2027-06-30T22:00:00Z');
  });

  it('renews a leap-day contract on 28 February and on 29 February in leap years', () => {
    // Prepare
    const terms = aContract({ startDate: '2024-02-29', bindingYears: 1 });

    // Act
    const ends = [termEndAfter(terms, '2024-03-01'), termEndAfter(terms, '2025-02-28'), termEndAfter(terms, '2027-06-01')];

    // Assess
    expect(ends).toEqual(['2025-02-28', '2026-02-28', '2028-02-29']);
  });

  it('expires a contract without renewal at the binding end, and refuses a notice that changes nothing', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 2, autoRenew: false });
    const expiry = startOfLocalDate('2028-01-01', OSLO);

    // Act
    const decision = decideTermination({ terms, current: null, request: notice('2026-03-01T10:00:00Z'), terminationRight: null });

    // Assess
    expect(contractEndsAt(terms, null)).toBe(expiry);
    expect(statusAt(terms, null, expiry - 1)).toBe('ending');
    expect(statusAt(terms, null, expiry)).toBe('ended');
    expect(decision).toEqual({ accepted: false, reason: 'contract already ends on 2028-01-01' });
  });

  it('reports an accepted notice as ending until the term end, then ended', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01' });
    const decision = decideTermination({ terms, current: null, request: notice('2026-03-01T10:00:00Z'), terminationRight: null });
    if (!decision.accepted) throw new Error(decision.reason);
    const endsAt = startOfLocalDate('2027-01-01', OSLO);

    // Act
    const statuses = [at('2026-02-01T00:00:00Z'), endsAt - 1, endsAt].map((t) => statusAt(terms, decision.termination, t));

    // Assess
    expect(contractEndsAt(terms, decision.termination)).toBe(endsAt);
    expect(statuses).toEqual(['ending', 'ending', 'ended']);
  });

  it('refuses a second notice that would end the contract no earlier', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01' });
    const first = decideTermination({ terms, current: null, request: notice('2026-03-01T10:00:00Z'), terminationRight: null });
    if (!first.accepted) throw new Error(first.reason);

    // Act
    const second = decideTermination({ terms, current: first.termination, request: notice('2026-09-01T10:00:00Z', 'E-2'), terminationRight: null });

    // Assess
    expect(second).toEqual({ accepted: false, reason: 'contract already ends on 2027-01-01' });
  });

  it('refuses any request once the contract has ended', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01', autoRenew: false });

    // Act
    const decision = decideTermination({ terms, current: null, request: notice('2027-02-01T10:00:00Z'), terminationRight: null });

    // Assess
    expect(decision).toEqual({ accepted: false, reason: 'contract already ended on 2027-01-01' });
  });
});

describe('termination for credit cap breach', () => {
  const terms = aContract({ startDate: '2026-01-01' });
  const right: TerminationRight = { since: at('2026-05-04T08:15:00Z'), until: at('2026-05-04T08:15:00Z') + 90 * DAY };
  const breachRequest = (requestedAt: string, effectiveDate?: string): TerminationRequest => ({
    eventId: 'E-breach',
    reason: 'credit_cap_breach',
    requestedAt: at(requestedAt),
    ...(effectiveDate === undefined ? {} : { effectiveDate }),
  });

  it('takes effect at once when requested inside the window without an effective date', () => {
    // Act
    const decision = decideTermination({ terms, current: null, request: breachRequest('2026-06-01T10:00:00Z'), terminationRight: right });

    // Assess
    expect(decision).toEqual({
      accepted: true,
      termination: { reason: 'credit_cap_breach', requestedAt: at('2026-06-01T10:00:00Z'), effectiveAt: at('2026-06-01T10:00:00Z'), eventId: 'E-breach' },
    });
  });

  it('takes effect at local midnight of the effective date', () => {
    // Act
    const decision = decideTermination({ terms, current: null, request: breachRequest('2026-06-01T10:00:00Z', '2026-07-01'), terminationRight: right });

    // Assess
    expect(decision.accepted && toIso(decision.termination.effectiveAt)).toBe('2026-06-30T22:00:00Z');
  });

  it('never takes effect before the request, even for an effective date of the same day', () => {
    // Act
    const sameDay = decideTermination({ terms, current: null, request: breachRequest('2026-06-01T10:00:00Z', '2026-06-01'), terminationRight: right });
    const dayBefore = decideTermination({ terms, current: null, request: breachRequest('2026-06-01T10:00:00Z', '2026-05-31'), terminationRight: right });

    // Assess
    expect(sameDay.accepted && sameDay.termination.effectiveAt).toBe(at('2026-06-01T10:00:00Z'));
    expect(dayBefore).toEqual({ accepted: false, reason: 'effective date 2026-05-31 is before the request date 2026-06-01' });
  });

  it('is refused before the window opens, at its close and without any right', () => {
    // Act
    const before = decideTermination({ terms, current: null, request: breachRequest('2026-05-04T08:14:59Z'), terminationRight: right });
    const atClose = decideTermination({ terms, current: null, request: { ...breachRequest('2026-06-01T00:00:00Z'), requestedAt: right.until }, terminationRight: right });
    const none = decideTermination({ terms, current: null, request: breachRequest('2026-05-01T10:00:00Z'), terminationRight: null });

    // Assess
    expect(before).toEqual({ accepted: false, reason: 'no termination right is held at 2026-05-04T08:14:59Z' });
    expect(atClose).toEqual({ accepted: false, reason: 'no termination right is held at 2026-08-02T08:15:00Z' });
    expect(none).toEqual({ accepted: false, reason: 'no termination right is held at 2026-05-01T10:00:00Z' });
  });

  it('names the instant of an end that is not a midnight', () => {
    // Prepare
    const atOnce = decideTermination({ terms, current: null, request: breachRequest('2026-06-01T10:00:00Z'), terminationRight: right });
    if (!atOnce.accepted) throw new Error(atOnce.reason);

    // Act
    const later = decideTermination({ terms, current: atOnce.termination, request: notice('2026-06-01T11:00:00Z'), terminationRight: null });

    // Assess
    expect(later).toEqual({ accepted: false, reason: 'contract already ended on 2026-06-01T10:00:00Z' });
  });

  it('is accepted at the instant the window opens', () => {
    // Act
    const decision = decideTermination({ terms, current: null, request: { ...breachRequest('2026-05-04T08:15:00Z') }, terminationRight: right });

    // Assess
    expect(decision.accepted).toBe(true);
  });

  it('replaces a notice termination that ends later, and a later notice is then refused', () => {
    // Prepare
    const noticed = decideTermination({ terms, current: null, request: notice('2026-03-01T10:00:00Z'), terminationRight: null });
    if (!noticed.accepted) throw new Error(noticed.reason);

    // Act
    const breach = decideTermination({ terms, current: noticed.termination, request: breachRequest('2026-06-01T10:00:00Z', '2026-07-01'), terminationRight: right });
    if (!breach.accepted) throw new Error(breach.reason);
    const renewedNotice = decideTermination({ terms, current: breach.termination, request: notice('2026-06-01T11:00:00Z'), terminationRight: null });

    // Assess
    expect(breach.termination.reason).toBe('credit_cap_breach');
    expect(renewedNotice).toEqual({ accepted: false, reason: 'contract already ends on 2026-07-01' });
  });

  it('is refused when its effective date is not before the end already known', () => {
    // Prepare
    const noticed = decideTermination({ terms, current: null, request: notice('2026-03-01T10:00:00Z'), terminationRight: null });
    if (!noticed.accepted) throw new Error(noticed.reason);

    // Act
    const decision = decideTermination({ terms, current: noticed.termination, request: breachRequest('2026-06-01T10:00:00Z', '2027-03-01'), terminationRight: right });

    // Assess
    expect(decision).toEqual({ accepted: false, reason: 'contract already ends on 2027-01-01' });
  });
});
