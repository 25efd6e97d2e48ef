/**
 * The billing outbox on DynamoDB: a ledger item or a notice item with `billing = pending`. The ledger item
 * holds no currency, so the contract item is read with it (one consistent BatchGetItem).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Instant } from '#domain/time.ts';
import { creditEvent, noticeBillingEvent } from '#events/billing.ts';
import { batchGetAll } from './batch-get.ts';
import { BILLING_OUTBOX, type BillingOutboxRepository, type BillingSourceRef, type PendingBilling } from './billing-outbox-repository.ts';
import { errorName, translateDynamoError } from './dynamo-errors.ts';
import { contractFromItem, ledgerEntriesFromItem, noticeFromItem } from './items.ts';
import { contractKey, ledgerKey, noticeKey, type ItemKey } from './keys.ts';

export interface DynamoBillingOutboxOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export function billingItemKey(ref: BillingSourceRef): ItemKey {
  return ref.kind === 'credits' ? ledgerKey(ref.contractId, ref.yearIndex, ref.firstSeq) : noticeKey(ref.contractId, ref.noticeId);
}

export class DynamoBillingOutboxRepository implements BillingOutboxRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoBillingOutboxOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async pending(ref: BillingSourceRef): Promise<PendingBilling | null> {
    const key = billingItemKey(ref);
    const keys = ref.kind === 'credits' ? [{ ...key }, { ...contractKey(ref.contractId) }] : [{ ...key }];
    const items = await batchGetAll({ client: this.client, tableName: this.tableName }, keys, 'billing outbox keys');
    const item = items.find((candidate) => candidate.sk === key.sk);
    if (item?.[BILLING_OUTBOX.attribute] !== BILLING_OUTBOX.pending) return null;
    if (ref.kind === 'notice') {
      const event = noticeBillingEvent(noticeFromItem(item));
      return { ref, events: event === null ? [] : [event] };
    }
    const contract = items.find((candidate) => candidate.sk === contractKey(ref.contractId).sk);
    if (contract === undefined) throw new Error(`ledger item ${key.sk} of ${ref.contractId} has no contract item`);
    const { currency } = contractFromItem(contract).terms.annualFee;
    const entries = ledgerEntriesFromItem(item).sort((a, b) => a.seq - b.seq);
    return { ref, events: entries.map((entry) => creditEvent(entry, currency)) };
  }

  async markPublished(ref: BillingSourceRef, at: Instant): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: billingItemKey(ref),
          UpdateExpression: 'SET #billing = :published, billingPublishedAt = :at',
          ConditionExpression: '#billing = :pending',
          ExpressionAttributeNames: { '#billing': BILLING_OUTBOX.attribute },
          ExpressionAttributeValues: { ':published': BILLING_OUTBOX.published, ':pending': BILLING_OUTBOX.pending, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw translateDynamoError(error);
    }
  }
}
