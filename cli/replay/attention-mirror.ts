/**
 * What the attention index holds for the sweep (due cases and parked events), mirrored from the
 * commits: in replay every write goes through the one watched store, so the mirror is the index, and
 * replay learns when the sweep next has work without a Query per shard after every step.
 */
import { DAY_MS, type Instant } from '#domain/time.ts';
import type { StoreWrite } from '#store/store.ts';

export class AttentionMirror {
  private readonly entries = new Map<string, Instant>();
  private writtenSinceSweep = Number.POSITIVE_INFINITY;
  private lastSweep = Number.NEGATIVE_INFINITY;

  observe(writes: readonly StoreWrite[]): void {
    for (const write of writes) {
      if (write.kind === 'case') {
        const { contractId, caseId, nextAttentionAt } = write.record;
        this.set(`case#${contractId}#${caseId}`, nextAttentionAt);
      } else if (write.kind === 'park') {
        this.set(`parked#${write.record.contractId}#${write.record.eventId}`, write.record.receivedAt + DAY_MS);
      } else if (write.kind === 'unpark') {
        this.set(`parked#${write.record.contractId}#${write.record.eventId}`, null);
      }
    }
  }

  /** After a sweep at `at`: what is still due then was looked at, and is due again only when rewritten. */
  swept(at: Instant): void {
    this.lastSweep = at;
    this.writtenSinceSweep = Number.POSITIVE_INFINITY;
  }

  /** The earliest instant at which the sweep has something new to look at; null when nothing is waiting. */
  nextDue(): Instant | null {
    let next = this.writtenSinceSweep;
    for (const at of this.entries.values()) if (at > this.lastSweep && at < next) next = at;
    return next === Number.POSITIVE_INFINITY ? null : next;
  }

  private set(key: string, at: Instant | null): void {
    if (at === null) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, at);
    this.writtenSinceSweep = Math.min(this.writtenSinceSweep, at);
  }
}
