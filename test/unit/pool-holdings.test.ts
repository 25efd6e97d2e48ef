import { describe, expect, it } from 'vitest';
import { poolHoldingsOfYear, type PoolCarried } from '#domain/pools.ts';

const YEAR = 365 * 86_400_000;
// Year k of the contract is [ (k−1)·YEAR, k·YEAR ): a plain indexer keeps the arithmetic visible.
const yearIndexOf = (at: number): number => Math.floor(at / YEAR) + 1;

const shared: PoolCarried = {
  terms: { poolId: 'P-S', kind: 'shared', location: 'Oslo', holds: 'printer', exclusiveTo: null, registeredAt: 0 },
  unitsHeld: 3,
  entitledContracts: 4,
  draws: [
    { contractId: 'C-1', startedAt: 10 },
    { contractId: 'C-2', startedAt: 20 },
    { contractId: 'C-1', startedAt: 30 },
    { contractId: 'C-1', startedAt: YEAR + 5 },
  ],
};
const exclusive: PoolCarried = {
  terms: {
    poolId: 'P-X',
    kind: 'exclusive',
    location: 'Bergen',
    holds: 'scanner',
    exclusiveTo: { contractId: 'C-1', upFrontFee: { minor: 1_500_000, currency: 'NOK' } },
    registeredAt: YEAR + 100,
  },
  unitsHeld: 1,
  entitledContracts: 1,
  draws: [],
};

describe('pool holdings of a contract year (the economics carrying cost)', () => {
  it("counts this contract's draws and all draws that started in the year, with the units and contracts entitled", () => {
    expect(poolHoldingsOfYear('C-1', 1, [shared], yearIndexOf)).toEqual([
      { poolId: 'P-S', kind: 'shared', unitsHeld: 3, drawsOfContract: 2, drawsAll: 3, entitledContracts: 4, exclusiveFeeMinor: 0 },
    ]);
    expect(poolHoldingsOfYear('C-1', 2, [shared], yearIndexOf)[0]).toMatchObject({ drawsOfContract: 1, drawsAll: 1 });
  });

  it("charges an exclusive pool's up-front fee in the contract year it was registered, and only there", () => {
    expect(poolHoldingsOfYear('C-1', 1, [exclusive], yearIndexOf)[0]?.exclusiveFeeMinor).toBe(0);
    expect(poolHoldingsOfYear('C-1', 2, [exclusive], yearIndexOf)[0]?.exclusiveFeeMinor).toBe(1_500_000);
    expect(poolHoldingsOfYear('C-9', 2, [exclusive], yearIndexOf)[0]?.exclusiveFeeMinor).toBe(0);
  });
});
