import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '#domain/calendar.ts';
import { evaluateCase } from '#domain/case.ts';
import { evaluatePortfolio } from '#test/support/oracle/portfolio.ts';
import type { PortfolioEvent } from '#test/support/oracle/portfolio.ts';
import type { ContractStatement } from '#domain/statement.ts';
import { startOfLocalDate } from '#domain/time.ts';
import {
  aCatalog,
  aContract,
  aServiceLevel,
  at,
  onCase,
  OSLO,
  registered,
  terminationRequested,
} from '#test/support/factories/contracts.ts';

const level = aServiceLevel();
const calendars = { always: makeCalendar({ kind: 'always' }) };

/** The oracle needs the case rules; until they exist these tests are skipped, not failed. */
const caseRulesPending = ((): boolean => {
  try {
    evaluateCase({ events: [], level, calendars, now: 0, graceMs: 0, contractEndsAt: null, warned: new Set() });
    return false;
  } catch (error) {
    return error instanceof Error && /not implemented/.test(error.message);
  }
})();

const contract = registered(aContract({ contractId: 'C-1', startDate: '2026-01-01' }), '2025-12-01T10:00:00Z');

/** A case answered `respondedAfter` minutes after opening, resolved an hour after. */
function caseAnswered(caseId: string, openedAt: string, respondedAfterMinutes: number): PortfolioEvent[] {
  const opened = at(openedAt);
  const iso = (minutes: number): string => new Date(opened + minutes * 60_000).toISOString();
  return [
    onCase('C-1', caseId, 'case.opened', openedAt),
    onCase('C-1', caseId, 'case.responded', iso(respondedAfterMinutes)),
    onCase('C-1', caseId, 'case.resolved', iso(60)),
  ];
}

function statementOf(events: readonly PortfolioEvent[], asOf: string, catalog = aCatalog(level)): ContractStatement {
  const [statement] = evaluatePortfolio({ catalog, calendars, events, asOf: at(asOf) });
  if (statement === undefined) throw new Error('no statement');
  return statement;
}

