/**
 * The billing outbox in memory, the twin of DynamoBillingOutboxRepository: items with their events,
 * `pending` until marked, marked only while pending (the adapter's condition).
 */
import type { Instant } from '#domain/time.ts';
import type { BillingEvent } from '#events/billing.ts';
import { billingSourceId, type BillingOutboxRepository, type BillingSourceRef, type PendingBilling } from '#store/billing-outbox-repository.ts';

interface OutboxItem {
  readonly ref: BillingSourceRef;
  readonly events: readonly BillingEvent[];
  publishedAt: Instant | null;
}

export class MemoryBillingOutbox implements BillingOutboxRepository {
  readonly items = new Map<string, OutboxItem>();

  /** What a commit wrote: an outbox item, pending. */
  add(ref: BillingSourceRef, events: readonly BillingEvent[]): void {
    const id = billingSourceId(ref);
    if (this.items.has(id)) throw new Error(`outbox item ${id} exists (written on condition attribute_not_exists)`);
    this.items.set(id, { ref, events: structuredClone(events), publishedAt: null });
  }

  pending(ref: BillingSourceRef): Promise<PendingBilling | null> {
    const item = this.items.get(billingSourceId(ref));
    if (item === undefined || item.publishedAt !== null) return Promise.resolve(null);
    return Promise.resolve({ ref: item.ref, events: structuredClone(item.events) });
  }

  markPublished(ref: BillingSourceRef, at: Instant): Promise<boolean> {
    const item = this.items.get(billingSourceId(ref));
    if (item === undefined || item.publishedAt !== null) return Promise.resolve(false);
    item.publishedAt = at;
    return Promise.resolve(true);
  }
}
