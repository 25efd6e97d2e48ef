/**
 * The Store on DynamoDB (one table, lib-dynamodb document client). Every request asks for its consumed
 * capacity so a meter can count round trips and write units per call (bench/intake.ts).
 */
import { PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { TransientDependencyError } from '../errors.ts';
import type { Instant } from '#domain/time.ts';
import {
  caseFromItems,
  caseLeafKeys,
  contractFromItem,
  ledgerEntriesFromItem,
  yearFromItems,
  yearLeafKeys,
  noticeFromItem,
  noticeItem,
  parkedFromItem,
  processedEventFromItem,
  quarantineFromItem,
  rejectedFromItem,
  type Item,
} from './items.ts';
import {
  attentionPk,
  attentionShards,
  caseKey,
  contractIdOfPk,
  contractKey,
  contractPk,
  dueBefore,
  eventKey,
  identityOfSegment,
  parkedKey,
  SK_PREFIX,
  yearKey,
  type ItemKey,
} from './keys.ts';
import type {
  CaseRecord,
  CaseRef,
  CommitResult,
  ContractPartition,
  ContractRecord,
  EventContext,
  EventContextRequest,
  NoticeRecord,
  ParkedRecord,
  ParkedRef,
  Store,
  StoreWrite,
  YearRecord,
} from './store.ts';
import {
  assertWithinTransactionLimits,
  planWrites,
  resultOfCancellation,
  type CancellationReasonLike,
  type ExistingNotices,
} from './transaction.ts';
import { ATTENTION_INDEX } from './table-definition.ts';
import { errorName, translateDynamoError } from './dynamo-errors.ts';
import { batchGetAll } from './batch-get.ts';
import { queryAll, type PaginatedQueryInput } from './paginated-query.ts';

/** One DynamoDB request as the meter sees it. */
export interface StoreRequest {
  readonly operation: 'BatchGetItem' | 'Query' | 'TransactWriteItems' | 'PutItem' | 'UpdateItem';
  readonly readUnits: number;
  /** Write units of the request: the table's and the attention index's. */
  readonly writeUnits: number;
  /** The table's share of `writeUnits`. */
  readonly tableWriteUnits: number;
}

export interface DynamoStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Called after every request (each is one round trip). */
  readonly onRequest?: (request: StoreRequest) => void;
}


const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);


/**
 * Reads consume read units and writes write units. `CapacityUnits` is the total (table and indexes);
 * `Table.CapacityUnits` is the table's share, the rest went to maintaining the attention index.
 */
function sumCapacity(
  operation: StoreRequest['operation'],
  capacity: ConsumedCapacity[] | ConsumedCapacity | undefined,
): Omit<StoreRequest, 'operation'> {
  const list = capacity === undefined ? [] : Array.isArray(capacity) ? capacity : [capacity];
  const total = list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
  const table = list.reduce((sum, entry) => sum + (entry.Table?.CapacityUnits ?? entry.CapacityUnits ?? 0), 0);
  const isRead = operation === 'BatchGetItem' || operation === 'Query';
  return isRead
    ? { readUnits: total, writeUnits: 0, tableWriteUnits: 0 }
    : { readUnits: 0, writeUnits: total, tableWriteUnits: table };
}

/** The ids of the notice puts at `positions` of a planned commit (planned items do not map one to one to writes). */
function noticeIdsAt(planned: readonly { item: { Put?: { Item?: Record<string, unknown> } } }[], result: ExistingNotices): string[] {
  return result.existingNotices.map((index) => {
    const id = planned[index]?.item.Put?.Item?.id;
    return typeof id === 'string' ? id : '';
  });
}

const keyText = (key: ItemKey): string => `${key.pk}\u0000${key.sk}`;

const isLeaf = (item: Item): boolean => item.entity === 'overflow';

