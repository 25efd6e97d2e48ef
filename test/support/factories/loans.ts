/** A loan of a shared pool's unit for a case, still out (domain shape, docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
import type { Loan } from '#domain/pools.ts';

export function aLoan(overrides: Partial<Loan> = {}): Loan {
  return {
    poolId: 'POOL-OSLO-1',
    unitId: 'LX-0007',
    startedAt: Date.parse('2026-03-02T09:00:00Z'),
    contractId: 'C-1',
    caseId: 'K-1',
    borrower: null,
    dueAt: null,
    endedAt: null,
    endedBy: null,
    ...overrides,
  };
}
