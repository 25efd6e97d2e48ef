/** The statement's pools, loans and exclusive pool fees (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
import { describe, expect, it } from 'vitest';
import { toReplayContract } from '#cli/replay/output-schema.ts';
import { statementJson } from '#cli/statement/statement-json.ts';
import { statementText } from '#cli/statement/statement-text.ts';
import type { PoolTerms } from '#domain/pools.ts';
import { buildStatement } from '#domain/statement.ts';
import { aStatementInput, at } from '#test/support/factories/contracts.ts';
import { aLoan } from '#test/support/factories/loans.ts';

const DAY = 86_400_000;

const shared: PoolTerms = {
  poolId: 'POOL-OSLO-1',
  kind: 'shared',
  location: 'Oslo depot',
  holds: 'Loan printer LX-500',
  exclusiveTo: null,
  registeredAt: at('2025-12-01T08:00:00Z'),
};
const exclusive: PoolTerms = {
  poolId: 'POOL-NORDLYS-1',
  kind: 'exclusive',
  location: 'Alnabru',
  holds: 'Sorter controller',
  exclusiveTo: { contractId: 'C-1', upFrontFee: { minor: 1_500_000, currency: 'NOK' } },
  registeredAt: at('2027-02-01T08:00:00Z'),
};

describe('the statement of a contract with pools', () => {
  it('lists its pools, its loans open, returned and overdue with their days out, and charges an exclusive fee in the year the pool was registered', () => {
    // Prepare: a loan back, one out and overdue, one out with its case still open; an exclusive pool registered in year 2
    const asOf = at('2027-03-01T12:00:00Z');
    const returned = aLoan({ unitId: 'LX-1', startedAt: at('2026-03-02T08:00:00Z'), endedAt: at('2026-03-10T13:00:00Z'), endedBy: 'returned' });
    const overdue = aLoan({ unitId: 'LX-2', caseId: 'K-2', startedAt: at('2027-02-01T08:00:00Z') });
    const open = aLoan({ unitId: 'LX-3', caseId: 'K-3', startedAt: at('2027-02-25T08:00:00Z') });
    const later = aLoan({ unitId: 'LX-4', caseId: 'K-4', startedAt: asOf + DAY });
    const statement = buildStatement(
      aStatementInput({
        asOf,
        pools: {
          pools: [shared, exclusive],
          loans: [
            { loan: open, dueAt: null, borrower: 'Fjordkraft Service AS' },
            { loan: overdue, dueAt: at('2027-02-20T12:00:00Z'), borrower: 'Fjordkraft Service AS' },
            { loan: returned, dueAt: at('2026-03-17T14:00:00Z'), borrower: 'Fjordkraft Service AS' },
            { loan: later, dueAt: null, borrower: 'Fjordkraft Service AS' },
          ],
        },
      }),
    );

    // Act
    const replay = toReplayContract(statement);
    const json = statementJson(statement, asOf);
    const text = statementText(statement, asOf).join('\n');

    // Assess
    expect(replay.pools).toEqual(['POOL-NORDLYS-1', 'POOL-OSLO-1']);
    expect(replay.years.map((year) => year.exclusivePoolFeesMinor)).toEqual([0, 1_500_000]);
    expect(replay.loans).toEqual([
      {
        poolId: 'POOL-OSLO-1',
        unitId: 'LX-1',
        caseId: 'K-1',
        borrower: 'Fjordkraft Service AS',
        startedAt: '2026-03-02T08:00:00Z',
        dueAt: '2026-03-17T14:00:00Z',
        returnedAt: '2026-03-10T13:00:00Z',
        overdue: false,
        daysOut: 8,
      },
      expect.objectContaining({ unitId: 'LX-2', returnedAt: null, overdue: true, daysOut: 28 }),
      expect.objectContaining({ unitId: 'LX-3', dueAt: null, returnedAt: null, overdue: false, daysOut: 4 }),
    ]);
    expect(json.loans).toEqual(replay.loans);
    expect(json.pools).toEqual([
      { poolId: 'POOL-NORDLYS-1', kind: 'exclusive', location: 'Alnabru', holds: 'Sorter controller', upFrontFee: { minor: 1_500_000, currency: 'NOK' } },
      { poolId: 'POOL-OSLO-1', kind: 'shared', location: 'Oslo depot', holds: 'Loan printer LX-500', upFrontFee: null },
    ]);
    expect(text).toContain('POOL-NORDLYS-1 — Sorter controller, Alnabru (exclusive, up-front fee');
    expect(text).toContain('year 2: exclusive pool fees');
    expect(text).toContain('Loans (2 out, 1 overdue, 1 back)');
    expect(text).toMatch(/LX-2 .*OVERDUE/);
    expect(text).toMatch(/LX-3 .*after the case/);
  });

  it('shows a loan that comes back after the statement instant as still out', () => {
    // Prepare
    const asOf = at('2026-03-05T12:00:00Z');
    const loan = aLoan({ unitId: 'LX-1', startedAt: at('2026-03-02T08:00:00Z'), endedAt: at('2026-03-10T13:00:00Z'), endedBy: 'returned' });

    // Act
    const statement = buildStatement(aStatementInput({ asOf, pools: { pools: [shared], loans: [{ loan, dueAt: null, borrower: 'X' }] } }));

    // Assess
    expect(statement.loans).toEqual([expect.objectContaining({ returnedAt: null, daysOut: 3, overdue: false })]);
  });

  it('a contract without pools has none, no loans and no fees', () => {
    // Act
    const statement = buildStatement(aStatementInput({ asOf: at('2026-06-01T00:00:00Z') }));

    // Assess
    expect([statement.pools, statement.loans, statement.years.map((year) => year.exclusivePoolFeesMinor)]).toEqual([[], [], [0]]);
    expect(statementText(statement, at('2026-06-01T00:00:00Z')).join('\n')).not.toContain('Pools');
  });
});
