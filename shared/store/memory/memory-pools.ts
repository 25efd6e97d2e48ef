/**
 * The pool aggregate in memory, with the DynamoDB adapter's semantics (version conditions on the pool,
 * its units and loans; a refused pool event recorded once per identity and body). The MemoryStore holds
 * one and routes its `{ kind: 'pool' }` writes here, so pool writes commit atomically with the rest.
 */
import { poolWriteKey } from '../pool-items.ts';
import {
  type EntitlementRecord,
  type LoanRecord,
  type PoolRecord,
  type PoolRejectedRecord,
  type PoolState,
  type PoolWrite,
  type RefusedDrawRecord,
  type UnitRecord,
} from '../pool-repository.ts';

const text = (key: { pk: string; sk: string }): string => `${key.pk}\u0000${key.sk}`;

/** DynamoDB's sort-key order within a partition. */
const bySk = <T>(entries: [string, T][]): T[] => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);

export class MemoryPools {
  readonly pools = new Map<string, PoolRecord>();
  readonly units = new Map<string, UnitRecord>();
  readonly loans = new Map<string, LoanRecord>();
  readonly entitled = new Map<string, EntitlementRecord>();
  readonly refused = new Map<string, RefusedDrawRecord>();
  readonly rejected = new Map<string, PoolRejectedRecord>();

  read(poolId: string): PoolState {
    const inPool = <T extends { poolId: string }>(map: Map<string, T>): T[] =>
      bySk([...map.entries()].filter(([, record]) => record.poolId === poolId));
    return {
      pool: this.pools.get(poolId) ?? null,
      units: inPool(this.units),
      loans: inPool(this.loans),
      entitled: inPool(this.entitled),
      refused: inPool(this.refused),
      rejected: inPool(this.rejected),
    };
  }

  list(): PoolRecord[] {
    return [...this.pools.values()].sort((a, b) => (a.terms.poolId < b.terms.poolId ? -1 : 1));
  }

  target(write: PoolWrite): string {
    return text(poolWriteKey(write));
  }

  conditionFailure(write: PoolWrite): 'duplicate' | 'conflict' | null {
    const versionHolds = (stored: { version: number } | undefined, read: number): boolean =>
      read === 0 ? stored === undefined : stored?.version === read;
    const key = this.target(write);
    switch (write.kind) {
      case 'pool':
        return versionHolds(this.pools.get(write.record.terms.poolId), write.record.version) ? null : 'conflict';
      case 'unit':
        return versionHolds(this.units.get(key), write.record.version) ? null : 'conflict';
      case 'loan':
        return versionHolds(this.loans.get(key), write.record.version) ? null : 'conflict';
      case 'rejected':
        return this.rejected.has(key) ? 'duplicate' : null;
      case 'entitlement':
      case 'refusedDraw':
        return null;
    }
  }

  apply(write: PoolWrite): void {
    const key = this.target(write);
    switch (write.kind) {
      case 'pool':
        this.pools.set(write.record.terms.poolId, { ...write.record, version: write.record.version + 1 });
        return;
      case 'unit':
        this.units.set(key, { ...write.record, version: write.record.version + 1 });
        return;
      case 'loan':
        this.loans.set(key, { ...write.record, version: write.record.version + 1 });
        return;
      case 'entitlement':
        this.entitled.set(key, write.record);
        return;
      case 'refusedDraw':
        this.refused.set(key, write.record);
        return;
      case 'rejected':
        this.rejected.set(key, write.record);
        return;
    }
  }
}
