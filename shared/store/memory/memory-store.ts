/**
 * The Store in memory, with the DynamoDB store's semantics (dynamo-store.ts, transaction.ts): a commit
 * is all-or-nothing under the same conditions (versions, idempotency records, parked and rejected
 * identities, attention entries of items that must exist), the same limits (100 transaction items with
 * overflow leaves counted, 400 KB per item, 4 MB per commit: planned and measured as for DynamoDB), a
 * deterministic notice that exists counting as created; reads in DynamoDB's orders (a partition by sort
 * key, the attention index shard by shard). Reads are indexed (per contract, the attention index), so
 * nothing scans the table. Records are stored and handed out as they are, without copies: every record
 * type is readonly, and the use cases build new records rather than change what they read.
 */
import { breachKey } from '#domain/credits.ts';
import { DEFAULT_EVENT_SOURCE } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import { PROCESSED_EVENT_RETENTION_DAYS } from '../items.ts';
import { DAY_MS, shardOf } from '../keys.ts';
import type {
  CaseRecord,
  CaseRef,
  CommitResult,
  ContractPartition,
  ContractRecord,
  EventContext,
  EventContextRequest,
  LedgerRecord,
  NoticeRecord,
  ParkedRecord,
  ParkedRef,
  ProcessedEventRecord,
  ProcessedOutcome,
  QuarantineRecord,
  RejectedRecord,
  Store,
  StoreWrite,
} from '../store.ts';
import type { StoredNotice } from '../notice-repository.ts';
import { assertCommitWithinLimits } from '../transaction-bounds.ts';
import type { YearRecord } from '../year-repository.ts';
import { AttentionIndex, compareKeys } from './attention-index.ts';
import { MemoryNoticeRepository } from './memory-notices.ts';
import type { PoolEventContext, PoolRecord, PoolRepository, PoolState } from '../pool-repository.ts';
import { MemoryPools } from './memory-pools.ts';
import { rejectedWith } from '../../promises.ts';

type Part = string | number;

/** The parts joined by NUL (as `parts.join('\u0000')`), without an array per call: every read and commit builds some. */
function key(a: Part, b: Part, c?: Part, d?: Part, e?: Part): string {
  if (c === undefined) return `${a}\u0000${b}`;
  if (d === undefined) return `${a}\u0000${b}\u0000${c}`;
  if (e === undefined) return `${a}\u0000${b}\u0000${c}\u0000${d}`;
  return `${a}\u0000${b}\u0000${c}\u0000${d}\u0000${e}`;
}

/** The commit results as settled promises, shared by every commit (a settled promise can be awaited any number of times). */
const SETTLED: { readonly [R in CommitResult]: Promise<R> } = {
  committed: Promise.resolve('committed'),
  duplicate: Promise.resolve('duplicate'),
  conflict: Promise.resolve('conflict'),
};

/** A versioned write's condition: the version read is the one stored (0: nothing is). */
const versionHolds = (stored: { version: number } | undefined, read: number): boolean =>
  read === 0 ? stored === undefined : stored?.version === read;

/** The table name transaction planning is given: the items it plans are only measured, never sent. */
const PLANNING_TABLE = 'memory';

export interface MemoryStoreOptions {
  /** The outbox the commits create notices in (shared with the notifier's repository). @default a new one */
  readonly outbox?: MemoryNoticeRepository;
  /** Keep the writes of every commit in `committed` (tests read them; a long replay should not). @default true */
  readonly recordCommits?: boolean;
  /**
   * The event ids some input line delivers more than once, when the caller knows every line (a replay):
   * idempotency records of other ids are let go past their TTL (ProcessedRecords). @default null: all kept
   */
  readonly repeatedEventIds?: ReadonlySet<string> | null;
}

/** How long DynamoDB keeps an idempotency record that is not parked (its TTL: items.ts). */
const PROCESSED_RETENTION_MS = PROCESSED_EVENT_RETENTION_DAYS * DAY_MS;

/**
 * The idempotency records, by source and then eventId, kept in columns: a slot per record in arrays of its
 * identity, digest, contract id (one string per contract, not the copy each parsed body brought), outcome
 * and instant; its reason and pool only where it has one (≈ 170 B each as objects, ≈ 70 B as slots). Each
 * read builds the record afresh, with the same fields in the same order.
 *
 * With `repeatedEventIds` (a replay, which knows every line it will send), a record past its TTL is let go
 * unless it is parked or its eventId is delivered more than once: a record is only ever read by a
 * delivery of its own identity (or that delivery's retries, at the same instant), so no read can tell.
 * Its slot is used again, so a long replay holds a month of records, not one per event.
 */
