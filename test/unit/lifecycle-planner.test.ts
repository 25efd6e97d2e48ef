import { describe, expect, it } from 'vitest';
import { planDay, nextLifecycleDate, needsClockOutcomes, type LifecycleOccurrence, type LifecycleSubject } from '#domain/lifecycle.ts';
import type { BreachRecord } from '#domain/credits.ts';
import type { ContractTerms, Termination } from '#domain/model.ts';
import { decideTermination } from '#domain/terms.ts';
import { addDays, DAY_MS, startOfLocalDate } from '#domain/time.ts';
import { aBreach, aContract, anOutcome, aServiceLevel, at, OSLO } from '#test/support/factories/contracts.ts';

function aSubject(overrides: Partial<LifecycleSubject> & { readonly terms?: ContractTerms } = {}): LifecycleSubject {
  return { terms: aContract(), level: aServiceLevel(), termination: null, breaches: [], outcomes: [], ...overrides };
}

interface Dated {
  readonly date: string;
  readonly occurrence: LifecycleOccurrence;
}

/** Every occurrence from `from` to `to` (inclusive), day by day, as a run each day would see them. */
function occurrencesBetween(subject: LifecycleSubject, from: string, to: string): Dated[] {
  const found: Dated[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const plan = planDay(subject, date);
    found.push(...plan.occurrences.map((occurrence) => ({ date, occurrence })));
    if (plan.ended) break;
  }
  return found;
}

const kindsOn = (found: readonly Dated[]): string[] => found.map(({ date, occurrence }) => `${date} ${occurrence.kind}`);

function noticeBy(terms: ContractTerms, requestedAt: string): Termination {
  const decision = decideTermination({
    terms,
    current: null,
    request: { eventId: 'E-notice', reason: 'notice', requestedAt: at(requestedAt) },
    terminationRight: null,
  });
  if (!decision.accepted) throw new Error(decision.reason);
  return decision.termination;
}

describe('a contract bound for three years, then renewed yearly with 90 days of notice', () => {
  const subject = aSubject({ terms: aContract({ startDate: '2026-01-01', bindingYears: 3 }) });

  it('closes every contract year at its anniversary and renews only from the binding end on', () => {
    // Act
    const found = occurrencesBetween(subject, '2026-01-01', '2030-12-31').filter(
      ({ occurrence }) => occurrence.kind === 'yearClosed' || occurrence.kind === 'renewed',
    );

    // Assess
    expect(kindsOn(found)).toEqual([
      '2027-01-01 yearClosed',
      '2028-01-01 yearClosed',
      '2029-01-01 yearClosed',
      '2029-01-01 renewed',
      '2030-01-01 yearClosed',
      '2030-01-01 renewed',
    ]);
  });

  it('reminds of each term end 120 and 30 days before it, never of an anniversary inside the binding period', () => {
    // Act
    const found = occurrencesBetween(subject, '2026-01-01', '2030-12-31').filter(
      ({ occurrence }) => occurrence.kind === 'renewalReminder',
    );

    // Assess
    expect(found.map(({ date, occurrence }) => [date, occurrence.kind === 'renewalReminder' ? occurrence.termEnd : ''])).toEqual([
      ['2028-09-03', '2029-01-01'],
      ['2028-12-02', '2029-01-01'],
      ['2029-09-03', '2030-01-01'],
      ['2029-12-02', '2030-01-01'],
      ['2030-09-03', '2031-01-01'],
      ['2030-12-02', '2031-01-01'],
    ]);
  });

  it('tells in a renewal reminder the notice deadline, the next fee, the credits to deduct and the amount due', () => {
    // Prepare: two breaches in year 3 (2028) earn 2 % + 5 % of 120 000,00.
    const withCredits = aSubject({
      terms: subject.terms,
      breaches: [
        aBreach({ caseId: 'CASE-1', kpi: 'firstResponse', creditPercent: 2, deadline: at('2028-03-01T10:00:00Z') }),
        aBreach({ caseId: 'CASE-2', kpi: 'onSite', creditPercent: 5, deadline: at('2028-05-01T10:00:00Z') }),
      ],
    });

    // Act
    const plan = planDay(withCredits, '2028-09-03');

    // Assess
    expect(plan.occurrences).toEqual([
      {
        kind: 'renewalReminder',
        termEnd: '2029-01-01',
        daysBefore: 120,
        nextFeeMinor: 12_000_000,
        creditsDeductedMinor: 840_000,
        amountDueMinor: 11_160_000,
        noticeDeadline: '2028-10-03',
      },
    ]);
  });
});

