/**
 * Turns a commit into TransactWriteItems entries, each tagged with what its condition guards, and maps a
 * cancellation back to a commit result (DynamoDB lists cancellation reasons in request order).
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  caseItem,
  contractItem,
  ledgerItem,
  noticeItem,
  parkedItem,
  processedEventItem,
  rejectedItem,
  yearItem,
  type Item,
} from './items.ts';
import { contractKey, parkedKey } from './keys.ts';
import type { CommitResult, StoreWrite } from './store.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * duplicate: the event was already processed; conflict: a read is stale; notice: a deterministic notice
 * that exists already, so its cause was told before (DESIGN §7: it exists exactly once); none: no condition.
 */
export type ConditionRole = 'duplicate' | 'conflict' | 'notice' | 'none';

export interface PlannedWrite {
  readonly item: TransactItem;
  readonly role: ConditionRole;
}

/** TransactWriteItems takes at most 100 actions (and 4 MB). */
export const MAX_TRANSACTION_ITEMS = 100;

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
      return {
        role: 'conflict',
        item: versionedPut(tableName, caseItem(write.record, write.record.version + 1), write.record.version),
      };
    case 'year':
      return {
        role: 'conflict',
        item: versionedPut(tableName, yearItem(write.record, write.record.version + 1), write.record.version),
      };
    case 'ledger':
      return { role: 'conflict', item: put(tableName, ledgerItem(write.entry), NOT_EXISTS) };
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
  }
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