describe.skipIf(caseRulesPending)('portfolio oracle', () => {
  it('turns a late first response into a 2 % credit in the year of its deadline and counts the met clocks', () => {
    // Prepare
    const events = [contract, ...caseAnswered('CASE-1', '2026-03-02T09:00:00Z', 20), ...caseAnswered('CASE-2', '2026-03-03T09:00:00Z', 5)];

    // Act
    const statement = statementOf(events, '2026-04-01T00:00:00Z');

    // Assess
    expect(statement.years).toHaveLength(1);
    expect(statement.years[0]).toMatchObject({
      breaches: { firstResponse: 1, onSite: 0, replacement: 0, resolution: 0 },
      kpisMetPercent: { firstResponse: 50, onSite: null, replacement: null, resolution: 100 },
      creditsMinor: 240_000,
      amountDueNextYearMinor: 11_760_000,
    });
    expect(statement.rejected).toEqual([]);
  });

  it('declares a breach of a clock still running only after the grace', () => {
    // Prepare: opened, never answered; first response due 09:15, grace 5 minutes
    const events = [contract, onCase('C-1', 'CASE-1', 'case.opened', '2026-03-02T09:00:00Z')];

    // Act
    const inGrace = statementOf(events, '2026-03-02T09:19:00Z');
    const afterGrace = statementOf(events, '2026-03-02T09:20:00Z');

    // Assess
    expect(inGrace.years[0]?.breaches.firstResponse).toBe(0);
    expect(afterGrace.years[0]?.breaches.firstResponse).toBe(1);
  });

  it('rejects a case opened before the start or after the end of the contract', () => {
    // Prepare: notice given in 2026 ends the contract on 2027-01-01
    const events = [
      contract,
      terminationRequested('C-1', 'notice', '2026-02-01T10:00:00Z'),
      ...caseAnswered('EARLY', '2025-12-31T22:00:00Z', 30),
      ...caseAnswered('LATE', '2027-01-05T09:00:00Z', 30),
    ];

    // Act
    const statement = statementOf(events, '2027-02-01T00:00:00Z');

    // Assess
    expect(statement.status).toBe('ended');
    expect(statement.years[0]?.breaches.firstResponse).toBe(0);
    expect(statement.rejected).toEqual([
      {
        eventId: 'EARLY:case.opened@2025-12-31T22:00:00Z',
        type: 'case.opened',
        reason: "case EARLY opened at 2025-12-31T22:00:00Z, outside the contract's active period (from 2026-01-01 until 2027-01-01)",
      },
      {
        eventId: 'LATE:case.opened@2027-01-05T09:00:00Z',
        type: 'case.opened',
        reason: "case LATE opened at 2027-01-05T09:00:00Z, outside the contract's active period (from 2026-01-01 until 2027-01-01)",
      },
    ]);
  });

  it('accepts a breach termination only once the cap has opened the right', () => {
    // Prepare: 2 % credits under a 4 % cap: the second late response reaches it at 2026-03-05T09:15Z
    const catalog = aCatalog(aServiceLevel({ creditCapPercent: 4 }));
    const events = [
      contract,
      ...caseAnswered('CASE-1', '2026-03-02T09:00:00Z', 20),
      terminationRequested('C-1', 'credit_cap_breach', '2026-03-03T10:00:00Z', { eventId: 'too-early' }),
      ...caseAnswered('CASE-2', '2026-03-05T09:00:00Z', 20),
      terminationRequested('C-1', 'credit_cap_breach', '2026-03-06T10:00:00Z', { eventId: 'in-window' }),
      ...caseAnswered('CASE-3', '2026-03-07T09:00:00Z', 20),
    ];

    // Act
    const statement = statementOf(events, '2026-04-01T00:00:00Z', catalog);

    // Assess
    expect(statement.status).toBe('ended');
    expect(statement.terms.endsAt).toBe(at('2026-03-06T10:00:00Z'));
    expect(statement.years[0]).toMatchObject({ creditsMinor: 480_000, capReached: true });
    expect(statement.creditsOwedMinor).toBe(480_000);
    expect(statement.rejected.map((r) => [r.eventId, r.reason])).toEqual([
      ['too-early', 'no termination right is held at 2026-03-03T10:00:00Z'],
      ['CASE-3:case.opened@2026-03-07T09:00:00Z', expect.stringContaining('outside the contract') as string],
    ]);
  });

  it('applies a duplicated event once', () => {
    // Prepare: the same notice delivered twice would otherwise be refused the second time
    const request = terminationRequested('C-1', 'notice', '2026-02-01T10:00:00Z');
    const events = [contract, request, request, ...caseAnswered('CASE-1', '2026-03-02T09:00:00Z', 20), ...caseAnswered('CASE-1', '2026-03-02T09:00:00Z', 20)];

    // Act
    const statement = statementOf(events, '2026-04-01T00:00:00Z');

    // Assess
    expect(statement.rejected).toEqual([]);
    expect(statement.status).toBe('ending');
    expect(statement.terms.endsAt).toBe(startOfLocalDate('2027-01-01', OSLO));
    expect(statement.years[0]?.breaches.firstResponse).toBe(1);
  });

  it('applies case events that occurred before the contract was registered, and ignores what happens after asOf', () => {
    // Prepare
    const late = registered(aContract({ contractId: 'C-1', startDate: '2026-01-01' }), '2026-03-10T10:00:00Z');
    const events = [late, ...caseAnswered('CASE-1', '2026-03-02T09:00:00Z', 20), ...caseAnswered('CASE-2', '2026-03-20T09:00:00Z', 20)];

    // Act
    const statement = statementOf(events, '2026-03-15T00:00:00Z');

    // Assess
    expect(statement.years[0]?.breaches.firstResponse).toBe(1);
  });

  it('returns no statement for a contract not registered as of asOf', () => {
    // Act
    const statements = evaluatePortfolio({ catalog: aCatalog(level), calendars, events: [contract], asOf: at('2025-11-01T00:00:00Z') });

    // Assess
    expect(statements).toEqual([]);
  });

  it('does not depend on the order in which events are given', () => {
    // Prepare
    const catalog = aCatalog(aServiceLevel({ creditCapPercent: 4 }));
    const events = [
      contract,
      ...caseAnswered('CASE-1', '2026-03-02T09:00:00Z', 20),
      ...caseAnswered('CASE-2', '2026-03-05T09:00:00Z', 10),
      ...caseAnswered('CASE-3', '2026-03-05T09:00:00Z', 20),
      terminationRequested('C-1', 'credit_cap_breach', '2026-03-06T10:00:00Z', { effectiveDate: '2026-04-01' }),
      terminationRequested('C-1', 'notice', '2026-03-01T10:00:00Z'),
    ];
    const asOf = at('2026-05-01T00:00:00Z');
    const expected = evaluatePortfolio({ catalog, calendars, events, asOf });
    expect(expected[0]).toMatchObject({ status: 'ended', years: [{ creditsMinor: 480_000 }] });

    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (shuffled) => {
        // Act
        const actual = evaluatePortfolio({ catalog, calendars, events: shuffled, asOf });

        // Assess
        expect(actual).toEqual(expected);
      }),
      // Each run replays the whole portfolio; 300 shuffles of twelve events cover the orders that matter.
      { numRuns: 300 },
    );
  });
});