export class ProcessedRecords {
  private readonly bySource = new Map<string, Map<string, number>>();
  private readonly sources: (string | null)[] = [];
  private readonly eventIds: (string | null)[] = [];
  private readonly digests: (string | null)[] = [];
  private readonly contractIds: (string | null)[] = [];
  private outcomes = new Uint8Array(1024);
  private instants = new Float64Array(1024);
  private readonly reasons = new Map<number, string>();
  private readonly poolIds = new Map<number, string>();
  private readonly sharedIds = new Map<string, string>();
  /** Slots that may expire, in the order written (their instants rise with the replay's clock), from `head` on. */
  private expiring: number[] = [];
  private head = 0;
  /** Slots of expired records, free to use again. */
  private readonly free: number[] = [];

  constructor(private readonly repeatedEventIds: ReadonlySet<string> | null = null) {}

  get(source: string, eventId: string): ProcessedEventRecord | undefined {
    const slot = this.bySource.get(source)?.get(eventId);
    return slot === undefined ? undefined : this.recordAt(source, eventId, slot);
  }

  /** The outcome alone (a commit's condition), without building the record. */
  outcomeOf(source: string, eventId: string): ProcessedOutcome | undefined {
    const slot = this.bySource.get(source)?.get(eventId);
    return slot === undefined ? undefined : outcomeOfCode(this.outcomes[slot] ?? 0);
  }

  set(record: ProcessedEventRecord): void {
    if (this.repeatedEventIds !== null) this.expireBefore(record.at - PROCESSED_RETENTION_MS);
    let records = this.bySource.get(record.source);
    if (records === undefined) {
      records = new Map();
      this.bySource.set(record.source, records);
    }
    const slot = this.free.pop() ?? this.digests.length;
    if (slot === this.outcomes.length) this.grow();
    this.sources[slot] = record.source;
    this.eventIds[slot] = record.eventId;
    this.digests[slot] = record.digest;
    this.contractIds[slot] = record.contractId === null ? null : this.shared(record.contractId);
    this.outcomes[slot] = OUTCOME_CODES[record.outcome];
    this.instants[slot] = record.at;
    if (record.reason !== null) this.reasons.set(slot, record.reason);
    if (record.poolId !== undefined) this.poolIds.set(slot, record.poolId);
    const replaced = records.get(record.eventId);
    if (replaced !== undefined) this.forget(replaced);
    records.set(record.eventId, slot);
    if (this.repeatedEventIds !== null && record.outcome !== 'parked' && !this.repeatedEventIds.has(record.eventId)) this.expiring.push(slot);
  }

  delete(source: string, eventId: string): void {
    const records = this.bySource.get(source);
    const slot = records?.get(eventId);
    if (records === undefined || slot === undefined) return;
    this.forget(slot);
    records.delete(eventId);
  }

  /** Every record under the joined key the store's other maps use (`source`, NUL, `eventId`). */
  *entries(): IterableIterator<[string, ProcessedEventRecord]> {
    for (const [source, records] of this.bySource) {
      for (const [eventId, slot] of records) yield [key(source, eventId), this.recordAt(source, eventId, slot)];
    }
  }

  private recordAt(source: string, eventId: string, slot: number): ProcessedEventRecord {
    const digest = this.digests[slot] ?? null;
    const contractId = this.contractIds[slot] ?? null;
    const outcome = outcomeOfCode(this.outcomes[slot] ?? 0);
    const reason = this.reasons.get(slot) ?? null;
    const at = this.instants[slot] ?? 0;
    const poolId = this.poolIds.get(slot);
    // The fields in the order the use cases write them (event-application.ts, pool-application.ts).
    return poolId === undefined
      ? { source, eventId, digest, contractId, outcome, reason, at }
      : { source, eventId, digest, contractId, poolId, outcome, reason, at };
  }

