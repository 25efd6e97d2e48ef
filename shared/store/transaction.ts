/**
 * Turns a commit into TransactWriteItems entries, each tagged with what its condition guards, and maps a
 * cancellation back to a commit result (DynamoDB lists cancellation reasons in request order).
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  caseItems,
  contractItem,
  knownItemSize,
  ledgerPackItem,
  noticeItem,
  parkedItem,
  processedEventItem,
  quarantineItem,
  rejectedItem,
  yearItems,
  type Item,
  type SplitItems,
} from './items.ts';
import { TransactionLimitError } from '../errors.ts';
import { caseKey, contractKey, parkedKey, quarantineKey, type ItemKey } from './keys.ts';
import { sizeOf } from './overflow.ts';
import { planPoolWrite } from './pool-items.ts';
import type { AttentionEntry, CommitResult, LedgerRecord, StoreWrite } from './store.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * duplicate: the event was already processed; conflict: a read is stale; notice: a deterministic notice
 * that exists already, so its cause was told before (docs/design.md#7-notices: it exists exactly once); none: no condition.
 */
export type ConditionRole = 'duplicate' | 'conflict' | 'notice' | 'none';

export interface PlannedWrite {
  readonly item: TransactItem;
  readonly role: ConditionRole;
}

/** TransactWriteItems takes at most 100 actions and 4 MB; an item is at most 400 KB. */
export const MAX_TRANSACTION_ITEMS = 100;
export const MAX_TRANSACTION_BYTES = 4_000_000;
export const MAX_ITEM_BYTES = 400_000;

const NOT_EXISTS = 'attribute_not_exists(pk)';

function put(tableName: string, item: Item, condition: string | null, values?: Item, names?: Record<string, string>): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ...(condition === null ? {} : { ConditionExpression: condition }),
      ...(values === undefined ? {} : { ExpressionAttributeValues: values }),
      ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
    },
  };
}

/** A versioned record is written as `version + 1`, only if the stored version is still the one read. */
function versionedPut(tableName: string, item: Item, readVersion: number): TransactItem {
  return readVersion === 0
    ? put(tableName, item, NOT_EXISTS)
    : put(tableName, item, '#version = :version', { ':version': readVersion }, { '#version': 'version' });
}

