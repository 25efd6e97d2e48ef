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

  it('takes the first loan of a new pool as the rate of the contract that drew, not of every young contract', () => {
    // Prepare: three contracts entitled to a new pool 20 days ago; only A has drawn, once
    const entitled = ['A', 'B', 'C'].map((contractId) => ({ contractId, since: start }));
    const now = start + 20 * DAY;

    // Act
    const history = poolHistory({ loans: [aLoan('A', start + 5 * DAY)], entitled, registeredAt: start, now });

    // Assess: A's one draw over the 90-day minimum history; B and C have no seasoned contracts to be measured by
    expect(history.drawsPerYear).toBeCloseTo(YEAR / (90 * DAY), 10);
  });

  it('counts a contract that has not drawn yet at the mean rate of the seasoned contracts', () => {
    // Prepare: A and B entitled for a year (4 and 2 draws); C entitled 30 days ago, no draw yet
    const draws = (contractId: string, count: number): Loan[] =>
      Array.from({ length: count }, (_, index) => aLoan(contractId, start + (index + 1) * 60 * DAY));
    const entitled = [
      { contractId: 'A', since: start },
      { contractId: 'B', since: start },
      { contractId: 'C', since: start + YEAR - 30 * DAY },
    ];

    // Act
    const history = poolHistory({ loans: [...draws('A', 4), ...draws('B', 2)], entitled, registeredAt: start, now: start + YEAR });

    // Assess: 4 + 2 + the mean of A and B (3): a new entitled contract raises the risk
    expect(history.drawsPerYear).toBeCloseTo(9, 10);
  });
});
