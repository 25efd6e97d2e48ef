/** Failure counts in memory, with the DynamoDB adapter's semantics (item-failures.ts). */
import type { Instant } from '#domain/time.ts';
import { retriedItemKey, type ItemFailure, type ItemFailureRepository } from '../item-failures.ts';
import type { RetriedItemRef } from '../store.ts';
import { compareKeys } from './attention-index.ts';

export class MemoryItemFailures implements ItemFailureRepository {
  readonly failures = new Map<string, ItemFailure>();

  failing(): Promise<ItemFailure[]> {
    if (this.failures.size === 0) return Promise.resolve([]);
    // In sort-key order, as the Query over the FAILING partition returns them.
    return Promise.resolve([...this.failures].sort(([a], [b]) => compareKeys(a, b)).map(([, failure]) => failure));
  }

  countFailure(item: RetriedItemRef, reason: string, at: Instant): Promise<number> {
    const key = retriedItemKey(item);
    const attempts = (this.failures.get(key)?.attempts ?? 0) + 1;
    this.failures.set(key, { kind: item.kind, contractId: item.contractId, id: item.id, attempts, reason, lastFailedAt: at });
    return Promise.resolve(attempts);
  }

  clearFailure(item: RetriedItemRef): Promise<void> {
    this.failures.delete(retriedItemKey(item));
    return Promise.resolve();
  }
}
