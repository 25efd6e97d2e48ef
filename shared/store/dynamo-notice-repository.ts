/**
 * The notice outbox on DynamoDB: conditional UpdateItem for the lease and each settlement, a transaction
 * when a settlement raises an operations alert or is `sent` (with the pointer SES feedback finds the
 * notice by), and the sparse attention index for the sweep. The
 * attention sort key always says when a notice next needs a look: its lease end, its deferral, its re-drive.
 */
import {
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Instant } from '#domain/time.ts';
import { TransientDependencyError } from '../errors.ts';
import { noticeFromItem, noticeItem, type Item } from './items.ts';
import { attentionPk, attentionShards, contractIdOfPk, dueBefore, noticeKey, OPS_PARTITION, SK_PREFIX, sortableInstant } from './keys.ts';
import type { NoticeLease, NoticeRef, NoticeRepository, NoticeState, StoredNotice } from './notice-repository.ts';
import type { NoticeRecord } from './store.ts';
import type { NoticePayload } from '#notices/types.ts';
import { ATTENTION_INDEX } from './table-definition.ts';
import { errorName, translateDynamoError } from './dynamo-errors.ts';
import { batchGetAll } from './batch-get.ts';
import { queryAll } from './paginated-query.ts';
import { sesMessageItem } from './feedback-items.ts';

export interface DynamoNoticeRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}


const NAMES = {
  '#state': 'state',
  '#attempts': 'attempts',
  '#leaseUntil': 'leaseUntil',
  '#notBefore': 'notBefore',
  '#redriveAt': 'redriveAt',
  '#ask': 'ask',
  '#apk': 'apk',
  '#messageId': 'messageId',
  '#reason': 'outcomeReason',
  '#settledAt': 'settledAt',
  '#payload': 'payload',
} as const;

/** Only the names an expression uses: DynamoDB refuses unused ones. */
function namesFor(...expressions: string[]): Record<string, string> {
  const text = expressions.join(' ');
  return Object.fromEntries(Object.entries(NAMES).filter(([name]) => text.includes(name)));
}

const HELD = '#state = :sending AND #attempts = :attempt';

const attentionSortKey = (at: Instant, id: string): string => `${sortableInstant(at)}#${id}`;

export function storedNoticeFromItem(item: Item): StoredNotice {
  const optional = <T>(value: unknown): T | null => (value ?? null) as T | null;
  return {
    ...noticeFromItem(item),
    state: item.state as NoticeState,
    attempts: (item.attempts ?? 0) as number,
    leaseUntil: optional<number>(item.leaseUntil),
    notBefore: optional<number>(item.notBefore),
    redriveAt: optional<number>(item.redriveAt),
    messageId: optional<string>(item.messageId),
    outcomeReason: optional<string>(item.outcomeReason),
  };
}


