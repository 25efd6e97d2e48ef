/**
 * An in-memory Store with the DynamoDB store's semantics: all-or-nothing commits, version conditions,
 * idempotency records, the attention index and its shards. For fast use-case tests and a zero-latency
 * benchmark. Records are stored and handed out as they are, without copies: every record type is readonly,
 * and the use cases build new records rather than change what they read.
 */
import { breachKey } from '#domain/credits.ts';
import { attentionShards, shardOf } from '#store/keys.ts';
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
  QuarantineRecord,
  RejectedRecord,
  Store,
  StoreWrite,
  YearRecord,
} from '#store/store.ts';
import type { Instant } from '#domain/time.ts';
import { DEFAULT_EVENT_SOURCE } from '#domain/model.ts';
import type { PoolEventContext, PoolRecord, PoolRepository, PoolState } from '#store/pool-repository.ts';
import { MemoryPools } from './memory-pools.ts';

const DAY_MS = 86_400_000;
const MAX_TRANSACTION_ITEMS = 100;

type StoredNotice = NoticeRecord & { state: string };

const key = (...parts: (string | number)[]): string => parts.join('\u0000');

export class MemoryStore implements Store, PoolRepository {
  /** The pool aggregate (memory-pools.ts); its writes commit with the rest. */
  readonly pools = new MemoryPools();
  readonly contracts = new Map<string, ContractRecord>();
  readonly cases = new Map<string, CaseRecord>();
  readonly years = new Map<string, YearRecord>();
  readonly ledger = new Map<string, LedgerRecord>();
  readonly notices = new Map<string, StoredNotice>();
  readonly processed = new Map<string, ProcessedEventRecord>();
  readonly parked = new Map<string, ParkedRecord>();
  readonly rejected = new Map<string, RejectedRecord>();
  readonly quarantined = new Map<string, QuarantineRecord>();
  /**
   * Parked events and contracts taken out of the attention index (`unattend`), as DynamoDB removes their
   * `apk`/`ask`: a contract write puts its lifecycle entry back, as `contractItem` does. A case has no
   * entry here: its attention instant is cleared instead, as the DynamoDB item's is.
   */
  readonly unattended = new Set<string>();
  /** Commits attempted, whatever their result. */
  commits = 0;
  /** The writes of every commit that landed, in order. */
  readonly committed: (readonly StoreWrite[])[] = [];
  /** Runs before each commit is checked: lets a test slip a competing write in between read and commit. */
  beforeCommit: (() => Promise<void>) | null = null;

  readPool(poolId: string): Promise<PoolState> {
    return Promise.resolve(this.pools.read(poolId));
  }

  readPoolEvent(request: { source: string; eventId: string; poolId: string; contractId: string | null }): Promise<PoolEventContext> {
    return Promise.resolve({
      processed: this.processed.get(key(request.source, request.eventId)) ?? null,
      contract: request.contractId === null ? null : this.contracts.get(request.contractId) ?? null,
      state: this.pools.read(request.poolId),
    });
  }

  listPools(): Promise<PoolRecord[]> {
    return Promise.resolve(this.pools.list());
  }

  readEventContext(request: EventContextRequest): Promise<EventContext> {
    return Promise.resolve({
      processed: this.processed.get(key(request.source, request.eventId)) ?? null,
      contract: this.contracts.get(request.contractId) ?? null,
      case: request.caseId === null ? null : this.cases.get(key(request.contractId, request.caseId)) ?? null,
    });
  }

  readYears(contractId: string, yearIndexes: readonly number[]): Promise<YearRecord[]> {
    const found = [...new Set(yearIndexes)].flatMap((index) => {
      const year = this.years.get(key(contractId, index));
      return year === undefined ? [] : [year];
    });
    return Promise.resolve(found);
  }

  readCases(refs: readonly CaseRef[]): Promise<{ contract: ContractRecord; case: CaseRecord }[]> {
    return Promise.resolve(
      refs.flatMap((ref) => {
        const contract = this.contracts.get(ref.contractId);
        const caseRecord = this.cases.get(key(ref.contractId, ref.caseId));
        return contract === undefined || caseRecord === undefined ? [] : [{ contract: contract, case: caseRecord }];
      }),
    );
  }

  readParkedOf(contractId: string): Promise<ParkedRecord[]> {
    const parked = [...this.parked.values()].filter((p) => p.contractId === contractId);
    // DynamoDB's order: PARKED#<occurredAt>#<source>#<eventId>.
    const order = (p: ParkedRecord): string => `${p.source}#${p.eventId}`;
    return Promise.resolve(
      parked.sort((a, b) => (a.occurredAt !== b.occurredAt ? a.occurredAt - b.occurredAt : order(a) < order(b) ? -1 : 1)),
    );
  }

