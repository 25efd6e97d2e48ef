/**
 * SES feedback and suppressions on DynamoDB: the message pointer and the notice read with GetItem; a
 * feedback settlement is one transaction (the notice, conditional on `sent` with the message id; its alert,
 * created once; the suppression, first cause kept); a suppression is one item per address hash.
 */
import {
  DeleteCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TransientDependencyError } from '../errors.ts';
import type {
  DeliveryFeedbackRepository,
  FeedbackSettlement,
  Suppression,
  SuppressionRepository,
} from './delivery-feedback-repository.ts';
import { errorName, translateDynamoError } from './dynamo-errors.ts';
import { storedNoticeFromItem } from './dynamo-notice-repository.ts';
import { noticeRefOfSesMessage, sesMessageKey, suppressionKey } from './feedback-items.ts';
import { noticeItem, type Item } from './items.ts';
import { noticeKey, type ItemKey } from './keys.ts';
import type { NoticeRef, StoredNotice } from './notice-repository.ts';

export interface DynamoDeliveryFeedbackRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

const STILL_SENT = '#state = :sent AND #messageId = :messageId';

export class DynamoDeliveryFeedbackRepository implements DeliveryFeedbackRepository, SuppressionRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDeliveryFeedbackRepositoryOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async noticeOfMessage(messageId: string): Promise<StoredNotice | null> {
    const pointer = await this.get(sesMessageKey(messageId));
    if (pointer === null) return null;
    const ref = noticeRefOfSesMessage(pointer);
    const notice = await this.get(noticeKey(ref.contractId, ref.id));
    return notice === null ? null : storedNoticeFromItem(notice);
  }

  async settle(settlement: FeedbackSettlement): Promise<boolean> {
    const { ref, messageId, state, reason, at, alert, suppression } = settlement;
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Update: {
          TableName: this.tableName,
          Key: noticeKey(ref.contractId, ref.id),
          UpdateExpression: 'SET #state = :state, #reason = :reason, #feedbackAt = :at',
          ConditionExpression: STILL_SENT,
          ExpressionAttributeNames: { '#state': 'state', '#reason': 'outcomeReason', '#feedbackAt': 'feedbackAt', '#messageId': 'messageId' },
          ExpressionAttributeValues: { ':state': state, ':reason': reason, ':at': at, ':sent': 'sent', ':messageId': messageId },
        },
      },
    ];
    if (alert !== null) {
      items.push({ Put: { TableName: this.tableName, Item: noticeItem(alert), ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    if (suppression !== null) {
      // if_not_exists on every attribute: a second bounce to a suppressed address keeps the first cause.
      const fields: Item = {
        entity: 'suppression',
        reason: suppression.reason,
        noticeId: suppression.noticeId,
        since: suppression.since,
        ...(suppression.contractId === null ? {} : { contractId: suppression.contractId }),
      };
      const names = Object.keys(fields);
      items.push({
        Update: {
          TableName: this.tableName,
          Key: suppressionKey(suppression.address),
          UpdateExpression: `SET ${names.map((name) => `#${name} = if_not_exists(#${name}, :${name})`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
        },
      });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (errorName(error) !== 'TransactionCanceledException') throw translateDynamoError(error);
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      // The alert exists already (its id is derived from the notice): settle without it.
      if (alert !== null && reasons[1]?.Code === 'ConditionalCheckFailed') return this.settle({ ...settlement, alert: null });
      throw new TransientDependencyError(`feedback settlement cancelled: ${reasons.map((r) => r.Code ?? 'None').join(', ')}`, {
        cause: error,
      });
    }
  }

  async note(ref: NoticeRef, messageId: string, note: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: noticeKey(ref.contractId, ref.id),
          UpdateExpression: 'SET #reason = :note',
          ConditionExpression: STILL_SENT,
          ExpressionAttributeNames: { '#state': 'state', '#reason': 'outcomeReason', '#messageId': 'messageId' },
          ExpressionAttributeValues: { ':note': note, ':sent': 'sent', ':messageId': messageId },
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw translateDynamoError(error);
    }
  }

  async suppressionOf(address: string): Promise<Suppression | null> {
    const item = await this.get(suppressionKey(address));
    if (item === null) return null;
    return {
      reason: item.reason as string,
      noticeId: item.noticeId as string,
      contractId: (item.contractId ?? null) as string | null,
      since: item.since as number,
    };
  }

  async releaseSuppression(address: string): Promise<boolean> {
    try {
      const output = await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: suppressionKey(address), ReturnValues: 'ALL_OLD' }),
      );
      return output.Attributes !== undefined;
    } catch (error) {
      throw translateDynamoError(error);
    }
  }

  private async get(key: ItemKey): Promise<Item | null> {
    try {
      const output = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return output.Item ?? null;
    } catch (error) {
      throw translateDynamoError(error);
    }
  }
}