  /** Lets go of the expiring records written before `instant`; a slot forgotten since (replaced, deleted) is passed over. */
  private expireBefore(instant: Instant): void {
    const { expiring } = this;
    while (this.head < expiring.length) {
      const slot = expiring[this.head] as number;
      if ((this.instants[slot] ?? 0) >= instant) break;
      this.head += 1;
      const source = this.sources[slot];
      const eventId = this.eventIds[slot];
      if (source === null || source === undefined || eventId === null || eventId === undefined) continue;
      this.bySource.get(source)?.delete(eventId);
      this.forget(slot);
      this.free.push(slot);
    }
    // The passed-over head is dropped now and then, not on every expiry.
    if (this.head > 4096 && this.head * 2 > expiring.length) {
      this.expiring = expiring.slice(this.head);
      this.head = 0;
    }
  }

  /** A slot no record uses any more lets go of its strings (its numbers stay, unread). */
  private forget(slot: number): void {
    this.sources[slot] = null;
    this.eventIds[slot] = null;
    this.digests[slot] = null;
    this.contractIds[slot] = null;
    this.reasons.delete(slot);
    this.poolIds.delete(slot);
  }

  private shared(contractId: string): string {
    const known = this.sharedIds.get(contractId);
    if (known !== undefined) return known;
    this.sharedIds.set(contractId, contractId);
    return contractId;
  }

  private grow(): void {
    const outcomes = new Uint8Array(this.outcomes.length * 2);
    outcomes.set(this.outcomes);
    this.outcomes = outcomes;
    const instants = new Float64Array(this.instants.length * 2);
    instants.set(this.instants);
    this.instants = instants;
  }
}

/** One array per distinct list of strings (a case's sources, its warned clocks): few lists, held by many cases. */
class SharedLists {
  private readonly byText = new Map<string, readonly string[]>();

  /** The list kept for these strings (this one, the first time they are seen). */
  shared<T extends string>(list: readonly T[]): readonly T[] {
    const text = list.join('\u0000');
    const found = this.byText.get(text);
    if (found !== undefined && sameStrings(found, list)) return found as readonly T[];
    if (found === undefined) this.byText.set(text, list);
    return list;
  }
}

const sameStrings = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item, index) => item === b[index]);

const OUTCOME_CODES: { readonly [O in ProcessedOutcome]: number } = { applied: 0, parked: 1, rejected: 2 };
const outcomeOfCode = (code: number): ProcessedOutcome => (code === 1 ? 'parked' : code === 2 ? 'rejected' : 'applied');

/** The kind of item a write operates on: the first part of its `target` key. */
function itemKind(write: StoreWrite): string {
  switch (write.kind) {
    case 'processedEvent':
      return 'event';
    case 'contractAbsent':
      return 'contract';
    case 'park':
    case 'unpark':
      return 'parked';
    case 'release':
      return 'quarantine';
    case 'unattend':
      return write.entry.kind === 'lifecycle' ? 'contract' : write.entry.kind;
    case 'contract':
    case 'case':
    case 'year':
    case 'ledger':
    case 'notice':
    case 'rejected':
    case 'quarantine':
    case 'pool':
      return write.kind;
  }
}

/** The keys of one contract's items, per kind: the partition Query without a scan. */
interface PartitionKeys {
  readonly cases: Set<string>;
  readonly years: Set<string>;
  readonly ledger: Set<string>;
  readonly parked: Set<string>;
  readonly rejected: Set<string>;
  readonly quarantined: Set<string>;
}

type PartitionKind = keyof PartitionKeys;

export class MemoryStore implements Store, PoolRepository {
  /** The pool aggregate (memory-pools.ts); its writes commit with the rest. */
  readonly pools = new MemoryPools();
  readonly contracts = new Map<string, ContractRecord>();
  readonly cases = new Map<string, CaseRecord>();
  readonly years = new Map<string, YearRecord>();
  readonly ledger = new Map<string, LedgerRecord>();
  readonly processed: ProcessedRecords;
  readonly parked = new Map<string, ParkedRecord>();
  readonly rejected = new Map<string, RejectedRecord>();
  readonly quarantined = new Map<string, QuarantineRecord>();
  /** The outbox this store's commits create notices in. */
  readonly outbox: MemoryNoticeRepository;
  /**
   * Parked events and contracts taken out of the attention index (`unattend`), as DynamoDB removes their
   * `apk`/`ask`: a contract write puts its lifecycle entry back, as `contractItem` does. A case has no
   * entry here: its attention instant is cleared instead, as the DynamoDB item's is.
   */
  readonly unattended = new Set<string>();
  /** Commits attempted, whatever their result. */
  commits = 0;
  /** The writes of every commit that landed, in order (empty unless `recordCommits`). */
  readonly committed: (readonly StoreWrite[])[] = [];
  /** Runs before each commit is checked: lets a test slip a competing write in between read and commit. */
  beforeCommit: (() => Promise<void>) | null = null;