  readParked(refs: readonly ParkedRef[]): Promise<ParkedRecord[]> {
    return Promise.resolve(
      refs.flatMap((ref) => {
        const parked = this.parked.get(key(ref.contractId, ref.occurredAt, ref.source, ref.eventId));
        return parked === undefined ? [] : [parked];
      }),
    );
  }

  /** Shard by shard, as the DynamoDB store's Queries return them. */
  dueCases(now: Instant): Promise<CaseRef[]> {
    const due = attentionShards('case').flatMap((shard) =>
      [...this.cases.values()].filter(
        (c) =>
          c.nextAttentionAt !== null &&
          c.nextAttentionAt <= now &&
          shardOf('case', `${c.contractId}#${c.caseId}`) === shard,
      ),
    );
    return Promise.resolve(due.map(({ contractId, caseId }) => ({ contractId, caseId })));
  }

  overdueParked(now: Instant): Promise<ParkedRef[]> {
    const overdue = attentionShards('parked').flatMap((shard) =>
      [...this.parked.values()].filter(
        (p) =>
          p.receivedAt + DAY_MS <= now &&
          shardOf('parked', `${p.contractId}#${p.source}#${p.eventId}`) === shard &&
          !this.unattended.has(key('parked', this.parkedKey(p))),
      ),
    );
    return Promise.resolve(
      overdue.map(({ contractId, occurredAt, source, eventId }) => ({ contractId, occurredAt, source, eventId })),
    );
  }

  readContractPartition(contractId: string): Promise<ContractPartition> {
    const of = <T extends { contractId: string | null }>(map: Map<string, T>): T[] =>
      [...map.values()].filter((record) => record.contractId === contractId);
    return Promise.resolve({
      contract: this.contracts.get(contractId) ?? null,
      cases: of(this.cases),
      years: of(this.years).sort((a, b) => a.yearIndex - b.yearIndex),
      ledger: of(this.ledger).sort((a, b) => (a.yearIndex !== b.yearIndex ? a.yearIndex - b.yearIndex : a.seq - b.seq)),
      notices: of(this.notices).sort((a, b) => (a.id < b.id ? -1 : 1)),
      parked: of(this.parked).sort((a, b) => a.occurredAt - b.occurredAt),
      rejected: of(this.rejected),
      quarantined: of(this.quarantined),
    });
  }

  async commit(writes: readonly StoreWrite[]): Promise<CommitResult> {
    this.commits += 1;
    if (this.beforeCommit !== null) await this.beforeCommit();
    if (writes.length > MAX_TRANSACTION_ITEMS) throw new RangeError(`${writes.length} writes exceed the transaction limit`);
    const targets = writes.map((write) => this.target(write));
    if (new Set(targets).size !== targets.length) throw new Error('ValidationException: two writes to one item');
    let conflict = false;
    const existingNotices = new Set<StoreWrite>();
    for (const write of writes) {
      const failure = this.conditionFailure(write);
      if (failure === 'duplicate') return 'duplicate';
      if (failure === 'conflict') conflict = true;
      if (failure === 'noticeExists') existingNotices.add(write);
    }
    if (conflict) return 'conflict';
    // As the DynamoDB store: a deterministic notice that exists counts as created; the rest commits.
    const landing = existingNotices.size === 0 ? writes : writes.filter((write) => !existingNotices.has(write));
    for (const write of landing) this.apply(write);
    this.committed.push(landing);
    return 'committed';
  }

  createNoticeOnce(notice: NoticeRecord): Promise<boolean> {
    const id = key(notice.contractId ?? 'OPS', notice.id);
    if (this.notices.has(id)) return Promise.resolve(false);
    this.notices.set(id, { ...notice, state: 'pending' });
    return Promise.resolve(true);
  }

