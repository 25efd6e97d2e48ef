/**
 * Per-source lateness of recent arrivals (docs/design.md#order-and-duplicates, `#domain/source-lag.ts`): one item per source,
 * `SOURCES` / `SOURCE#<source>`, one attribute `m<minute number>` per late arrival minute holding its
 * largest lateness in ms. Advisory state, written outside the events' transactions: a raise is a
 * conditional update that only ever increases a minute, so concurrent intakes never lose one.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LatenessRaise, MinuteLateness, SourceLateness } from '#domain/source-lag.ts';
import type { StoreRequest } from './dynamo-store.ts';
import { errorName, translateDynamoError } from './dynamo-errors.ts';
import { sourceKey, SOURCES_PARTITION } from './keys.ts';
import { queryAll } from './paginated-query.ts';

export interface SourceLagRepository {
  /** Every source's recorded late minutes (strongly consistent; few sources, one Query). */
  readAll(): Promise<SourceLateness[]>;
  /** Raises the lateness of one arrival minute unless it already holds as much; drops the expired minutes. */
  raise(raise: LatenessRaise): Promise<void>;
}

export interface DynamoSourceLagRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly onRequest?: (request: StoreRequest) => void;
}

const MINUTE_MS = 60_000;
const MINUTE_ATTRIBUTE = /^m(\d+)$/;

export const minuteAttribute = (minute: number): string => `m${String(Math.floor(minute / MINUTE_MS))}`;

export function sourceLatenessFromItem(item: Record<string, unknown>): SourceLateness {
  const minutes: MinuteLateness[] = [];
  for (const [name, value] of Object.entries(item)) {
    const match = MINUTE_ATTRIBUTE.exec(name);
    if (match !== null && typeof value === 'number') minutes.push({ minute: Number(match[1]) * MINUTE_MS, latenessMs: value });
  }
  return { source: (item.sk as string).slice('SOURCE#'.length), minutes };
}

export class DynamoSourceLagRepository implements SourceLagRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly onRequest: (request: StoreRequest) => void;

  constructor(options: DynamoSourceLagRepositoryOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.onRequest = options.onRequest ?? (() => undefined);
  }

  async readAll(): Promise<SourceLateness[]> {
    const items = await queryAll(
      {
        client: this.client,
        tableName: this.tableName,
        returnConsumedCapacity: 'TOTAL',
        onPage: (output) =>
          this.onRequest({ operation: 'Query', readUnits: output.ConsumedCapacity?.CapacityUnits ?? 0, writeUnits: 0, tableWriteUnits: 0 }),
      },
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SOURCES_PARTITION }, ConsistentRead: true },
    );
    return items.map(sourceLatenessFromItem);
  }

  async raise({ source, minute, latenessMs, expired }: LatenessRaise): Promise<void> {
    const names: Record<string, string> = { '#minute': minuteAttribute(minute), '#entity': 'entity' };
    const dropped = expired.filter((old) => minuteAttribute(old) !== minuteAttribute(minute));
    dropped.forEach((old, index) => (names[`#old${String(index)}`] = minuteAttribute(old)));
    const remove = dropped.length === 0 ? '' : ` REMOVE ${dropped.map((_, index) => `#old${String(index)}`).join(', ')}`;
    try {
      const output = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sourceKey(source),
          UpdateExpression: `SET #minute = :lateness, #entity = :entity${remove}`,
          ConditionExpression: 'attribute_not_exists(#minute) OR #minute < :lateness',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':lateness': latenessMs, ':entity': 'source' },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      const units = output.ConsumedCapacity?.CapacityUnits ?? 0;
      this.onRequest({ operation: 'UpdateItem', readUnits: 0, writeUnits: units, tableWriteUnits: units });
    } catch (error) {
      // Another intake raised the minute as high or higher meanwhile: nothing to do.
      if (errorName(error) === 'ConditionalCheckFailedException') return;
      throw translateDynamoError(error);
    }
  }
}