  private readonly recordCommits: boolean;
  private readonly partitions = new Map<string, PartitionKeys>();
  private readonly dueCaseIndex = new AttentionIndex<CaseRef>();
  private readonly lists = new SharedLists();
  private readonly parkedIndex = new AttentionIndex<ParkedRef>();
  /** The last case key built, and its parts: a case event's read, conditions and writes ask for one case's key in a row. */
  private lastCaseKey = key('', '');
  private lastContractId = '';
  private lastCaseId = '';

  constructor(options: MemoryStoreOptions = {}) {
    this.outbox = options.outbox ?? new MemoryNoticeRepository();
    this.recordCommits = options.recordCommits ?? true;
    this.processed = new ProcessedRecords(options.repeatedEventIds ?? null);
  }

  /** Every notice of the outbox, by partition and id. */
  get notices(): Map<string, StoredNotice> {
    return this.outbox.notices;
  }

  readPool(poolId: string): Promise<PoolState> {
    return Promise.resolve(this.pools.read(poolId));
  }

  readPoolEvent(request: { source: string; eventId: string; poolId: string; contractId: string | null }): Promise<PoolEventContext> {
    return Promise.resolve({
      processed: this.processed.get(request.source, request.eventId) ?? null,
      contract: request.contractId === null ? null : (this.contracts.get(request.contractId) ?? null),
      state: this.pools.read(request.poolId),
    });
  }

  listPools(): Promise<PoolRecord[]> {
    return Promise.resolve(this.pools.list());
  }

  readEventContext(request: EventContextRequest): Promise<EventContext> {
    return Promise.resolve({
      processed: this.processed.get(request.source, request.eventId) ?? null,
      contract: this.contracts.get(request.contractId) ?? null,
      case: request.caseId === null ? null : (this.cases.get(this.caseKey(request.contractId, request.caseId)) ?? null),
    });
  }

  readYears(contractId: string, yearIndexes: readonly number[]): Promise<YearRecord[]> {
    const found: YearRecord[] = [];
    for (const index of new Set(yearIndexes)) {
      const year = this.years.get(key(contractId, index));
      if (year !== undefined) found.push(year);
    }
    return Promise.resolve(found);
  }

  readCases(refs: readonly CaseRef[]): Promise<{ contract: ContractRecord; case: CaseRecord }[]> {
    const found: { contract: ContractRecord; case: CaseRecord }[] = [];
    for (const ref of refs) {
      const contract = this.contracts.get(ref.contractId);
      const caseRecord = this.cases.get(this.caseKey(ref.contractId, ref.caseId));
      if (contract !== undefined && caseRecord !== undefined) found.push({ contract, case: caseRecord });
    }
    return Promise.resolve(found);
  }

  /** In sort-key order: PARKED#<occurredAt>#<source>#<eventId>. */
  readParkedOf(contractId: string): Promise<ParkedRecord[]> {
    return Promise.resolve(this.sortedParked(this.partitionOf(contractId, 'parked', this.parked)));
  }

  readParked(refs: readonly ParkedRef[]): Promise<ParkedRecord[]> {
    const found = new Map<string, ParkedRecord>();
    for (const ref of refs) {
      const k = key(ref.contractId, ref.occurredAt, ref.source, ref.eventId);
      const parked = this.parked.get(k);
      if (parked !== undefined) found.set(k, parked);
    }
    return Promise.resolve([...found.values()]);
  }

  /** Shard by shard, in attention sort-key order, as the DynamoDB store's Queries return them. */
  dueCases(now: Instant): Promise<CaseRef[]> {
    return Promise.resolve(this.dueCaseIndex.dueAt(now));
  }

  overdueParked(now: Instant): Promise<ParkedRef[]> {
    return Promise.resolve(this.parkedIndex.dueAt(now));
  }

  /** The earliest attention instant of a case, or null when no case needs attention. */
  nextCaseAttention(): Instant | null {
    return this.dueCaseIndex.earliest();
  }

