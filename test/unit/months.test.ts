/**
 * The statement's months (shared/domain/months.ts, docs/design.md#replay-report-aftercare-replay---html):
 * calendar months in the contract's zone, breaches and clocks by the month of their deadline, the credits
 * after the cap, and the year's credits to date starting again with each contract year.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KPIS } from '#domain/model.ts';
import { buildStatement } from '#domain/statement.ts';
import { aBreach, aContract, anOutcome, aStatementInput, at } from '#test/support/factories/contracts.ts';

describe('the months of a statement', () => {
  it('runs from the start month to the month of the statement instant, in the contract zone', () => {
    // Act: 23:30 UTC on 31 March is already April in Oslo
    const statement = buildStatement(aStatementInput({ asOf: at('2026-03-31T23:30:00Z') }));

    // Assess
    expect(statement.months.map((month) => month.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
  });

  it('counts a breach in the month of its deadline and books what it earned after the cap', () => {
    // Prepare: 20 % cap of 120 000; five 5 % breaches: the fifth earns nothing
    const breaches = [1, 2, 3, 4, 5].map((n) => aBreach({ caseId: `CASE-${n}`, kpi: 'resolution', creditPercent: 5, deadline: at(`2026-0${n}-10T10:00:00Z`) }));

    // Act
    const statement = buildStatement(aStatementInput({ breaches, asOf: at('2026-06-01T00:00:00Z') }));

    // Assess
    const may = statement.months.find((month) => month.month === '2026-05');
    const april = statement.months.find((month) => month.month === '2026-04');
    expect(april?.creditsMinor).toBe(600_000);
    expect(april?.yearCreditsToDateMinor).toBe(2_400_000);
    expect(may?.breaches.resolution).toBe(1);
    expect(may?.creditsMinor).toBe(0);
    expect(may?.yearCreditsToDateMinor).toBe(2_400_000);
    expect(may?.capMinor).toBe(2_400_000);
  });

  it('starts the credits to date again with the next contract year', () => {
    // Prepare
    const breaches = [aBreach({ deadline: at('2026-12-10T10:00:00Z') })];

    // Act
    const statement = buildStatement(aStatementInput({ breaches, asOf: at('2027-02-01T00:00:00Z') }));

    // Assess
    const [december, january] = statement.months.slice(-3);
    expect(december).toMatchObject({ month: '2026-12', yearIndex: 1, yearCreditsToDateMinor: 240_000 });
    expect(january).toMatchObject({ month: '2027-01', yearIndex: 2, yearCreditsToDateMinor: 0 });
  });

  it('counts decided and met clocks by the month of their deadline', () => {
    // Prepare
    const outcomes = [
      anOutcome('firstResponse', at('2026-02-01T10:00:00Z'), false, 'A'),
      anOutcome('firstResponse', at('2026-02-02T10:00:00Z'), true, 'B'),
      anOutcome('onSite', at('2026-03-02T10:00:00Z'), false, 'B'),
    ];

    // Act
    const statement = buildStatement(aStatementInput({ outcomes, asOf: at('2026-04-01T00:00:00Z') }));

    // Assess
    const february = statement.months.find((month) => month.month === '2026-02');
    expect(february?.decided.firstResponse).toBe(2);
    expect(february?.met.firstResponse).toBe(1);
    expect(statement.months.find((month) => month.month === '2026-03')?.met.onSite).toBe(1);
  });

  it('adds up to the years: breaches per KPI and credits, for any breaches', () => {
    const breach = fc.record({
      caseId: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      kpi: fc.constantFrom(...KPIS),
      creditPercent: fc.integer({ min: 1, max: 10 }),
      deadline: fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-11-30T00:00:00Z') }),
    });
    fc.assert(
      fc.property(fc.array(breach, { maxLength: 25 }), (breaches) => {
        const statement = buildStatement(aStatementInput({ terms: aContract(), breaches, asOf: at('2027-12-01T00:00:00Z') }));
        const sumOf = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
        expect(sumOf(statement.months.map((month) => month.creditsMinor))).toBe(sumOf(statement.years.map((year) => year.creditsMinor)));
        for (const kpi of KPIS) {
          expect(sumOf(statement.months.map((month) => month.breaches[kpi]))).toBe(sumOf(statement.years.map((year) => year.breaches[kpi])));
        }
      }),
    );
  });
});
