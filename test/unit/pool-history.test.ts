/** Λ of a pool's history counts the requests it refused (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
import { describe, expect, it } from 'vitest';
import { poolHistory, type Loan } from '#domain/pools.ts';

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const start = Date.parse('2026-01-01T00:00:00Z');

const aLoan = (contractId: string, startedAt: number): Loan => ({
  poolId: 'P',
  unitId: 'U-1',
  startedAt,
  contractId,
  caseId: `K-${startedAt}`,
  borrower: null,
  dueAt: null,
  endedAt: startedAt + 10 * DAY,
  endedBy: 'returned',
});

describe('the history of a pool', () => {
  it('counts the refused requests of entitled contracts as demand, and those of others not', () => {
    // Prepare: over one year, contract A drew 3 times and was refused twice; B (not entitled) was refused once
    const loans = [aLoan('A', start + 10 * DAY), aLoan('A', start + 100 * DAY), aLoan('A', start + 200 * DAY)];
    const refused = [
      { contractId: 'A', at: start + 101 * DAY },
      { contractId: 'A', at: start + 201 * DAY },
      { contractId: 'B', at: start + 50 * DAY },
    ];

    // Act
    const history = poolHistory({ loans, entitled: [{ contractId: 'A', since: start }], refused, registeredAt: start, now: start + YEAR });

    // Assess: Λ = 5 requests a year, T from the granted draws only
    expect(history.drawsPerYear).toBeCloseTo(5, 10);
    expect(history.meanTurnaroundDays).toBeCloseTo(10, 10);
  });
});
