/**
 * The billing outbox in memory, the twin of DynamoBillingOutboxRepository: items with their events,
 * `pending` until marked, marked only while pending (the adapter's condition). `recordCommit` writes
 * what a commit's DynamoDB transaction would mark pending: a ledger item per contract year (the entries
 * of one commit, named by the first) and a billing notice (year closed, termination, contract ended).
 */
import type { Instant } from '#domain/time.ts';
import { creditEvent, noticeBillingEvent, type BillingEvent } from '#events/billing.ts';
import { BILLING_NOTICE_TYPES, billingSourceId, type BillingOutboxRepository, type BillingSourceRef, type PendingBilling } from '../billing-outbox-repository.ts';
import type { ContractRecord } from '../contract-repository.ts';
import type { StoreWrite } from '../store.ts';
import type { LedgerRecord } from '../year-repository.ts';

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

  /**
   * The outbox items of a commit that landed, with the contract each belongs to as it stands after the
   * commit (a ledger item's events carry its currency). A notice that existed already keeps its item:
   * the store counts it as created and writes nothing, as the DynamoDB store does.
   */
  recordCommit(writes: readonly StoreWrite[], contractOf: (contractId: string) => ContractRecord | undefined): BillingSourceRef[] {
    const recorded: BillingSourceRef[] = [];
    const ledgerByYear = new Map<string, LedgerRecord[]>();
    for (const write of writes) {
      if (write.kind === 'ledger') {
        const key = `${write.entry.contractId}\u0000${write.entry.yearIndex}`;
        ledgerByYear.set(key, [...(ledgerByYear.get(key) ?? []), write.entry]);
      } else if (write.kind === 'notice' && BILLING_NOTICE_TYPES.has(write.notice.type) && write.notice.contractId !== null) {
        const ref: BillingSourceRef = { kind: 'notice', contractId: write.notice.contractId, noticeId: write.notice.id };
        if (this.items.has(billingSourceId(ref))) continue;
        const event = noticeBillingEvent(write.notice);
        this.add(ref, event === null ? [] : [event]);
        recorded.push(ref);
      }
    }
    for (const entries of ledgerByYear.values()) {
      const sorted = [...entries].sort((a, b) => a.seq - b.seq);
      const [first] = sorted;
      if (first === undefined) continue;
      const contract = contractOf(first.contractId);
      if (contract === undefined) throw new Error(`ledger item of ${first.contractId} year ${first.yearIndex} has no contract item`);
      const ref: BillingSourceRef = { kind: 'credits', contractId: first.contractId, yearIndex: first.yearIndex, firstSeq: first.seq };
      this.add(ref, sorted.map((entry) => creditEvent(entry, contract.terms.annualFee.currency)));
      recorded.push(ref);
    }
    return recorded;
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
