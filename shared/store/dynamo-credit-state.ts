/**
 * The credit state of a contract year on DynamoDB: the contract and year items in one consistent
 * BatchGetItem, the year's credit notices by one consistent Query of the contract's notices, filtered by
 * type and `payload.yearIndex` (notice ids are not parsed: their layout is the factory's business).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Kpi } from '#domain/model.ts';
import { batchGetAll } from './batch-get.ts';
import { CREDIT_NOTICE_TYPES, type CreditStateRepository, type CreditYearState } from './credit-state.ts';
import { storedNoticeFromItem } from './dynamo-notice-repository.ts';
import { contractFromItem, yearFromItem, type Item } from './items.ts';
import { caseKey, contractKey, contractPk, SK_PREFIX, yearKey } from './keys.ts';
import { queryAll } from './paginated-query.ts';

export interface DynamoCreditStateOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export class DynamoCreditState implements CreditStateRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoCreditStateOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async creditState(contractId: string, yearIndex: number): Promise<CreditYearState | null> {
    const [items, noticeItems] = await Promise.all([
      batchGetAll({ client: this.client, tableName: this.tableName }, [{ ...contractKey(contractId) }, { ...yearKey(contractId, yearIndex) }], 'credit state keys'),
      this.creditNoticeItems(contractId, yearIndex),
    ]);
    const contractItem = items.find((item) => item.sk === contractKey(contractId).sk);
    if (contractItem === undefined) return null;
    const yearItem = items.find((item) => item.sk === yearKey(contractId, yearIndex).sk);
    return {
      contract: contractFromItem(contractItem),
      year: yearItem === undefined ? null : yearFromItem(yearItem),
      notices: noticeItems.map(storedNoticeFromItem),
    };
  }

  async clockDecided(contractId: string, caseId: string, kpi: Kpi): Promise<boolean> {
    const [item] = await batchGetAll({ client: this.client, tableName: this.tableName }, [{ ...caseKey(contractId, caseId) }], 'case of a warning');
    // The decided clocks live on the case item itself, never in its overflow leaves.
    const decided = (item?.decided ?? {}) as Record<string, unknown>;
    return decided[kpi] !== undefined;
  }

  private async creditNoticeItems(contractId: string, yearIndex: number): Promise<Item[]> {
    const types = Object.fromEntries(CREDIT_NOTICE_TYPES.map((type, index) => [`:type${index}`, type]));
    return queryAll(
      { client: this.client, tableName: this.tableName },
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notices)',
        FilterExpression: `#type IN (${Object.keys(types).join(', ')}) AND #payload.#yearIndex = :yearIndex`,
        ExpressionAttributeNames: { '#type': 'type', '#payload': 'payload', '#yearIndex': 'yearIndex' },
        ExpressionAttributeValues: { ':pk': contractPk(contractId), ':notices': SK_PREFIX.notice, ':yearIndex': yearIndex, ...types },
        ConsistentRead: true,
      },
    );
  }
}