describe('notice', () => {
  const terms = aContract({ startDate: '2026-01-01', bindingYears: 1 });

  it('given 80 days before a term end rolls to the next one: the contract renews once more, then ends', () => {
    // Prepare: 2027-10-13 is 80 days before the 2028-01-01 term end.
    const subject = aSubject({ terms, termination: noticeBy(terms, '2027-10-13T09:00:00Z') });

    // Act
    const found = occurrencesBetween(subject, '2027-10-14', '2029-12-31');

    // Assess
    expect(kindsOn(found)).toEqual([
      '2027-12-02 renewalReminder',
      '2028-01-01 yearClosed',
      '2028-01-01 renewed',
      '2028-09-03 expiryReminder',
      '2028-12-02 expiryReminder',
      '2029-01-01 ended',
    ]);
    expect(found[3]?.occurrence).toMatchObject({ termEnd: '2029-01-01', daysBefore: 120, because: 'notice' });
  });

  it('given 90 days before a term end ends the contract at that term end with its final statement', () => {
    // Prepare
    const subject = aSubject({
      terms,
      termination: noticeBy(terms, '2027-10-03T09:00:00Z'),
      breaches: [aBreach({ kpi: 'resolution', creditPercent: 5, deadline: at('2027-11-20T10:00:00Z') })],
      outcomes: [anOutcome('resolution', at('2027-11-20T10:00:00Z'), true)],
    });

    // Act
    const plan = planDay(subject, '2028-01-01');

    // Assess
    expect(plan.ended).toBe(true);
    expect(plan.occurrences).toHaveLength(1);
    expect(plan.occurrences[0]).toMatchObject({ kind: 'ended', endedOn: '2028-01-01', because: 'notice', creditsOwedMinor: 600_000 });
    const ended = plan.occurrences[0];
    expect(ended?.kind === 'ended' ? ended.years.map((y) => [y.index, y.creditsMinor]) : []).toEqual([
      [1, 0],
      [2, 600_000],
    ]);
  });
});

describe('a contract without automatic renewal', () => {
  const subject = aSubject({ terms: aContract({ startDate: '2026-03-15', bindingYears: 2, autoRenew: false }) });

  it('is reminded that it expires, closes its first year, and ends at the binding end', () => {
    // Act
    const found = occurrencesBetween(subject, '2026-03-15', '2029-01-01');

    // Assess
    expect(kindsOn(found)).toEqual([
      '2027-03-15 yearClosed',
      '2027-11-16 expiryReminder',
      '2028-02-14 expiryReminder',
      '2028-03-15 ended',
    ]);
    expect(found[1]?.occurrence).toMatchObject({ termEnd: '2028-03-15', because: 'no_auto_renew' });
  });
});

describe('termination for breach', () => {
  const terms = aContract({ startDate: '2026-01-01' });
  const termination: Termination = {
    reason: 'credit_cap_breach',
    requestedAt: at('2026-06-10T10:00:00Z'),
    effectiveAt: at('2026-06-10T12:00:00Z'),
    eventId: 'E-breach-termination',
  };

  it('takes effect at its instant: the morning after, the contract has ended on the day it ended', () => {
    // Prepare
    const subject = aSubject({ terms, termination });

    // Act
    const onTheDay = planDay(subject, '2026-06-10');
    const morningAfter = planDay(subject, '2026-06-11');

    // Assess
    expect(onTheDay.ended).toBe(false);
    expect(morningAfter.ended).toBe(true);
    expect(morningAfter.occurrences[0]).toMatchObject({ kind: 'ended', endedOn: '2026-06-10', because: 'credit_cap_breach' });
  });

  it('takes the reminders of term ends after the end away', () => {
    // Prepare
    const subject = aSubject({ terms, termination });

    // Act
    const found = occurrencesBetween(subject, '2026-06-01', '2027-12-31');

    // Assess
    expect(kindsOn(found)).toEqual(['2026-06-11 ended']);
  });
});

describe('termination rights', () => {
  it('lapse at the end of their window, on the day whose morning follows it', () => {
    // Prepare: 20 % cap reached by four 5 % breaches; the last deadline opens a 90-day right.
    const lastDeadline = at('2026-04-01T10:00:00Z');
    const breaches: BreachRecord[] = [1, 2, 3, 4].map((n) =>
      aBreach({ caseId: `CASE-${n}`, kpi: 'onSite', creditPercent: 5, deadline: lastDeadline - (4 - n) * DAY_MS }),
    );
    const subject = aSubject({ breaches });

    // Act
    const found = occurrencesBetween(subject, '2026-04-01', '2026-12-31').filter(
      ({ occurrence }) => occurrence.kind === 'terminationRightLapsed',
    );

    // Assess: the 90th day after 1 April is 30 June; the right ends at its end (midnight in Oslo), handled on 1 July.
    expect(found).toEqual([
      { date: '2026-07-01', occurrence: { kind: 'terminationRightLapsed', yearIndex: 1, right: { since: lastDeadline, until: startOfLocalDate('2026-07-01', OSLO) } } },
    ]);
  });
});