export function planWrite(tableName: string, write: StoreWrite): PlannedWrite {
  switch (write.kind) {
    case 'processedEvent':
      return write.replaces === 'nothing'
        ? { role: 'duplicate', item: put(tableName, processedEventItem(write.record), NOT_EXISTS) }
        : {
            role: 'duplicate',
            item: put(
              tableName,
              processedEventItem(write.record),
              `${NOT_EXISTS} OR #outcome = :parked`,
              { ':parked': 'parked' },
              { '#outcome': 'outcome' },
            ),
          };
    case 'contract':
      return {
        role: 'conflict',
        item: versionedPut(tableName, contractItem(write.record, write.record.version + 1), write.record.version),
      };
    case 'contractAbsent':
      return {
        role: 'conflict',
        item: { ConditionCheck: { TableName: tableName, Key: contractKey(write.contractId), ConditionExpression: NOT_EXISTS } },
      };
    case 'case':
    case 'year':
    case 'ledger':
      return only(planWrites(tableName, [write]));
    case 'notice':
      return { role: 'notice', item: put(tableName, noticeItem(write.notice), NOT_EXISTS) };
    case 'park':
      return { role: 'duplicate', item: put(tableName, parkedItem(write.record), NOT_EXISTS) };
    case 'unpark': {
      const { contractId, occurredAt, source, eventId } = write.record;
      return {
        role: 'duplicate',
        item: {
          Delete: {
            TableName: tableName,
            Key: parkedKey(contractId, occurredAt, source, eventId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      };
    }
    case 'rejected':
      // Once per identity and digest: a redelivered rejection (or conflicting duplicate) is a duplicate.
      return { role: 'duplicate', item: put(tableName, rejectedItem(write.record), NOT_EXISTS) };
    case 'quarantine':
      return { role: 'none', item: put(tableName, quarantineItem(write.record), null) };
    case 'release': {
      const { contractId, kind, id } = write.item;
      return { role: 'none', item: { Delete: { TableName: tableName, Key: quarantineKey(contractId, kind, id) } } };
    }
    case 'unattend':
      return { role: 'conflict', item: unattend(tableName, write.entry) };
    case 'pool':
      return planPoolWrite(tableName, write.write);
  }
}

function only(planned: readonly PlannedWrite[]): PlannedWrite {
  const [first] = planned;
  if (first === undefined || planned.length !== 1) throw new RangeError(`this write takes ${planned.length} transaction items`);
  return first;
}

/** A versioned record's main item on condition, and its overflow leaves (guarded by the main item's version). */
function splitPuts(tableName: string, split: SplitItems, readVersion: number): PlannedWrite[] {
  return [
    { role: 'conflict', item: versionedPut(tableName, split.main, readVersion) },
    ...split.leaves.map((leaf): PlannedWrite => ({ role: 'none', item: put(tableName, leaf, null) })),
    ...split.deletes.map((key: ItemKey): PlannedWrite => ({ role: 'none', item: { Delete: { TableName: tableName, Key: key } } })),
  ];
}

/**
 * The transaction items of a commit, in order: a case or year write brings its changed overflow leaves,
 * and the ledger entries of one year in one commit become one ledger item (at the first entry's place).
 */
export function planWrites(tableName: string, writes: readonly StoreWrite[]): PlannedWrite[] {
  const ledgerByYear = new Map<string, LedgerRecord[]>();
  for (const write of writes) {
    if (write.kind !== 'ledger') continue;
    const key = `${write.entry.contractId}\u0000${write.entry.yearIndex}`;
    ledgerByYear.set(key, [...(ledgerByYear.get(key) ?? []), write.entry]);
  }
  const planned: PlannedWrite[] = [];
  let splitAllowed = true; // one leaf split a commit (shared/store/overflow.ts)
  for (const write of writes) {
    if (write.kind === 'case' || write.kind === 'year') {
      const { version } = write.record;
      const split =
        write.kind === 'case' ? caseItems(write.record, version + 1, splitAllowed) : yearItems(write.record, version + 1, splitAllowed);
      if (split.split) splitAllowed = false;
      planned.push(...splitPuts(tableName, split, version));
    } else if (write.kind === 'ledger') {
      const key = `${write.entry.contractId}\u0000${write.entry.yearIndex}`;
      const entries = ledgerByYear.get(key);
      if (entries === undefined) continue; // already packed with the year's first entry
      ledgerByYear.delete(key);
      const sorted = [...entries].sort((a, b) => a.seq - b.seq);
      planned.push({ role: 'conflict', item: put(tableName, ledgerPackItem(sorted), NOT_EXISTS) });
    } else {
      planned.push(planWrite(tableName, write));
    }
  }
  return planned;
}

function itemOf(planned: PlannedWrite): Item | undefined {
  return planned.item.Put?.Item ?? planned.item.Delete?.Key ?? planned.item.Update?.Key ?? planned.item.ConditionCheck?.Key;
}

/** Throws a TransactionLimitError for a transaction DynamoDB would refuse (over 100 items, 4 MB, or an item over 400 KB). */
export function assertWithinTransactionLimits(planned: readonly PlannedWrite[]): void {
  if (planned.length > MAX_TRANSACTION_ITEMS) {
    throw new TransactionLimitError(
      `a commit of ${planned.length} transaction items exceeds the ${MAX_TRANSACTION_ITEMS}-item limit of TransactWriteItems`,
    );
  }
  let total = 0;
  for (const write of planned) {
    const item = itemOf(write);
    const bytes = item === undefined ? 0 : (knownItemSize(item) ?? sizeOf(item));
    if (bytes > MAX_ITEM_BYTES) {
      throw new TransactionLimitError(`item ${String(item?.sk)} would be ${bytes} bytes, past DynamoDB's 400 KB item limit`);
    }
    total += bytes;
  }
  if (total > MAX_TRANSACTION_BYTES) {
    throw new TransactionLimitError(`a commit of ${total} bytes exceeds the 4 MB limit of TransactWriteItems`);
  }
}

/** The item's attention attributes are removed; a case also forgets its attention instant (as the memory store does). */
function unattend(tableName: string, entry: AttentionEntry): TransactItem {
  const key: ItemKey =
    entry.kind === 'case'
      ? caseKey(entry.contractId, entry.caseId)
      : entry.kind === 'parked'
        ? parkedKey(entry.ref.contractId, entry.ref.occurredAt, entry.ref.source, entry.ref.eventId)
        : contractKey(entry.contractId);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: entry.kind === 'case' ? 'REMOVE apk, ask, nextAttentionAt' : 'REMOVE apk, ask',
      ConditionExpression: 'attribute_exists(pk)',
    },
  };
}

export interface CancellationReasonLike {
  readonly Code?: string | undefined;
}

/** Only notice puts failed: their notices exist; commit again without them (positions in request order). */
export interface ExistingNotices {
  readonly existingNotices: readonly number[];
}

/**
 * A failed idempotency condition wins over a stale read: the event is done, re-reading cannot change that.
 * A stale read wins over an existing notice: the change must be re-read and decided again. When only
 * notice puts failed, their positions are returned so the rest can be committed on its own conditions.
 * Returns null when the cancellation is not about our conditions (throttling, transaction conflicts).
 */
export function resultOfCancellation(
  planned: readonly PlannedWrite[],
  reasons: readonly CancellationReasonLike[],
): Exclude<CommitResult, 'committed'> | ExistingNotices | null {
  let conflict = false;
  const existingNotices: number[] = [];
  for (const [index, reason] of reasons.entries()) {
    if (reason.Code !== 'ConditionalCheckFailed') continue;
    const role = planned[index]?.role;
    if (role === 'duplicate') return 'duplicate';
    if (role === 'notice') existingNotices.push(index);
    else conflict = true;
  }
  if (conflict) return 'conflict';
  return existingNotices.length > 0 ? { existingNotices } : null;
}
