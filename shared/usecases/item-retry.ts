/**
 * Per-item isolation for the sweep and the lifecycle (docs/design.md#order-and-duplicates, STYLE 14): each item runs on its own;
 * a failure is counted for that item only (item-failures.ts) and the run goes on; an item that fails
 * its fifth run (or can never succeed) is quarantined — taken out of the attention index, recorded
 * with the reason in its contract's partition, and alerted (`ops.item_quarantined`), in one commit.
 * Failures of a dependency (throttling, lost races) are not the item's fault and are not counted.
 */
import type { Instant } from '#domain/time.ts';
import { retriedItemKey, type ItemFailureRepository } from '#store/item-failures.ts';
import type { QuarantineRecord, RetriedItemRef } from '#store/retried-items.ts';
import type { AttentionEntry, StoreWrite, Transaction } from '#store/store.ts';
import { MAX_TRANSACTION_ITEMS } from '#store/transaction.ts';
import { outcomeOfFailure, reasonOf } from '../outcomes.ts';
import { itemQuarantinedNotice } from './notice-factory.ts';

/** Runs an item may fail (transient failures aside) before it is quarantined. */
export const MAX_ITEM_ATTEMPTS = 5;

export interface ItemFailureReport extends RetriedItemRef {
  readonly reason: string;
  /** Counted failures so far; null when not counted (transient, or the count could not be written). */
  readonly attempts: number | null;
  readonly quarantined: boolean;
}

export interface ItemRetry {
  /** The work's result, or null when it failed (counted, maybe quarantined). Never throws. */
  run<T>(item: RetriedItemRef, attention: readonly AttentionEntry[], work: () => Promise<T>): Promise<T | null>;
  /** Counts a failure that happened outside `run` (e.g. a batch read that covered the item). */
  fail(item: RetriedItemRef, attention: readonly AttentionEntry[], error: unknown): Promise<void>;
  /** Items that failed this run, quarantined or not. */
  readonly failures: readonly ItemFailureReport[];
}

export function makeItemRetry(dependencies: {
  readonly store: Transaction;
  readonly failures: ItemFailureRepository | undefined;
  readonly now: Instant;
}): ItemRetry {
  return new ItemRetryRun(dependencies.store, dependencies.failures, dependencies.now);
}

/**
 * One run's isolation, its methods on the prototype (a sweep runs every minute, most runs with one item
 * or none). Which items carry a count is read when an item first succeeds: only a success clears a
 * count, and each item runs at most once per run, so a later read decides the same clearings.
 */
class ItemRetryRun implements ItemRetry {
  readonly failures: ItemFailureReport[] = [];
  /** Keys of the items that carried a count when first needed; empty when unreadable (a later run clears them). */
  private failing: Promise<ReadonlySet<string>> | null = null;

  constructor(
    private readonly store: Transaction,
    private readonly counts: ItemFailureRepository | undefined,
    private readonly now: Instant,
  ) {}

  async run<T>(item: RetriedItemRef, attention: readonly AttentionEntry[], work: () => Promise<T>): Promise<T | null> {
    let value: T;
    try {
      value = await work();
    } catch (error) {
      await this.fail(item, attention, error);
      return null;
    }
    if (this.counts !== undefined && (await this.failingKeys(this.counts)).has(retriedItemKey(item))) {
      await this.counts.clearFailure(item).catch(() => undefined);
    }
    return value;
  }

  async fail(item: RetriedItemRef, attention: readonly AttentionEntry[], error: unknown): Promise<void> {
    const reason = reasonOf(error);
    let outcome = outcomeOfFailure(error);
    let attempts: number | null = null;
    if (outcome.kind === 'retry' && !outcome.transient) {
      attempts = await this.countFailure(item, reason);
      if (attempts !== null) outcome = outcomeOfFailure(error, { attempt: attempts, maxAttempts: MAX_ITEM_ATTEMPTS });
    }
    // A sweep has no queue to dead-letter to and no event to reject: any outcome but retry sets the item aside.
    let quarantined = false;
    if (outcome.kind !== 'retry') {
      quarantined = await this.quarantine(item, attention, outcome.reason, attempts ?? 1).catch(() => false);
    }
    this.failures.push({ ...item, reason, attempts, quarantined });
  }

  private failingKeys(counts: ItemFailureRepository): Promise<ReadonlySet<string>> {
    this.failing ??= counts.failing().then(
      (failing) => new Set(failing.map(retriedItemKey)),
      // Counting and quarantine still work; only the clearing of old counts waits for a later run.
      () => new Set<string>(),
    );
    return this.failing;
  }

  private async countFailure(item: RetriedItemRef, reason: string): Promise<number | null> {
    if (this.counts === undefined) return null;
    try {
      return await this.counts.countFailure(item, reason, this.now);
    } catch {
      return null;
    }
  }

  private async quarantine(item: RetriedItemRef, attention: readonly AttentionEntry[], reason: string, attempts: number): Promise<boolean> {
    const record: QuarantineRecord = { kind: item.kind, contractId: item.contractId, id: item.id, reason, attempts, at: this.now };
    const unattend = attention.map((entry): StoreWrite => ({ kind: 'unattend', entry }));
    const first = MAX_TRANSACTION_ITEMS - 2;
    const result = await this.store.commit([
      { kind: 'quarantine', record },
      { kind: 'notice', notice: itemQuarantinedNotice(record) },
      ...unattend.slice(0, first),
    ]);
    // Conflict: the item changed or went away meanwhile (applied, deleted); the next run looks again.
    if (result !== 'committed') return false;
    for (let offset = first; offset < unattend.length; offset += MAX_TRANSACTION_ITEMS) {
      await this.store.commit(unattend.slice(offset, offset + MAX_TRANSACTION_ITEMS));
    }
    await this.counts?.clearFailure(item).catch(() => undefined);
    return true;
  }
}