describe('dates that do not exist every year', () => {
  it('closes the years of a contract started on 29 February on 28 February, and on the 29th in leap years', () => {
    // Prepare
    const subject = aSubject({ terms: aContract({ startDate: '2028-02-29' }) });

    // Act
    const found = occurrencesBetween(subject, '2028-02-29', '2032-03-31');

    // Assess
    expect(kindsOn(found.filter(({ occurrence }) => occurrence.kind === 'yearClosed'))).toEqual([
      '2029-02-28 yearClosed',
      '2030-02-28 yearClosed',
      '2031-02-28 yearClosed',
      '2032-02-29 yearClosed',
    ]);
    expect(found.filter(({ occurrence }) => occurrence.kind === 'renewalReminder').slice(0, 2).map(({ date }) => date)).toEqual([
      '2028-10-31',
      '2029-01-29',
    ]);
  });

  it('keeps a contract started on the 31st on the 31st and counts reminder days back over short months', () => {
    // Prepare
    const subject = aSubject({ terms: aContract({ startDate: '2026-08-31' }) });

    // Act
    const found = occurrencesBetween(subject, '2026-08-31', '2027-08-31');

    // Assess
    expect(kindsOn(found)).toEqual([
      '2027-05-03 renewalReminder',
      '2027-08-01 renewalReminder',
      '2027-08-31 yearClosed',
      '2027-08-31 renewed',
    ]);
  });
});

describe('the year statement at an anniversary', () => {
  it('reports KPIs met in %, breaches per KPI, credits, cap and the amount due for the next year', () => {
    // Prepare: three first responses decided in 2026, one late; one late on-site.
    const subject = aSubject({
      breaches: [
        aBreach({ caseId: 'CASE-2', kpi: 'firstResponse', creditPercent: 2, deadline: at('2026-05-02T08:00:00Z') }),
        aBreach({ caseId: 'CASE-3', kpi: 'onSite', creditPercent: 5, deadline: at('2026-09-02T08:00:00Z') }),
      ],
      outcomes: [
        anOutcome('firstResponse', at('2026-03-02T08:00:00Z'), false, 'CASE-1'),
        anOutcome('firstResponse', at('2026-05-02T08:00:00Z'), true, 'CASE-2'),
        anOutcome('firstResponse', at('2026-07-02T08:00:00Z'), false, 'CASE-3'),
        anOutcome('onSite', at('2026-09-02T08:00:00Z'), true, 'CASE-3'),
      ],
    });

    // Act
    const plan = planDay(subject, '2027-01-01');

    // Assess
    const closed = plan.occurrences.find((o) => o.kind === 'yearClosed');
    expect(closed?.kind === 'yearClosed' ? closed.year : null).toMatchObject({
      index: 1,
      start: '2026-01-01',
      end: '2027-01-01',
      feeMinor: 12_000_000,
      breaches: { firstResponse: 1, onSite: 1, replacement: 0, resolution: 0 },
      kpisMetPercent: { firstResponse: 66.7, onSite: 0, replacement: null, resolution: null },
      creditsMinor: 840_000,
      capMinor: 2_400_000,
      amountDueNextYearMinor: 11_160_000,
    });
    expect(needsClockOutcomes(plan)).toBe(true);
  });
});

describe('the next lifecycle date', () => {
  it('is the contract start for a contract that has not started, then each date that brings something', () => {
    // Prepare
    const subject = aSubject({ terms: aContract({ startDate: '2026-01-01', bindingYears: 3 }) });

    // Act
    const dates: string[] = [];
    for (let date = nextLifecycleDate(subject, '2025-06-01'); dates.length < 6; date = nextLifecycleDate(subject, date)) dates.push(date);

    // Assess
    expect(dates).toEqual(['2027-01-01', '2028-01-01', '2028-09-03', '2028-12-02', '2029-01-01', '2029-09-03']);
  });

  it('comes back to the day after `after` once the contract has ended, so a late-known end is never lost', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01' });
    const subject = aSubject({
      terms,
      termination: { reason: 'credit_cap_breach', requestedAt: at('2026-06-10T10:00:00Z'), effectiveAt: at('2026-06-10T10:00:00Z'), eventId: 'E' },
    });

    // Act
    const next = nextLifecycleDate(subject, '2026-08-01');

    // Assess
    expect(next).toBe('2026-08-02');
    expect(startOfLocalDate(next, OSLO)).toBeGreaterThan(at('2026-06-10T10:00:00Z'));
  });
});
