/**
 * WebhookRequestRepository on the table: one item per seen request, `WEBHOOK#<source>` / `REQUEST#<fingerprint>`,
 * written with a conditional put and deleted by TTL. TTL deletes within days, not on time, so the
 * condition compares `expiresAt` itself: an expired claim may be taken again.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { errorName, translateDynamoError } from './dynamo-errors.ts';
import { webhookRequestKey } from './keys.ts';
import type { WebhookRequestRepository } from './webhook-request-repository.ts';

export interface DynamoWebhookRequestRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export class DynamoWebhookRequestRepository implements WebhookRequestRepository {
  constructor(private readonly options: DynamoWebhookRequestRepositoryOptions) {}

  async claim(source: string, fingerprint: string, now: number, expiresAt: number): Promise<boolean> {
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...webhookRequestKey(source, fingerprint), entity: 'webhook-request', seenAt: new Date(now).toISOString(), expiresAt: Math.ceil(expiresAt / 1000) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw translateDynamoError(error);
    }
  }

  async release(source: string, fingerprint: string): Promise<void> {
    try {
      await this.options.client.send(new DeleteCommand({ TableName: this.options.tableName, Key: webhookRequestKey(source, fingerprint) }));
    } catch (error) {
      throw translateDynamoError(error);
    }
  }
}
