/**
 * What the attention index holds (due cases, parked events, credit notices coming due when their year
 * settles, contracts' next lifecycle dates), mirrored from the commits: in replay every write goes
 * through the one watched store, so the mirror is the index, and replay learns when the sweep or the
 * lifecycle next has work without a Query per shard.
 */
import { DAY_MS, localDateAt, type Instant, type LocalDate } from '#domain/time.ts';
import type { StoreWrite } from '#store/store.ts';
import { InstantHeap } from '#store/memory/instant-heap.ts';

const EARLIEST_ZONE = 'Etc/GMT-14';

/** An entry of the index: its instant, and a stamp telling its heap slots apart (0 once it left the index). */
interface Entry {
  at: Instant;
  stamp: number;
}

/** A heap slot: where an entry was when written; stale once the entry's stamp moved on. */
interface Slot {
  readonly at: Instant;
  readonly entry: Entry;
  readonly stamp: number;
}

/** Entries of one kind by contract, then by what names them in it: a write builds no key. */
type EntryTable<K> = Map<string, Map<K, Entry>>;

export class AttentionMirror {
  private readonly cases: EntryTable<string> = new Map();
  /** A year's credit notices coming due, by year index. */
  private readonly settles: EntryTable<number> = new Map();
  /** Parked events by `source#eventId` (a source holds no `#`). */
  private readonly parked: EntryTable<string> = new Map();
  /**
   * The same parked events at the first instant the sweep expires them (the start of the UTC day on which they
   * are `parkedRetentionDays` old). The index lists a parked event once, a day after it came; in AWS the sweep
   * runs every minute and meets it again on that day. Replay skips idle minutes, so it must be told of that day,
   * or the expiry would wait for whatever sweep came next — another contract's, or none before registration.
   */
  private readonly parkedExpiries: EntryTable<string> = new Map();
  private entryCount = 0;
  /** Every entry's instant in a min-heap (a rewritten or removed entry leaves a stale slot, skipped when met). */
  private readonly heap = new InstantHeap<Slot>();
  private stamps = 0;
  /** Entries written since the last sweep: due again even if at or before it (a late event's case). */
  private readonly fresh = new Set<Entry>();
  private lastSweep = Number.NEGATIVE_INFINITY;
  private readonly lifecycleDates = new Map<string, LocalDate>();
  /** Loans out: the lifecycle's daily look at them reminds and alerts (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
  private readonly openLoans = new Set<string>();

  /**
   * @param settleMs the catalog's `noticeSettleMinutes` in ms: a year's credit notices come due (the
   *   sweep re-drives them) that long after the year last changed, whether created then or deferred.
   * @param parkedRetentionMs the catalog's `parkedRetentionDays` in ms.
   */
  constructor(
    private readonly settleMs: number,
    private readonly parkedRetentionMs: number,
  ) {}

  observe(writes: readonly StoreWrite[]): void {
    for (const write of writes) {
      if (write.kind === 'year') {
        const { contractId, yearIndex, changedAt } = write.record;
        if (changedAt !== null) this.set(this.settles, contractId, yearIndex, changedAt + this.settleMs);
      } else if (write.kind === 'case') {
        const { contractId, caseId, nextAttentionAt } = write.record;
        this.set(this.cases, contractId, caseId, nextAttentionAt);
      } else if (write.kind === 'park') {
        const { contractId, source, eventId, receivedAt } = write.record;
        this.set(this.parked, contractId, `${source}#${eventId}`, receivedAt + DAY_MS);
        this.set(this.parkedExpiries, contractId, `${source}#${eventId}`, Math.ceil((receivedAt + this.parkedRetentionMs) / DAY_MS) * DAY_MS);
      } else if (write.kind === 'unpark') {
        const { contractId, source, eventId } = write.record;
        this.set(this.parked, contractId, `${source}#${eventId}`, null);
        this.set(this.parkedExpiries, contractId, `${source}#${eventId}`, null);
      } else if (write.kind === 'unattend') {
        // A quarantined item leaves the index.
        const { entry } = write;
        if (entry.kind === 'case') this.set(this.cases, entry.contractId, entry.caseId, null);
        else if (entry.kind === 'parked') {
          this.set(this.parked, entry.ref.contractId, `${entry.ref.source}#${entry.ref.eventId}`, null);
          this.set(this.parkedExpiries, entry.ref.contractId, `${entry.ref.source}#${entry.ref.eventId}`, null);
        }
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
    for (const { at } of this.fresh) if (next === null || at < next) next = at;
    while (this.heap.length > 0) {
      const top = this.heap.peek() as Slot;
      if (top.at > this.lastSweep && top.entry.stamp === top.stamp) {
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

  private set<K>(table: EntryTable<K>, contractId: string, id: K, at: Instant | null): void {
    let ofContract = table.get(contractId);
    let entry = ofContract?.get(id);
    if (at === null) {
      if (entry === undefined) return;
      ofContract?.delete(id);
      entry.stamp = 0;
      this.fresh.delete(entry);
      this.entryCount -= 1;
      return;
    }
    if (entry === undefined) {
      if (ofContract === undefined) table.set(contractId, (ofContract = new Map<K, Entry>()));
      entry = { at, stamp: 0 };
      ofContract.set(id, entry);
      this.entryCount += 1;
    }
    entry.at = at;
    entry.stamp = this.stamps += 1;
    this.fresh.add(entry);
    this.heap.push({ at, entry, stamp: entry.stamp });
    if (this.heap.length > 64 && this.heap.length > 3 * this.entryCount) this.heap.reset(this.liveSlots());
  }

  /** One slot for every entry in the index, in the order the entries were first written within each kind. */
  private liveSlots(): Slot[] {
    const slots: Slot[] = [];
    for (const table of [this.settles, this.cases, this.parked, this.parkedExpiries] as EntryTable<unknown>[]) {
      for (const ofContract of table.values()) for (const entry of ofContract.values()) slots.push({ at: entry.at, entry, stamp: entry.stamp });
    }
    return slots;
  }
}
