import { describe, expect, it } from 'vitest';
import { buildStatement } from '#domain/statement.ts';
import { startOfLocalDate } from '#domain/time.ts';
import { aBreach, aContract, anOutcome, aServiceLevel, aStatementInput, aTermination, at, OSLO } from '#test/support/factories/contracts.ts';

const DAY = 86_400_000;
const YEAR_2_STARTS = startOfLocalDate('2027-01-01', OSLO);

describe('statement years', () => {
  it('lists only the contract years that have begun by asOf', () => {
    // Act
    const beforeStart = buildStatement(aStatementInput({ asOf: startOfLocalDate('2026-01-01', OSLO) - 1 }));
    const lastInstantOfYear1 = buildStatement(aStatementInput({ asOf: YEAR_2_STARTS - 1 }));
    const firstInstantOfYear2 = buildStatement(aStatementInput({ asOf: YEAR_2_STARTS }));

    // Assess
    expect(beforeStart.years).toEqual([]);
    expect(lastInstantOfYear1.years.map((y) => [y.index, y.start, y.end])).toEqual([[1, '2026-01-01', '2027-01-01']]);
    expect(firstInstantOfYear2.years.map((y) => y.index)).toEqual([1, 2]);
  });

  it('lists no year that begins at or after the contract end', () => {
    // Prepare
    const termination = aTermination({ effectiveAt: YEAR_2_STARTS });

    // Act
    const statement = buildStatement(aStatementInput({ termination, asOf: at('2029-06-01T00:00:00Z') }));

    // Assess
    expect(statement.status).toBe('ended');
    expect(statement.years.map((y) => y.index)).toEqual([1]);
  });

  it('reports breaches of all four KPIs per year, including those past the cap, in the year of their deadline', () => {
    // Prepare: 10 % credits, cap 20 %: the third breach of year 1 earns nothing
    const breaches = [
      aBreach({ caseId: 'A', kpi: 'onSite', creditPercent: 10, deadline: at('2026-03-01T10:00:00Z') }),
      aBreach({ caseId: 'B', kpi: 'onSite', creditPercent: 10, deadline: at('2026-04-01T10:00:00Z') }),
      aBreach({ caseId: 'C', kpi: 'resolution', creditPercent: 10, deadline: at('2026-05-01T10:00:00Z') }),
      aBreach({ caseId: 'D', kpi: 'firstResponse', creditPercent: 2, deadline: YEAR_2_STARTS }),
    ];

    // Act
    const statement = buildStatement(aStatementInput({ breaches, asOf: at('2027-02-01T00:00:00Z') }));

    // Assess
    expect(statement.years[0]).toMatchObject({
      feeMinor: 12_000_000,
      breaches: { firstResponse: 0, onSite: 2, replacement: 0, resolution: 1 },
      creditsMinor: 2_400_000,
      capMinor: 2_400_000,
      capReached: true,
      carriedToNextYearMinor: 2_400_000,
      amountDueNextYearMinor: 9_600_000,
    });
    expect(statement.years[1]).toMatchObject({
      breaches: { firstResponse: 1, onSite: 0, replacement: 0, resolution: 0 },
      creditsMinor: 240_000,
      capReached: false,
      amountDueNextYearMinor: 11_760_000,
    });
  });

  it('never asks less than zero for the next year', () => {
    // Prepare: a cap above the fee
    const level = aServiceLevel({ creditCapPercent: 150 });
    const breaches = [1, 2].map((n) => aBreach({ caseId: `CASE-${n}`, creditPercent: 70, deadline: at(`2026-0${n + 1}-01T10:00:00Z`) }));

    // Act
    const statement = buildStatement(aStatementInput({ level, breaches, asOf: at('2026-06-01T00:00:00Z') }));

    // Assess
    expect(statement.years[0]?.creditsMinor).toBe(16_800_000);
    expect(statement.years[0]?.amountDueNextYearMinor).toBe(0);
  });

  it('gives KPIs met in % with one decimal from the outcomes decided in the year, null when none', () => {
    // Prepare
    const outcomes = [
      anOutcome('firstResponse', at('2026-02-01T10:00:00Z'), false, 'A'),
      anOutcome('firstResponse', at('2026-02-02T10:00:00Z'), false, 'B'),
      anOutcome('firstResponse', at('2026-02-03T10:00:00Z'), true, 'C'),
      anOutcome('onSite', at('2026-02-03T10:00:00Z'), false, 'C'),
      anOutcome('onSite', YEAR_2_STARTS + DAY, true, 'D'),
    ];

    // Act
    const statement = buildStatement(aStatementInput({ outcomes, asOf: YEAR_2_STARTS + 2 * DAY }));

    // Assess
    expect(statement.years[0]?.kpisMetPercent).toEqual({ firstResponse: 66.7, onSite: 100, replacement: null, resolution: null });
    expect(statement.years[1]?.kpisMetPercent).toEqual({ firstResponse: null, onSite: 0, replacement: null, resolution: null });
  });
});

