/**
 * Every port of the table in memory over one shared state, as the DynamoDB adapters share one table:
 * the store's commits create notices in the outbox the notifier leases from, SES feedback settles them
 * there, and the statement, the credit state and the lifecycle read what the commits wrote.
 */
import { MemoryCreditState } from './memory-credit-state.ts';
import { MemoryDeliveryFeedback } from './memory-delivery-feedback.ts';
import { MemoryItemFailures } from './memory-item-failures.ts';
import { MemoryLifecycleRepository } from './memory-lifecycle-repository.ts';
import { MemoryNoticeRepository } from './memory-notices.ts';
import { MemorySourceLags } from './memory-source-lags.ts';
import { MemoryStore, type MemoryStoreOptions } from './memory-store.ts';

export interface MemoryTable {
  readonly store: MemoryStore;
  readonly notices: MemoryNoticeRepository;
  readonly credits: MemoryCreditState;
  readonly feedback: MemoryDeliveryFeedback;
  readonly lifecycle: MemoryLifecycleRepository;
  readonly failures: MemoryItemFailures;
  readonly sourceLags: MemorySourceLags;
}

export function memoryTable(options: Pick<MemoryStoreOptions, 'recordCommits' | 'repeatedEventIds'> = {}): MemoryTable {
  const notices = new MemoryNoticeRepository();
  const store = new MemoryStore({ ...options, outbox: notices });
  return {
    store,
    notices,
    credits: new MemoryCreditState(store, notices),
    feedback: new MemoryDeliveryFeedback(notices),
    lifecycle: new MemoryLifecycleRepository(store),
    failures: new MemoryItemFailures(),
    sourceLags: new MemorySourceLags(),
  };
}