  /** Every stored record in a stable order: equal snapshots mean equal state. */
  snapshot(): string {
    const maps = {
      contracts: this.contracts,
      cases: this.cases,
      years: this.years,
      ledger: this.ledger,
      notices: this.notices,
      processed: this.processed,
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
    return this.processed.get(key(source, eventId));
  }

  /** Lets an idempotency record expire, as its TTL does after PROCESSED_EVENT_RETENTION_DAYS. */
  expireProcessedEvent(eventId: string, source = DEFAULT_EVENT_SOURCE): void {
    this.processed.delete(key(source, eventId));
  }

  rejectedOf(contractId: string): RejectedRecord[] {
    return [...this.rejected.values()].filter((record) => record.contractId === contractId);
  }

  noticesOfType(type: string): StoredNotice[] {
    return [...this.notices.values()].filter((notice) => notice.type === type);
  }

  private target(write: StoreWrite): string {
    switch (write.kind) {
      case 'processedEvent':
        return key('event', write.record.source, write.record.eventId);
      case 'contract':
        return key('contract', write.record.terms.contractId);
      case 'contractAbsent':
        return key('contract', write.contractId);
      case 'case':
        return key('case', write.record.contractId, write.record.caseId);
      case 'year':
        return key('year', write.record.contractId, write.record.yearIndex);
      case 'ledger':
        return key('ledger', write.entry.contractId, write.entry.yearIndex, write.entry.seq);
      case 'notice':
        return key('notice', write.notice.contractId ?? 'OPS', write.notice.id);
      case 'park':
      case 'unpark':
        return key('parked', write.record.contractId, write.record.occurredAt, write.record.source, write.record.eventId);
      case 'rejected':
        return key('rejected', this.rejectedKey(write.record));
      case 'quarantine':
        return key('quarantine', write.record.contractId, write.record.kind, write.record.id);
      case 'release':
        return key('quarantine', write.item.contractId, write.item.kind, write.item.id);
      case 'unattend':
        return this.attentionTarget(write.entry);
      case 'pool':
        return key('pool', this.pools.target(write.write));
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
        return this.cases.has(key(entry.contractId, entry.caseId));
      case 'parked':
        return this.parked.has(key(entry.ref.contractId, entry.ref.occurredAt, entry.ref.source, entry.ref.eventId));
      case 'lifecycle':
        return this.contracts.has(entry.contractId);
    }
  }

  private conditionFailure(write: StoreWrite): 'duplicate' | 'conflict' | 'noticeExists' | null {
    const versionHolds = (stored: { version: number } | undefined, read: number): boolean =>
      read === 0 ? stored === undefined : stored?.version === read;
    switch (write.kind) {
      case 'processedEvent': {
        const stored = this.processed.get(key(write.record.source, write.record.eventId));
        const holds = stored === undefined || (write.replaces === 'parked' && stored.outcome === 'parked');
        return holds ? null : 'duplicate';
      }
      case 'contract':
        return versionHolds(this.contracts.get(write.record.terms.contractId), write.record.version) ? null : 'conflict';
      case 'contractAbsent':
        return this.contracts.has(write.contractId) ? 'conflict' : null;
      case 'case':
        return versionHolds(this.cases.get(key(write.record.contractId, write.record.caseId)), write.record.version)
          ? null
          : 'conflict';
      case 'year':
        return versionHolds(this.years.get(key(write.record.contractId, write.record.yearIndex)), write.record.version)
          ? null
          : 'conflict';
      case 'ledger':
        return this.ledger.has(key(write.entry.contractId, write.entry.yearIndex, write.entry.seq)) ? 'conflict' : null;
      case 'notice':
        return this.notices.has(key(write.notice.contractId ?? 'OPS', write.notice.id)) ? 'noticeExists' : null;
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

  private parkedKey(record: ParkedRecord): string {
    return key(record.contractId, record.occurredAt, record.source, record.eventId);
  }

  /** One per identity and digest, like REJECTED#<source>#<digest>#<eventId>. */
  private rejectedKey(record: RejectedRecord): string {
    return key(record.contractId, record.source, record.digest, record.eventId);
  }

  private apply(write: StoreWrite): void {
    switch (write.kind) {
      case 'processedEvent':
        this.processed.set(key(write.record.source, write.record.eventId), write.record);
        return;
      case 'contract':
        this.contracts.set(write.record.terms.contractId, { ...write.record, version: write.record.version + 1 });
        this.unattended.delete(key('contract', write.record.terms.contractId));
        return;
      case 'contractAbsent':
        return;
      case 'case':
        this.cases.set(key(write.record.contractId, write.record.caseId), {
          ...write.record,
          version: write.record.version + 1,
        });
        return;
      case 'year':
        this.years.set(key(write.record.contractId, write.record.yearIndex), {
          ...write.record,
          version: write.record.version + 1,
        });
        return;
      case 'ledger':
        this.ledger.set(key(write.entry.contractId, write.entry.yearIndex, write.entry.seq), write.entry);
        return;
      case 'notice':
        this.notices.set(key(write.notice.contractId ?? 'OPS', write.notice.id), { ...write.notice, state: 'pending' });
        return;
      case 'park':
        this.parked.set(this.parkedKey(write.record), write.record);
        return;
      case 'unpark':
        this.parked.delete(this.parkedKey(write.record));
        this.unattended.delete(key('parked', this.parkedKey(write.record)));
        return;
      case 'rejected':
        this.rejected.set(this.rejectedKey(write.record), write.record);
        return;
      case 'quarantine':
        this.quarantined.set(key(write.record.contractId, write.record.kind, write.record.id), write.record);
        return;
      case 'release':
        this.quarantined.delete(key(write.item.contractId, write.item.kind, write.item.id));
        return;
      case 'unattend': {
        const { entry } = write;
        if (entry.kind === 'case') {
          const caseKey = key(entry.contractId, entry.caseId);
          const stored = this.cases.get(caseKey);
          if (stored !== undefined) this.cases.set(caseKey, { ...stored, nextAttentionAt: null });
        } else {
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