  readContractPartition(contractId: string): Promise<ContractPartition> {
    const bySk = <T>(records: T[], sk: (record: T) => string): T[] =>
      records.map((record) => ({ record, sk: sk(record) })).sort((a, b) => compareKeys(a.sk, b.sk)).map((entry) => entry.record);
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    return Promise.resolve({
      contract: this.contracts.get(contractId) ?? null,
      cases: bySk(this.partitionOf(contractId, 'cases', this.cases), (c) => c.caseId),
      years: this.partitionOf(contractId, 'years', this.years).sort((a, b) => a.yearIndex - b.yearIndex),
      ledger: bySk(this.partitionOf(contractId, 'ledger', this.ledger), (l) => `${pad(l.yearIndex, 4)}#${pad(l.seq, 6)}`),
      notices: this.outbox.ofPartition(contractId),
      parked: this.sortedParked(this.partitionOf(contractId, 'parked', this.parked)),
      rejected: bySk(this.partitionOf(contractId, 'rejected', this.rejected), (r) => `${r.source}#${r.digest}#${r.eventId}`),
      quarantined: bySk(this.partitionOf(contractId, 'quarantined', this.quarantined), (q) => `${q.kind}#${q.id}`),
    });
  }

  /** A contract's cases, in sort-key order (the lifecycle's `readCasesOf`). */
  casesOf(contractId: string): CaseRecord[] {
    return this.partitionOf(contractId, 'cases', this.cases).sort((a, b) => compareKeys(a.caseId, b.caseId));
  }

  /**
   * Settled at once, as an async function without the test hook would be, without an async frame per
   * commit: a commit runs for every event and most sweeps.
   */
  commit(writes: readonly StoreWrite[]): Promise<CommitResult> {
    this.commits += 1;
    if (this.beforeCommit !== null) return this.commitAfter(this.beforeCommit, writes);
    try {
      return SETTLED[this.commitNow(writes)];
    } catch (error) {
      return rejectedWith(error);
    }
  }

  private async commitAfter(hook: () => Promise<void>, writes: readonly StoreWrite[]): Promise<CommitResult> {
    await hook();
    return this.commitNow(writes);
  }

  private commitNow(writes: readonly StoreWrite[]): CommitResult {
    if (writes.length === 0) return 'committed';
    // The same limits as the DynamoDB store's items, leaves and sizes: planned only when bounds do not settle it.
    assertCommitWithinLimits(PLANNING_TABLE, writes);
    if (writes.length > 1) this.assertOneOperationPerItem(writes);
    let conflict = false;
    // Made only when one is found: most commits hold no notice that exists.
    let existingNotices: Set<StoreWrite> | null = null;
    for (const write of writes) {
      const failure = this.conditionFailure(write);
      if (failure === 'duplicate') return 'duplicate';
      if (failure === 'conflict') conflict = true;
      if (failure === 'noticeExists') (existingNotices ??= new Set()).add(write);
    }
    if (conflict) return 'conflict';
    // As the DynamoDB store: a deterministic notice that exists counts as created; the rest commits.
    const landing = existingNotices === null ? writes : writes.filter((write) => !existingNotices.has(write));
    for (const write of landing) this.apply(write);
    if (this.recordCommits) this.committed.push(landing);
    return 'committed';
  }

  createNoticeOnce(notice: NoticeRecord): Promise<boolean> {
    return Promise.resolve(this.outbox.addOnce(notice));
  }