export class DynamoStore implements Store {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly onRequest: (request: StoreRequest) => void;

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.onRequest = options.onRequest ?? (() => undefined);
  }

  async readEventContext(request: EventContextRequest): Promise<EventContext> {
    const keys = [eventKey(request.source, request.eventId), contractKey(request.contractId)];
    if (request.caseId !== null) keys.push(caseKey(request.contractId, request.caseId));
    const items = await this.batchGet(keys);
    const found = (key: ItemKey): Item | undefined => items.get(keyText(key));
    const processed = found(keys[0] as ItemKey);
    const contract = found(keys[1] as ItemKey);
    const caseItem = keys[2] === undefined ? undefined : found(keys[2]);
    return {
      processed: processed === undefined ? null : processedEventFromItem(processed),
      contract: contract === undefined ? null : contractFromItem(contract),
      case: caseItem === undefined ? null : (await this.withLeaves([caseItem], caseLeafKeys, caseFromItems))[0] ?? null,
    };
  }

  async readYears(contractId: string, yearIndexes: readonly number[]): Promise<YearRecord[]> {
    const keys = [...new Set(yearIndexes)].map((index) => yearKey(contractId, index));
    const items = await this.batchGet(keys);
    return this.withLeaves([...items.values()], yearLeafKeys, yearFromItems);
  }

  /**
   * Records from main items, their overflow leaves read in one more round trip, only when a main item
   * lists leaves (an ordinary case or year costs nothing more).
   */
  private async withLeaves<T>(
    mains: readonly Item[],
    leafKeys: (main: Item) => ItemKey[],
    join: (main: Item, leaves: readonly Item[]) => T,
  ): Promise<T[]> {
    const keysOf = new Map(mains.map((main) => [main, leafKeys(main)]));
    const wanted = [...keysOf.values()].flat();
    const leaves = wanted.length === 0 ? new Map<string, Item>() : await this.batchGet(wanted);
    return mains.map((main) =>
      join(
        main,
        (keysOf.get(main) ?? []).flatMap((key) => {
          const leaf = leaves.get(keyText(key));
          return leaf === undefined ? [] : [leaf];
        }),
      ),
    );
  }

  async readCases(refs: readonly CaseRef[]): Promise<{ contract: ContractRecord; case: CaseRecord }[]> {
    const keys = [
      ...refs.map((ref) => contractKey(ref.contractId)),
      ...refs.map((ref) => caseKey(ref.contractId, ref.caseId)),
    ];
    const items = await this.batchGet(keys);
    const found: { contract: Item; case: Item }[] = [];
    for (const ref of refs) {
      const contract = items.get(keyText(contractKey(ref.contractId)));
      const caseItem = items.get(keyText(caseKey(ref.contractId, ref.caseId)));
      if (contract !== undefined && caseItem !== undefined) found.push({ contract, case: caseItem });
    }
    const cases = await this.withLeaves(found.map((f) => f.case), caseLeafKeys, caseFromItems);
    return found.map((f, index) => ({ contract: contractFromItem(f.contract), case: cases[index] as CaseRecord }));
  }

  async readParkedOf(contractId: string): Promise<ParkedRecord[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': contractPk(contractId), ':prefix': SK_PREFIX.parked },
      ConsistentRead: true,
    });
    return items.map(parkedFromItem);
  }

  async readParked(refs: readonly ParkedRef[]): Promise<ParkedRecord[]> {
    const items = await this.batchGet(refs.map((ref) => parkedKey(ref.contractId, ref.occurredAt, ref.source, ref.eventId)));
    return [...items.values()].map(parkedFromItem);
  }

  async dueCases(now: Instant): Promise<CaseRef[]> {
    const keys = await this.queryAttention('case', now);
    return keys.map((key) => ({ contractId: contractIdOfPk(key.pk), caseId: key.sk.slice(SK_PREFIX.case.length) }));
  }

  async overdueParked(now: Instant): Promise<ParkedRef[]> {
    const keys = await this.queryAttention('parked', now);
    return keys.map((key) => {
      // PARKED#<24-char ISO instant>#<source>#<eventId>
      const rest = key.sk.slice(SK_PREFIX.parked.length);
      return { contractId: contractIdOfPk(key.pk), occurredAt: Date.parse(rest.slice(0, 24)), ...identityOfSegment(rest.slice(25)) };
    });
  }

  async readContractPartition(contractId: string): Promise<ContractPartition> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': contractPk(contractId) },
      ConsistentRead: true,
    });
    const partition = {
      contract: null as ContractRecord | null,
      cases: [] as CaseRecord[],
      years: [] as YearRecord[],
      ledger: [] as ContractPartition['ledger'][number][],
      notices: [] as ContractPartition['notices'][number][],
      parked: [] as ParkedRecord[],
      rejected: [] as ContractPartition['rejected'][number][],
      quarantined: [] as ContractPartition['quarantined'][number][],
    };
    const leaves = new Map(items.filter(isLeaf).map((item) => [item.sk as string, item]));
    const leavesOf = (keys: readonly ItemKey[]): Item[] =>
      keys.flatMap((key) => {
        const leaf = leaves.get(key.sk);
        return leaf === undefined ? [] : [leaf];
      });
    for (const item of items) {
      const sk = item.sk as string;
      if (sk === 'CONTRACT') partition.contract = contractFromItem(item);
      else if (sk.startsWith(SK_PREFIX.case)) partition.cases.push(caseFromItems(item, leavesOf(caseLeafKeys(item))));
      else if (sk.startsWith(SK_PREFIX.year)) partition.years.push(yearFromItems(item, leavesOf(yearLeafKeys(item))));
      else if (sk.startsWith(SK_PREFIX.ledger)) partition.ledger.push(...ledgerEntriesFromItem(item));
      else if (sk.startsWith(SK_PREFIX.notice)) partition.notices.push(noticeFromItem(item));
      else if (sk.startsWith(SK_PREFIX.parked)) partition.parked.push(parkedFromItem(item));
      else if (sk.startsWith(SK_PREFIX.rejected)) partition.rejected.push(rejectedFromItem(item));
      else if (sk.startsWith(SK_PREFIX.quarantine)) partition.quarantined.push(quarantineFromItem(item));
    }
    return partition;
  }

  /**
   * One transaction. A notice put that fails only because its deterministic notice exists is not a
   * conflict: the notice was created by an earlier commit of the same cause (an event re-sent after its
   * idempotency record expired), so the rest is committed again without it, every other condition kept.
   * Each retry drops at least one write, so this ends.
   */
  async commit(writes: readonly StoreWrite[]): Promise<CommitResult> {
    let pending = writes;
    for (;;) {
      const result = await this.commitOnce(pending);
      if (typeof result === 'string') return result;
      // Only notice puts failed: those notices exist already (deterministic ids), so commit the rest.
      const existing = new Set(result.existingNotices);
      pending = pending.filter((write) => write.kind !== 'notice' || !existing.has(write.notice.id));
    }
  }

  private async commitOnce(writes: readonly StoreWrite[]): Promise<CommitResult | { existingNotices: readonly string[] }> {
    if (writes.length === 0) return 'committed';
    const planned = planWrites(this.tableName, writes);
    assertWithinTransactionLimits(planned);
    try {
      const output = await this.client.send(
        new TransactWriteCommand({ TransactItems: planned.map((p) => p.item), ReturnConsumedCapacity: 'INDEXES' }),
      );
      this.meter('TransactWriteItems', output.ConsumedCapacity);
      return 'committed';
    } catch (error) {
      this.meter('TransactWriteItems', undefined);
      if (errorName(error) === 'TransactionCanceledException') {
        const reasons = ((error as { CancellationReasons?: CancellationReasonLike[] }).CancellationReasons ?? []);
        const result = resultOfCancellation(planned, reasons);
        if (result !== null) return typeof result === 'string' ? result : { existingNotices: noticeIdsAt(planned, result) };
        if (reasons.some((reason) => TRANSIENT_REASONS.has(reason.Code ?? ''))) {
          throw new TransientDependencyError(`transaction cancelled: ${reasons.map((r) => r.Code ?? 'None').join(', ')}`, { cause: error });
        }
      }
      throw this.translate(error);
    }
  }

  async createNoticeOnce(notice: NoticeRecord): Promise<boolean> {
    try {
      const output = await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: noticeItem(notice),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
      this.meter('PutItem', output.ConsumedCapacity);
      return true;
    } catch (error) {
      this.meter('PutItem', undefined);
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw this.translate(error);
    }
  }

  /** One Query per shard of `kind`, all at once; the keys in shard order. */
  private async queryAttention(kind: 'case' | 'parked', now: Instant): Promise<ItemKey[]> {
    const perShard = await Promise.all(
      attentionShards(kind).map((shard) =>
        this.query({
          IndexName: ATTENTION_INDEX.name,
          KeyConditionExpression: 'apk = :apk AND ask < :upper',
          ExpressionAttributeValues: { ':apk': attentionPk(kind, shard), ':upper': dueBefore(now) },
        }),
      ),
    );
    return perShard.flat().map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
  }

  private query(input: PaginatedQueryInput): Promise<Item[]> {
    return queryAll(
      { client: this.client, tableName: this.tableName, returnConsumedCapacity: 'INDEXES', onPage: (output) => this.meter('Query', output.ConsumedCapacity) },
      input,
    );
  }

  /** Strongly consistent reads: a retry after a lost race must see the winner's write. */
  private async batchGet(keys: readonly ItemKey[]): Promise<Map<string, Item>> {
    const unique = [...new Map(keys.map((key) => [keyText(key), key])).values()];
    const items = await batchGetAll(
      {
        client: this.client,
        tableName: this.tableName,
        returnConsumedCapacity: 'INDEXES',
        onResponse: (output) => this.meter('BatchGetItem', output.ConsumedCapacity),
      },
      unique.map((k) => ({ pk: k.pk, sk: k.sk })),
    );
    const found = new Map<string, Item>();
    for (const item of items) found.set(keyText({ pk: item.pk as string, sk: item.sk as string }), item);
    return found;
  }

  private translate(error: unknown): unknown {
    return translateDynamoError(error);
  }

  private meter(operation: StoreRequest['operation'], capacity: ConsumedCapacity[] | ConsumedCapacity | undefined): void {
    this.onRequest({ operation, ...sumCapacity(operation, capacity) });
  }
}

/** Counts round trips and consumed units; reset it between measured calls. */
export class StoreMeter {
  roundTrips = 0;
  readUnits = 0;
  writeUnits = 0;
  tableWriteUnits = 0;

  readonly record = (request: StoreRequest): void => {
    this.roundTrips += 1;
    this.readUnits += request.readUnits;
    this.writeUnits += request.writeUnits;
    this.tableWriteUnits += request.tableWriteUnits;
  };

  reset(): void {
    this.roundTrips = 0;
    this.readUnits = 0;
    this.writeUnits = 0;
    this.tableWriteUnits = 0;
  }
}