describe('statement of the contract', () => {
  it('shows the termination right open at asOf, and none once its window has closed', () => {
    // Prepare: 10 % credits, cap 20 %
    const reachedAt = at('2026-05-04T08:15:00Z');
    const breaches = [
      aBreach({ caseId: 'A', creditPercent: 10, deadline: at('2026-03-01T10:00:00Z') }),
      aBreach({ caseId: 'B', creditPercent: 10, deadline: reachedAt }),
    ];

    // Act
    const open = buildStatement(aStatementInput({ breaches, asOf: reachedAt + 10 * DAY }));
    const lastMoment = buildStatement(aStatementInput({ breaches, asOf: at('2026-08-02T21:59:59Z') }));
    const closed = buildStatement(aStatementInput({ breaches, asOf: at('2026-08-02T22:00:00Z') }));

    // Assess: until the end of 2 August (the 90th day after 4 May), midnight in Oslo
    expect(open.terminationRight).toEqual({ since: reachedAt, until: at('2026-08-02T22:00:00Z') });
    expect(lastMoment.terminationRight).toEqual(open.terminationRight);
    expect(closed.terminationRight).toBeNull();
  });

  it('shows the terms: binding end, the current term end and its notice deadline', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 3, noticeDays: 90 });

    // Act
    const statement = buildStatement(aStatementInput({ terms, asOf: at('2029-06-01T00:00:00Z') }));

    // Assess
    expect(statement.status).toBe('active');
    expect(statement.terms).toEqual({
      start: '2026-01-01',
      bindingEnd: '2029-01-01',
      currentTermEnd: '2030-01-01',
      noticeDeadline: '2029-10-03',
      endsAt: null,
    });
    expect(statement.liabilityCapMinor).toBe(12_000_000);
  });

  it('owes the credits of the last year once the contract has ended, and none while it runs', () => {
    // Prepare
    const termination = aTermination({ reason: 'credit_cap_breach', effectiveAt: at('2026-07-01T10:00:00Z') });
    const breaches = [aBreach({ caseId: 'A', creditPercent: 5, deadline: at('2026-03-01T10:00:00Z') })];

    // Act
    const ending = buildStatement(aStatementInput({ termination, breaches, asOf: at('2026-06-01T00:00:00Z') }));
    const ended = buildStatement(aStatementInput({ termination, breaches, asOf: at('2026-08-01T00:00:00Z') }));

    // Assess
    expect(ending).toMatchObject({ status: 'ending', creditsOwedMinor: 0 });
    expect(ended).toMatchObject({ status: 'ended', creditsOwedMinor: 600_000, terminationRight: null });
    expect(ended.terms).toMatchObject({ currentTermEnd: '2027-01-01', endsAt: at('2026-07-01T10:00:00Z') });
  });

  it('shows the same termination right whatever the order of the breaches, when two years\' rights overlap', () => {
    // Prepare: 10 % credits, cap 20 %; year 1's right (from 1 Dec) still holds when year 2's cap opens another
    const year1 = [
      aBreach({ caseId: 'A', creditPercent: 10, deadline: at('2026-11-01T10:00:00Z') }),
      aBreach({ caseId: 'B', creditPercent: 10, deadline: at('2026-12-01T10:00:00Z') }),
    ];
    const year2 = [
      aBreach({ caseId: 'C', creditPercent: 10, deadline: at('2027-01-10T10:00:00Z') }),
      aBreach({ caseId: 'D', creditPercent: 10, deadline: at('2027-02-01T10:00:00Z') }),
    ];
    const asOf = at('2027-02-10T00:00:00Z');

    // Act
    const yearsInOrder = buildStatement(aStatementInput({ breaches: [...year1, ...year2], asOf }));
    const latestFirst = buildStatement(aStatementInput({ breaches: [...year2, ...year1], asOf }));

    // Assess: the right that holds longest
    expect(yearsInOrder.terminationRight).toEqual({ since: at('2027-02-01T10:00:00Z'), until: at('2027-05-02T22:00:00Z') });
    expect(latestFirst.terminationRight).toEqual(yearsInOrder.terminationRight);
  });

  it('carries nothing past the year in which the contract ends: its credits are owed instead', () => {
    // Prepare: ended by notice at the end of year 2
    const termination = aTermination({ effectiveAt: startOfLocalDate('2028-01-01', OSLO) });
    const breaches = [
      aBreach({ caseId: 'A', creditPercent: 2, deadline: at('2026-03-01T10:00:00Z') }),
      aBreach({ caseId: 'B', creditPercent: 5, deadline: at('2027-03-01T10:00:00Z') }),
    ];

    // Act
    const statement = buildStatement(aStatementInput({ termination, breaches, asOf: at('2028-02-01T00:00:00Z') }));

    // Assess
    expect(statement.years[0]).toMatchObject({ creditsMinor: 240_000, carriedToNextYearMinor: 240_000, amountDueNextYearMinor: 11_760_000 });
    expect(statement.years[1]).toMatchObject({ creditsMinor: 600_000, carriedToNextYearMinor: 0, amountDueNextYearMinor: 0 });
    expect(statement.creditsOwedMinor).toBe(600_000);
  });

  it('carries nothing past the year a termination for breach cuts short, even before it takes effect', () => {
    // Prepare
    const termination = aTermination({ reason: 'credit_cap_breach', effectiveAt: at('2026-07-01T10:00:00Z') });
    const breaches = [aBreach({ caseId: 'A', creditPercent: 5, deadline: at('2026-03-01T10:00:00Z') })];

    // Act
    const ending = buildStatement(aStatementInput({ termination, breaches, asOf: at('2026-06-01T00:00:00Z') }));

    // Assess
    expect(ending.years[0]).toMatchObject({ creditsMinor: 600_000, carriedToNextYearMinor: 0, amountDueNextYearMinor: 0 });
  });

  it('ends a contract without renewal at its binding end and reports that term', () => {
    // Prepare
    const terms = aContract({ startDate: '2026-01-01', bindingYears: 2, autoRenew: false });

    // Act
    const statement = buildStatement(aStatementInput({ terms, asOf: at('2031-01-01T00:00:00Z') }));

    // Assess
    expect(statement.status).toBe('ended');
    expect(statement.years.map((y) => y.index)).toEqual([1, 2]);
    expect(statement.terms).toMatchObject({ currentTermEnd: '2028-01-01', endsAt: startOfLocalDate('2028-01-01', OSLO) });
  });
});
