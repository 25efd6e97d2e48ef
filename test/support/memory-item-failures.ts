/** Failure counts in memory, with the DynamoDB adapter's semantics (item-failures.ts). */
import type { Instant } from '#domain/time.ts';
import { retriedItemKey, type ItemFailure, type ItemFailureRepository } from '#store/item-failures.ts';
import type { RetriedItemRef } from '#store/store.ts';

export class MemoryItemFailures implements ItemFailureRepository {
  readonly failures = new Map<string, ItemFailure>();

  failing(): Promise<ItemFailure[]> {
    return Promise.resolve([...this.failures.values()]);
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