  /** Every stored record in a stable order: equal snapshots mean equal state. */
  snapshot(): string {
    const maps = {
      contracts: this.contracts,
      cases: this.cases,
      years: this.years,
      ledger: this.ledger,
      notices: this.notices,
      processed: new Map(this.processed.entries()),
      parked: this.parked,
      rejected: this.rejected,
      quarantined: this.quarantined,
      unattended: new Map([...this.unattended].map((entry) => [entry, true])),
      pools: this.pools.pools,
      poolUnits: this.pools.units,
      loans: this.pools.loans,
      entitled: this.pools.entitled,
      refusedDraws: this.pools.refused,
      poolRejected: this.pools.rejected,
    };
    return JSON.stringify(
      Object.fromEntries(
        Object.entries(maps).map(([name, map]) => [name, [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1))]),
      ),
    );
  }

  /** Whether the contract's lifecycle entry was taken out of the attention index (and not put back since). */
  lifecycleUnattended(contractId: string): boolean {
    return this.unattended.has(key('contract', contractId));
  }

  /** The idempotency record of one identity (source, eventId). */
  processedEvent(eventId: string, source = DEFAULT_EVENT_SOURCE): ProcessedEventRecord | undefined {
    return this.processed.get(source, eventId);
  }

  /** Lets an idempotency record expire, as its TTL does after PROCESSED_EVENT_RETENTION_DAYS. */
  expireProcessedEvent(eventId: string, source = DEFAULT_EVENT_SOURCE): void {
    this.processed.delete(source, eventId);
  }

  rejectedOf(contractId: string): RejectedRecord[] {
    return this.partitionOf(contractId, 'rejected', this.rejected);
  }

  noticesOfType(type: string): StoredNotice[] {
    return this.outbox.all().filter((notice) => notice.type === type);
  }

  private partitionOf<T>(contractId: string, kind: PartitionKind, map: ReadonlyMap<string, T>): T[] {
    const keys = this.partitions.get(contractId)?.[kind];
    if (keys === undefined) return [];
    const found: T[] = [];
    for (const k of keys) {
      const record = map.get(k);
      if (record !== undefined) found.push(record);
    }
    return found;
  }

  private sortedParked(parked: ParkedRecord[]): ParkedRecord[] {
    return parked.sort((a, b) =>
      a.occurredAt !== b.occurredAt ? a.occurredAt - b.occurredAt : compareKeys(`${a.source}#${a.eventId}`, `${b.source}#${b.eventId}`),
    );
  }

  private noteInPartition(contractId: string, kind: PartitionKind, k: string, present: boolean): void {
    let keys = this.partitions.get(contractId);
    if (keys === undefined) {
      keys = { cases: new Set(), years: new Set(), ledger: new Set(), parked: new Set(), rejected: new Set(), quarantined: new Set() };
      this.partitions.set(contractId, keys);
    }
    if (present) keys[kind].add(k);
    else keys[kind].delete(k);
  }

  /**
   * As DynamoDB's TransactWriteItems: two operations on one item fail the request (one write cannot).
   * Pairs are compared by item kind first: a commit's writes are mostly of different kinds, so a write's
   * key is built only when another of its kind is in the commit, and then once.
   */
  private assertOneOperationPerItem(writes: readonly StoreWrite[]): void {
    let targets: (string | undefined)[] | null = null;
    for (let i = 1; i < writes.length; i += 1) {
      const write = writes[i] as StoreWrite;
      const kind = itemKind(write);
      for (let j = 0; j < i; j += 1) {
        const earlier = writes[j] as StoreWrite;
        if (itemKind(earlier) !== kind) continue;
        targets ??= [];
        const target = (targets[i] ??= this.target(write));
        if ((targets[j] ??= this.target(earlier)) === target) {
          throw Object.assign(new Error('Transaction request cannot include multiple operations on one item'), { name: 'ValidationException' });
        }
      }
    }
  }

  /** The item a write operates on: its kind (`itemKind`, so the two never disagree), then its key parts. */
  private target(write: StoreWrite): string {
    const kind = itemKind(write);
    switch (write.kind) {
      case 'processedEvent':
        return key(kind, write.record.source, write.record.eventId);
      case 'contract':
        return key(kind, write.record.terms.contractId);
      case 'contractAbsent':
        return key(kind, write.contractId);
      case 'case':
        return key(kind, write.record.contractId, write.record.caseId);
      case 'year':
        return key(kind, write.record.contractId, write.record.yearIndex);
      case 'ledger':
        return key(kind, write.entry.contractId, write.entry.yearIndex, write.entry.seq);
      case 'notice':
        return key(kind, write.notice.contractId ?? 'OPS', write.notice.id);
      case 'park':
      case 'unpark':
        return key(kind, this.parkedKey(write.record));
      case 'rejected':
        return key(kind, this.rejectedKey(write.record));
      case 'quarantine':
        return key(kind, write.record.contractId, write.record.kind, write.record.id);
      case 'release':
        return key(kind, write.item.contractId, write.item.kind, write.item.id);
      case 'unattend':
        return this.attentionTarget(write.entry);
      case 'pool':
        return key(kind, this.pools.target(write.write));
    }
  }

  private attentionTarget(entry: Extract<StoreWrite, { kind: 'unattend' }>['entry']): string {
    switch (entry.kind) {
      case 'case':
        return key('case', entry.contractId, entry.caseId);
      case 'parked':
        return key('parked', entry.ref.contractId, entry.ref.occurredAt, entry.ref.source, entry.ref.eventId);
      case 'lifecycle':
        return key('contract', entry.contractId);
    }
  }

  /** Whether the item an attention entry belongs to exists (the DynamoDB update's condition). */
  private attentionItemExists(entry: Extract<StoreWrite, { kind: 'unattend' }>['entry']): boolean {
    switch (entry.kind) {
      case 'case':
        return this.cases.has(this.caseKey(entry.contractId, entry.caseId));
      case 'parked':
        return this.parked.has(key(entry.ref.contractId, entry.ref.occurredAt, entry.ref.source, entry.ref.eventId));
      case 'lifecycle':
        return this.contracts.has(entry.contractId);
    }
  }

  private conditionFailure(write: StoreWrite): 'duplicate' | 'conflict' | 'noticeExists' | null {
    switch (write.kind) {
      case 'processedEvent': {
        const stored = this.processed.outcomeOf(write.record.source, write.record.eventId);
        const holds = stored === undefined || (write.replaces === 'parked' && stored === 'parked');
        return holds ? null : 'duplicate';
      }
      case 'contract':
        return versionHolds(this.contracts.get(write.record.terms.contractId), write.record.version) ? null : 'conflict';
      case 'contractAbsent':
        return this.contracts.has(write.contractId) ? 'conflict' : null;
      case 'case':
        return versionHolds(this.cases.get(this.caseKey(write.record.contractId, write.record.caseId)), write.record.version) ? null : 'conflict';
      case 'year':
        return versionHolds(this.years.get(key(write.record.contractId, write.record.yearIndex)), write.record.version) ? null : 'conflict';
      case 'ledger':
        return this.ledger.has(key(write.entry.contractId, write.entry.yearIndex, write.entry.seq)) ? 'conflict' : null;
      case 'notice':
        return this.outbox.has(write.notice) ? 'noticeExists' : null;
      case 'park':
        return this.parked.has(this.parkedKey(write.record)) ? 'duplicate' : null;
      case 'unpark':
        return this.parked.has(this.parkedKey(write.record)) ? null : 'duplicate';
      case 'rejected':
        return this.rejected.has(this.rejectedKey(write.record)) ? 'duplicate' : null;
      case 'quarantine':
      case 'release':
        return null;
      case 'unattend':
        return this.attentionItemExists(write.entry) ? null : 'conflict';
      case 'pool':
        return this.pools.conditionFailure(write.write);
    }
  }

  /** The key of a case in `cases` (`contractId`, NUL, `caseId`), built again only for another case than the last. */
  private caseKey(contractId: string, caseId: string): string {
    if (caseId !== this.lastCaseId || contractId !== this.lastContractId) {
      this.lastCaseKey = key(contractId, caseId);
      this.lastContractId = contractId;
      this.lastCaseId = caseId;
    }
    return this.lastCaseKey;
  }

  private parkedKey(record: ParkedRef): string {
    return key(record.contractId, record.occurredAt, record.source, record.eventId);
  }

  /** One per identity and digest, like REJECTED#<source>#<digest>#<eventId>. */
  private rejectedKey(record: RejectedRecord): string {
    return key(record.contractId, record.source, record.digest, record.eventId);
  }

  /**
   * The case as kept, at `version`: every field in the object itself (a spread keeps half of them in a
   * second array, ≈ 30 B more), its lists of sources and warned clocks shared by every case with the same
   * ones. A long replay keeps a record per case to the end; records are readonly, so sharing is safe.
   */
  private storedCase(record: CaseRecord, version: number, previous: CaseRecord | undefined): CaseRecord {
    if (record.overflow !== undefined) return { ...record, version };
    return {
      contractId: record.contractId,
      caseId: record.caseId,
      events: record.events,
      warned: record.warned === previous?.warned ? record.warned : this.lists.shared(record.warned),
      decided: record.decided,
      nextAttentionAt: record.nextAttentionAt,
      sources: record.sources === previous?.sources ? record.sources : this.lists.shared(record.sources),
      version,
    };
  }

  private attendCase(k: string, record: CaseRecord): void {
    if (record.nextAttentionAt === null) {
      this.dueCaseIndex.delete(k);
      return;
    }
    // A case in the index moves to its new instant with the shard and sort-key tail it has.
    if (this.dueCaseIndex.move(k, record.nextAttentionAt)) return;
    const identity = `${record.contractId}#${record.caseId}`;
    this.dueCaseIndex.set(k, record.nextAttentionAt, shardOf('case', identity), identity, {
      contractId: record.contractId,
      caseId: record.caseId,
    });
  }

  private apply(write: StoreWrite): void {
    switch (write.kind) {
      case 'processedEvent':
        this.processed.set(write.record);
        return;
      case 'contract':
        this.contracts.set(write.record.terms.contractId, { ...write.record, version: write.record.version + 1 });
        this.unattended.delete(key('contract', write.record.terms.contractId));
        return;
      case 'contractAbsent':
        return;
      case 'case': {
        const k = this.caseKey(write.record.contractId, write.record.caseId);
        const record = this.storedCase(write.record, write.record.version + 1, this.cases.get(k));
        this.cases.set(k, record);
        // A record read at version 0 is new; any other was stored, and noted in its partition, before.
        if (write.record.version === 0) this.noteInPartition(record.contractId, 'cases', k, true);
        this.attendCase(k, record);
        return;
      }
      case 'year': {
        const k = key(write.record.contractId, write.record.yearIndex);
        this.years.set(k, { ...write.record, version: write.record.version + 1 });
        if (write.record.version === 0) this.noteInPartition(write.record.contractId, 'years', k, true);
        return;
      }
      case 'ledger': {
        const k = key(write.entry.contractId, write.entry.yearIndex, write.entry.seq);
        this.ledger.set(k, write.entry);
        this.noteInPartition(write.entry.contractId, 'ledger', k, true);
        return;
      }
      case 'notice':
        this.outbox.add(write.notice);
        return;
      case 'park': {
        const { record } = write;
        const k = this.parkedKey(record);
        this.parked.set(k, record);
        this.noteInPartition(record.contractId, 'parked', k, true);
        const identity = `${record.contractId}#${record.source}#${record.eventId}`;
        this.parkedIndex.set(k, record.receivedAt + DAY_MS, shardOf('parked', identity), identity, {
          contractId: record.contractId,
          occurredAt: record.occurredAt,
          source: record.source,
          eventId: record.eventId,
        });
        return;
      }
      case 'unpark': {
        const k = this.parkedKey(write.record);
        this.parked.delete(k);
        this.noteInPartition(write.record.contractId, 'parked', k, false);
        this.parkedIndex.delete(k);
        this.unattended.delete(key('parked', k));
        return;
      }
      case 'rejected': {
        const k = this.rejectedKey(write.record);
        this.rejected.set(k, write.record);
        this.noteInPartition(write.record.contractId, 'rejected', k, true);
        return;
      }
      case 'quarantine': {
        const k = key(write.record.contractId, write.record.kind, write.record.id);
        this.quarantined.set(k, write.record);
        this.noteInPartition(write.record.contractId, 'quarantined', k, true);
        return;
      }
      case 'release': {
        const k = key(write.item.contractId, write.item.kind, write.item.id);
        this.quarantined.delete(k);
        this.noteInPartition(write.item.contractId, 'quarantined', k, false);
        return;
      }
      case 'unattend': {
        const { entry } = write;
        if (entry.kind === 'case') {
          const caseKey = this.caseKey(entry.contractId, entry.caseId);
          const stored = this.cases.get(caseKey);
          if (stored !== undefined) this.cases.set(caseKey, this.storedCase({ ...stored, nextAttentionAt: null }, stored.version, stored));
          this.dueCaseIndex.delete(caseKey);
        } else {
          if (entry.kind === 'parked') this.parkedIndex.delete(this.parkedKey(entry.ref));
          this.unattended.add(this.attentionTarget(entry));
        }
        return;
      }
      case 'pool':
        this.pools.apply(write.write);
        return;
    }
  }
}

/** Total credit booked per breach across the ledger: what the customer was credited, net. */
export function netCredits(store: MemoryStore): Map<string, number> {
  const net = new Map<string, number>();
  for (const entry of store.ledger.values()) {
    const k = breachKey(entry.caseId, entry.kpi);
    net.set(k, (net.get(k) ?? 0) + entry.amountMinor);
  }
  return net;
}
