/**
 * What the attention index holds (due cases, parked events, credit notices coming due when their year
 * settles, contracts' next lifecycle dates), mirrored from the commits: in replay every write goes
 * through the one watched store, so the mirror is the index, and replay learns when the sweep or the
 * lifecycle next has work without a Query per shard.
 */
import { DAY_MS, localDateAt, type Instant, type LocalDate } from '#domain/time.ts';
import type { StoreWrite } from '#store/store.ts';
import { InstantHeap, type InstantSlot as Slot } from '#store/memory/instant-heap.ts';

const EARLIEST_ZONE = 'Etc/GMT-14';


export class AttentionMirror {
  private readonly entries = new Map<string, { readonly at: Instant; readonly stamp: number }>();
  /** Every entry's instant in a min-heap (a rewritten or removed entry leaves a stale slot, skipped when met). */
  private readonly heap = new InstantHeap();
  private stamps = 0;
  /** Entries written since the last sweep: due again even if at or before it (a late event's case). */
  private readonly fresh = new Set<string>();
  private lastSweep = Number.NEGATIVE_INFINITY;
  private readonly lifecycleDates = new Map<string, LocalDate>();
  /** Loans out: the lifecycle's daily look at them reminds and alerts (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
  private readonly openLoans = new Set<string>();

  /**
   * @param settleMs the catalog's `noticeSettleMinutes` in ms: a year's credit notices come due (the
   *   sweep re-drives them) that long after the year last changed, whether created then or deferred.
   */
  constructor(private readonly settleMs: number) {}

  observe(writes: readonly StoreWrite[]): void {
    for (const write of writes) {
      if (write.kind === 'year') {
        const { contractId, yearIndex, changedAt } = write.record;
        if (changedAt !== null) this.set(`settle#${contractId}#${yearIndex}`, changedAt + this.settleMs);
      } else if (write.kind === 'case') {
        const { contractId, caseId, nextAttentionAt } = write.record;
        this.set(`case#${contractId}#${caseId}`, nextAttentionAt);
      } else if (write.kind === 'park') {
        this.set(`parked#${write.record.contractId}#${write.record.source}#${write.record.eventId}`, write.record.receivedAt + DAY_MS);
      } else if (write.kind === 'unpark') {
        this.set(`parked#${write.record.contractId}#${write.record.source}#${write.record.eventId}`, null);
      } else if (write.kind === 'unattend') {
        // A quarantined item leaves the index.
        const { entry } = write;
        if (entry.kind === 'case') this.set(`case#${entry.contractId}#${entry.caseId}`, null);
        else if (entry.kind === 'parked') this.set(`parked#${entry.ref.contractId}#${entry.ref.source}#${entry.ref.eventId}`, null);
        else this.lifecycleDates.delete(entry.contractId);
      } else if (write.kind === 'pool' && write.write.kind === 'loan') {
        const { poolId, unitId, startedAt, endedAt } = write.write.record;
        const key = `${poolId}#${unitId}#${startedAt}`;
        if (endedAt === null) this.openLoans.add(key);
        else this.openLoans.delete(key);
      } else if (write.kind === 'contract') {
        const { terms, nextLifecycleDate } = write.record;
        if (nextLifecycleDate === null) this.lifecycleDates.delete(terms.contractId);
        else this.lifecycleDates.set(terms.contractId, nextLifecycleDate);
      }
    }
  }

  /**
   * After a sweep at `at`: what was due then has been looked at; an entry the sweep left at or before
   * `at` (nothing changed for it) is due again only when a later commit rewrites it.
   */
  swept(at: Instant): void {
    this.lastSweep = at;
    this.fresh.clear();
  }

  /** The earliest instant at which the sweep has something new to look at; null when nothing is waiting. */
  nextDue(): Instant | null {
    // Entries at or before the last sweep wait only if written since (fresh: few); the rest are in the
    // heap, whose slots at or before the last sweep are done for good (a rewrite pushes a new slot).
    let next: Instant | null = null;
    for (const key of this.fresh) {
      const at = this.entries.get(key)?.at;
      if (at !== undefined && (next === null || at < next)) next = at;
    }
    while (this.heap.length > 0) {
      const top = this.heap.peek() as Slot;
      if (top.at > this.lastSweep && this.entries.get(top.key)?.stamp === top.stamp) {
        if (next === null || top.at < next) next = top.at;
        break;
      }
      this.heap.pop();
    }
    return next;
  }

  /**
   * Whether a lifecycle run at `at` finds any contract due. Like the lifecycle's own query it counts
   * dates through the first zone to reach a day (UTC+14), so it never says no when the run has work.
   * A loan out is work every day: its reminder or overdue alert may come due.
   */
  lifecycleHasWorkAt(at: Instant): boolean {
    if (this.openLoans.size > 0) return true;
    const through = localDateAt(at, EARLIEST_ZONE);
    for (const date of this.lifecycleDates.values()) if (date <= through) return true;
    return false;
  }

  private set(key: string, at: Instant | null): void {
    if (at === null) {
      this.entries.delete(key);
      this.fresh.delete(key);
      return;
    }
    const stamp = (this.stamps += 1);
    this.entries.set(key, { at, stamp });
    this.fresh.add(key);
    this.heap.push({ at, key, stamp });
    if (this.heap.length > 64 && this.heap.length > 3 * this.entries.size) {
      this.heap.reset([...this.entries].map(([slotKey, entry]) => ({ at: entry.at, key: slotKey, stamp: entry.stamp })));
    }
  }
}
