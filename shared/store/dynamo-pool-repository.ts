/**
 * The pool repository on DynamoDB: a pool is its registry item plus one strongly consistent Query of
 * its partition; the pool list is one Query of the registry partition. Never a Scan.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get.ts';
import { contractFromItem, processedEventFromItem, type Item } from './items.ts';
import { contractKey, eventKey, type ItemKey } from './keys.ts';
import { queryAll } from './paginated-query.ts';
import {
  entitlementFromItem,
  loanFromItem,
  POOL_SK_PREFIX,
  poolFromItem,
  poolKey,
  poolPk,
  poolRejectedFromItem,
  POOLS_PARTITION,
  refusedDrawFromItem,
  unitFromItem,
} from './pool-items.ts';
import type { LoanRecord, PoolEventContext, PoolRecord, PoolRepository, PoolState } from './pool-repository.ts';

const keyText = (key: ItemKey): string => `${key.pk}\u0000${key.sk}`;

export class DynamoPoolRepository implements PoolRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { readonly client: DynamoDBDocumentClient; readonly tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async readPool(poolId: string): Promise<PoolState> {
    const [found, partition] = await Promise.all([this.batchGet([poolKey(poolId)]), this.partition(poolId)]);
    const pool = found.get(keyText(poolKey(poolId)));
    return { ...partition, pool: pool === undefined ? null : poolFromItem(pool) };
  }

  async readPoolEvent(request: { source: string; eventId: string; poolId: string; contractId: string | null }): Promise<PoolEventContext> {
    const keys = [eventKey(request.source, request.eventId), poolKey(request.poolId)];
    if (request.contractId !== null) keys.push(contractKey(request.contractId));
    const [found, partition] = await Promise.all([this.batchGet(keys), this.partition(request.poolId)]);
    const processed = found.get(keyText(keys[0] as ItemKey));
    const pool = found.get(keyText(keys[1] as ItemKey));
    const contract = keys[2] === undefined ? undefined : found.get(keyText(keys[2]));
    return {
      processed: processed === undefined ? null : processedEventFromItem(processed),
      contract: contract === undefined ? null : contractFromItem(contract),
      state: { ...partition, pool: pool === undefined ? null : poolFromItem(pool) },
    };
  }

  async listPools(): Promise<PoolRecord[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': POOLS_PARTITION, ':prefix': POOL_SK_PREFIX.pool },
      ConsistentRead: true,
    });
    return items.map(poolFromItem);
  }

  private async partition(poolId: string): Promise<Omit<PoolState, 'pool'>> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': poolPk(poolId) },
      ConsistentRead: true,
    });
    const state = {
      units: [] as PoolState['units'][number][],
      loans: [] as LoanRecord[],
      entitled: [] as PoolState['entitled'][number][],
      refused: [] as PoolState['refused'][number][],
      rejected: [] as PoolState['rejected'][number][],
    };
    for (const item of items) {
      const sk = item.sk as string;
      if (sk.startsWith(POOL_SK_PREFIX.unit)) state.units.push(unitFromItem(item));
      else if (sk.startsWith(POOL_SK_PREFIX.loan)) state.loans.push(loanFromItem(item));
      else if (sk.startsWith(POOL_SK_PREFIX.entitled)) state.entitled.push(entitlementFromItem(item));
      else if (sk.startsWith(POOL_SK_PREFIX.refused)) state.refused.push(refusedDrawFromItem(item));
      else if (sk.startsWith(POOL_SK_PREFIX.rejected)) state.rejected.push(poolRejectedFromItem(item));
    }
    return state;
  }

  private query(input: Parameters<typeof queryAll>[1]): Promise<Item[]> {
    return queryAll({ client: this.client, tableName: this.tableName }, input);
  }

  /** Strongly consistent (batch-get.ts): a retry after a lost draw must see the winner's unit. */
  private async batchGet(keys: readonly ItemKey[]): Promise<Map<string, Item>> {
    const items = await batchGetAll({ client: this.client, tableName: this.tableName }, keys.map((k) => ({ pk: k.pk, sk: k.sk })));
    return new Map(items.map((item) => [keyText({ pk: item.pk as string, sk: item.sk as string }), item]));
  }
}
