/**
 * Failure counts of the items the sweep and the lifecycle retry (docs/design.md#order-and-duplicates: retried a bounded number of
 * times, then quarantined). One small partition (`FAILING`) holds an item per item that is failing now:
 * the sweep reads it once a run, so an item that succeeds after failing is forgotten without a read per item.
 */
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Instant } from '#domain/time.ts';
import { translateDynamoError } from './dynamo-errors.ts';
import { failingKey, FAILING_PARTITION } from './keys.ts';
import { queryAll } from './paginated-query.ts';
import type { RetriedItemRef } from './retried-items.ts';

export interface ItemFailure extends RetriedItemRef {
  /** Failures counted so far. */
  readonly attempts: number;
  readonly reason: string;
  readonly lastFailedAt: Instant;
}

export interface ItemFailureRepository {
  /** Every item with failures counted and not yet forgotten (one Query). */
  failing(): Promise<ItemFailure[]>;
  /** Counts one more failure of the item; returns its count, this one included. */
  countFailure(item: RetriedItemRef, reason: string, at: Instant): Promise<number>;
  /** Forgets the failures of an item that succeeded, or was quarantined. */
  clearFailure(item: RetriedItemRef): Promise<void>;
}

/** The key of an item in `failing()` results and in the callers' maps. */
export const retriedItemKey = (item: RetriedItemRef): string => `${item.kind}#${item.contractId}#${item.id}`;

export class DynamoItemFailureRepository implements ItemFailureRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { readonly client: DynamoDBDocumentClient; readonly tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async failing(): Promise<ItemFailure[]> {
    const items = await queryAll(
      { client: this.client, tableName: this.tableName },
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': FAILING_PARTITION }, ConsistentRead: true },
    );
    return items.map((item) => ({
      kind: item.kind as ItemFailure['kind'],
      contractId: item.contractId as string,
      id: item.itemId as string,
      attempts: item.attempts as number,
      reason: item.reason as string,
      lastFailedAt: item.lastFailedAt as number,
    }));
  }

  async countFailure(item: RetriedItemRef, reason: string, at: Instant): Promise<number> {
    const output = await this.send(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: failingKey(item.kind, item.contractId, item.id),
          // Every attribute by name: DynamoDB reserves hundreds of words.
          UpdateExpression:
            'ADD #attempts :one SET #entity = :entity, #kind = :kind, #contractId = :contractId, #itemId = :itemId, #reason = :reason, #lastFailedAt = :at',
          ExpressionAttributeNames: {
            '#attempts': 'attempts',
            '#entity': 'entity',
            '#kind': 'kind',
            '#contractId': 'contractId',
            '#itemId': 'itemId',
            '#reason': 'reason',
            '#lastFailedAt': 'lastFailedAt',
          },
          ExpressionAttributeValues: {
            ':one': 1,
            ':entity': 'failure',
            ':kind': item.kind,
            ':contractId': item.contractId,
            ':itemId': item.id,
            ':reason': reason,
            ':at': at,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return (output.Attributes?.attempts ?? 1) as number;
  }

  async clearFailure(item: RetriedItemRef): Promise<void> {
    await this.send(() =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: failingKey(item.kind, item.contractId, item.id) })),
    );
  }

  private async send<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw translateDynamoError(error);
    }
  }
}
