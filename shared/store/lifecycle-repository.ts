/**
 * The reads the daily lifecycle run needs: contracts due through a date (the adapter asks each LIFECYCLE
 * shard of the attention index, never a scan), contracts by id and a contract's cases (for the clock
 * outcomes of a year statement). Writes go through the transaction (store.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { LocalDate } from '#domain/time.ts';
import type { StoreRequest } from './dynamo-store.ts';
import { caseFromItems, caseLeafKeys, contractFromItem, type Item } from './items.ts';
import { attentionPk, attentionShards, contractIdOfPk, contractKey, contractPk, SK_PREFIX } from './keys.ts';
import { lifecycleDueThrough } from './lifecycle-keys.ts';
import type { CaseRecord } from './case-repository.ts';
import type { ContractRecord, ContractRepository } from './contract-repository.ts';
import { ATTENTION_INDEX } from './table-definition.ts';
import { batchGetAll } from './batch-get.ts';
import { queryAll, type PaginatedQueryInput } from './paginated-query.ts';

/** The contracts' port, and the cases of one contract for the clock outcomes of a year statement. */
export interface LifecycleRepository extends ContractRepository {
  /** Every case of a contract, strongly consistent. */
  readCasesOf(contractId: string): Promise<CaseRecord[]>;
}

export interface DynamoLifecycleRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly onRequest?: (request: StoreRequest) => void;
}


function totalUnits(capacity: ConsumedCapacity[] | undefined): number {
  return (capacity ?? []).reduce((sum, entry) => sum + (entry.CapacityUnits ?? entry.ReadCapacityUnits ?? 0), 0);
}

export class DynamoLifecycleRepository implements LifecycleRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly onRequest: (request: StoreRequest) => void;

  constructor(options: DynamoLifecycleRepositoryOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.onRequest = options.onRequest ?? (() => undefined);
  }

  /** One Query per lifecycle shard, all at once. */
  async dueContracts(date: LocalDate): Promise<string[]> {
    const perShard = await Promise.all(
      attentionShards('lifecycle').map((shard) =>
        this.query({
          IndexName: ATTENTION_INDEX.name,
          KeyConditionExpression: 'apk = :apk AND ask <= :through',
          ExpressionAttributeValues: { ':apk': attentionPk('lifecycle', shard), ':through': lifecycleDueThrough(date) },
        }),
      ),
    );
    return [...new Set(perShard.flat().map((item) => contractIdOfPk(item.pk as string)))];
  }

  async readContracts(contractIds: readonly string[]): Promise<ContractRecord[]> {
    const unique = [...new Set(contractIds)];
    const items = await batchGetAll(
      {
        client: this.client,
        tableName: this.tableName,
        returnConsumedCapacity: 'TOTAL',
        onResponse: (output) =>
          this.onRequest({ operation: 'BatchGetItem', readUnits: totalUnits(output.ConsumedCapacity), writeUnits: 0, tableWriteUnits: 0 }),
      },
      unique.map((id) => ({ ...contractKey(id) })),
      'contract keys',
    );
    const found = items.map(contractFromItem);
    return found;
  }

  /** Case items and their overflow leaves: `CASE#` and `CASEH#` both begin with `CASE`. */
  async readCasesOf(contractId: string): Promise<CaseRecord[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': contractPk(contractId), ':prefix': 'CASE' },
      ConsistentRead: true,
    });
    const leaves = new Map(items.filter((item) => item.entity === 'overflow').map((item) => [item.sk as string, item]));
    return items
      .filter((item) => (item.sk as string).startsWith(SK_PREFIX.case))
      .map((item) => caseFromItems(item, caseLeafKeys(item).flatMap((key): Item[] => {
        const leaf = leaves.get(key.sk);
        return leaf === undefined ? [] : [leaf];
      })));
  }

  private query(input: PaginatedQueryInput): Promise<Item[]> {
    return queryAll(
      {
        client: this.client,
        tableName: this.tableName,
        returnConsumedCapacity: 'TOTAL',
        onPage: (output) => {
          const units = output.ConsumedCapacity === undefined ? 0 : totalUnits([output.ConsumedCapacity]);
          this.onRequest({ operation: 'Query', readUnits: units, writeUnits: 0, tableWriteUnits: 0 });
        },
      },
      input,
    );
  }
}