export class DynamoNoticeRepository implements NoticeRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoNoticeRepositoryOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async lease(ref: NoticeRef, now: Instant, leaseUntil: Instant): Promise<StoredNotice | null> {
    const update = 'SET #state = :sending, #attempts = if_not_exists(#attempts, :zero) + :one, #leaseUntil = :leaseUntil, #ask = :ask';
    const condition = '#state = :pending AND (attribute_not_exists(#notBefore) OR #notBefore <= :now)';
    const attributes = await this.update(ref, {
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: namesFor(update, condition),
      ExpressionAttributeValues: {
        ':sending': 'sending',
        ':pending': 'pending',
        ':zero': 0,
        ':one': 1,
        ':now': now,
        ':leaseUntil': leaseUntil,
        ':ask': attentionSortKey(leaseUntil, ref.id),
      },
      ReturnValues: 'ALL_NEW',
    });
    return attributes === null ? null : storedNoticeFromItem(attributes);
  }

  /** The settlement and the pointer from SES's message id to this notice, for its feedback, in one transaction. */
  async markSent(lease: NoticeLease, messageId: string, at: Instant): Promise<boolean> {
    const update = 'SET #state = :sent, #messageId = :messageId, #settledAt = :at REMOVE #apk, #ask, #leaseUntil, #notBefore, #redriveAt';
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: noticeKey(lease.ref.contractId, lease.ref.id),
                UpdateExpression: update,
                ConditionExpression: HELD,
                ExpressionAttributeNames: namesFor(update, HELD),
                ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId, ':at': at, ...heldValues(lease) },
              },
            },
            { Put: { TableName: this.tableName, Item: sesMessageItem(messageId, lease.ref, at) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) !== 'TransactionCanceledException') throw translate(error);
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      throw new TransientDependencyError(`notice settlement cancelled: ${reasons.map((r) => r.Code ?? 'None').join(', ')}`, {
        cause: error,
      });
    }
  }

  async release(lease: NoticeLease, notBefore: Instant, reason: string): Promise<boolean> {
    const update = 'SET #state = :pending, #notBefore = :notBefore, #redriveAt = :notBefore, #ask = :ask, #reason = :reason REMOVE #leaseUntil';
    const released = await this.update(lease.ref, {
      UpdateExpression: update,
      ConditionExpression: HELD,
      ExpressionAttributeNames: namesFor(update, HELD),
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':notBefore': notBefore,
        ':ask': attentionSortKey(notBefore, lease.ref.id),
        ':reason': reason,
        ...heldValues(lease),
      },
    });
    return released !== null;
  }

  async defer(lease: NoticeLease, notBefore: Instant, reason: string): Promise<boolean> {
    const update =
      'SET #state = :pending, #attempts = #attempts - :one, #notBefore = :notBefore, #redriveAt = :notBefore, #ask = :ask, #reason = :reason REMOVE #leaseUntil';
    const deferred = await this.update(lease.ref, {
      UpdateExpression: update,
      ConditionExpression: HELD,
      ExpressionAttributeNames: namesFor(update, HELD),
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':one': 1,
        ':notBefore': notBefore,
        ':ask': attentionSortKey(notBefore, lease.ref.id),
        ':reason': reason,
        ...heldValues(lease),
      },
    });
    return deferred !== null;
  }

  markSuperseded(lease: NoticeLease, reason: string, at: Instant): Promise<boolean> {
    return this.settleWithAlert(lease, 'superseded', reason, at, HELD, {}, null);
  }

  async restate(lease: NoticeLease, payload: NoticePayload): Promise<boolean> {
    const update = 'SET #payload = :payload';
    const restated = await this.update(lease.ref, {
      UpdateExpression: update,
      ConditionExpression: HELD,
      ExpressionAttributeNames: namesFor(update, HELD),
      ExpressionAttributeValues: { ':payload': payload, ...heldValues(lease) },
    });
    return restated !== null;
  }

  markFailed(lease: NoticeLease, reason: string, at: Instant, alert: NoticeRecord | null): Promise<boolean> {
    return this.settleWithAlert(lease, 'failed', reason, at, HELD, {}, alert);
  }

  markUnknown(lease: NoticeLease, reason: string, at: Instant, alert: NoticeRecord | null): Promise<boolean> {
    return this.settleWithAlert(lease, 'unknown', reason, at, HELD, {}, alert);
  }

  expireLease(lease: NoticeLease, now: Instant, reason: string, alert: NoticeRecord | null): Promise<boolean> {
    const condition = `${HELD} AND #leaseUntil <= :now`;
    return this.settleWithAlert(lease, 'unknown', reason, now, condition, { ':now': now }, alert);
  }

  async touch(ref: NoticeRef, nextRedriveAt: Instant): Promise<boolean> {
    const update = 'SET #redriveAt = :redriveAt, #ask = :ask';
    const condition = '#state = :pending';
    const touched = await this.update(ref, {
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: namesFor(update, condition),
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':redriveAt': nextRedriveAt,
        ':ask': attentionSortKey(nextRedriveAt, ref.id),
      },
    });
    return touched !== null;
  }

  /** One Query per notice shard, all at once; the refs in shard order. */
  async needingAttention(now: Instant): Promise<NoticeRef[]> {
    return (await Promise.all(attentionShards('notice').map((shard) => this.needingAttentionIn(shard, now)))).flat();
  }

  private async needingAttentionIn(shard: number, now: Instant): Promise<NoticeRef[]> {
    const items = await queryAll(
      { client: this.client, tableName: this.tableName },
      {
        IndexName: ATTENTION_INDEX.name,
        KeyConditionExpression: 'apk = :apk AND ask < :upper',
        ExpressionAttributeValues: { ':apk': attentionPk('notice', shard), ':upper': dueBefore(now) },
      },
    );
    return items.map((item) => {
      const pk = item.pk as string;
      const sk = item.sk as string;
      return { contractId: pk === OPS_PARTITION ? null : contractIdOfPk(pk), id: sk.slice(SK_PREFIX.notice.length) };
    });
  }

  async read(refs: readonly NoticeRef[]): Promise<StoredNotice[]> {
    const keys = [...new Map(refs.map((ref) => [`${ref.contractId ?? ''}\u0000${ref.id}`, noticeKey(ref.contractId, ref.id)])).values()];
    const items = await batchGetAll({ client: this.client, tableName: this.tableName }, keys.map((key) => ({ ...key })), 'notice keys');
    const found = items.map(storedNoticeFromItem);
    return found;
  }

  /** The updated item, or null when the condition failed. */
  private async update(
    ref: NoticeRef,
    input: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<Item | null> {
    try {
      const output = await this.client.send(
        new UpdateCommand({ ...input, TableName: this.tableName, Key: noticeKey(ref.contractId, ref.id) }),
      );
      return output.Attributes ?? {};
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return null;
      throw translate(error);
    }
  }

  /**
   * The settlement and its alert in one transaction. An alert that already exists (its id is derived
   * from the notice) cancels the transaction; the settlement is then written alone.
   */
  private async settleWithAlert(
    lease: NoticeLease,
    state: Extract<NoticeState, 'failed' | 'unknown' | 'superseded'>,
    reason: string,
    at: Instant,
    condition: string,
    conditionValues: Item,
    alert: NoticeRecord | null,
  ): Promise<boolean> {
    const update = 'SET #state = :state, #reason = :reason, #settledAt = :at REMOVE #apk, #ask, #leaseUntil, #notBefore, #redriveAt';
    const settlement = {
      TableName: this.tableName,
      Key: noticeKey(lease.ref.contractId, lease.ref.id),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: namesFor(update, condition),
      ExpressionAttributeValues: { ':state': state, ':reason': reason, ':at': at, ...heldValues(lease), ...conditionValues },
    };
    if (alert === null) return (await this.update(lease.ref, settlement)) !== null;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: settlement },
            { Put: { TableName: this.tableName, Item: noticeItem(alert), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) !== 'TransactionCanceledException') throw translate(error);
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return this.settleWithAlert(lease, state, reason, at, condition, conditionValues, null);
      throw new TransientDependencyError(`notice settlement cancelled: ${reasons.map((r) => r.Code ?? 'None').join(', ')}`, {
        cause: error,
      });
    }
  }
}

function heldValues(lease: NoticeLease): Item {
  return { ':sending': 'sending', ':attempt': lease.attempt };
}

const translate = translateDynamoError;
