/**
 * Every item a Query matches, page after page (a page holds at most 1 MB, DynamoDB's limit). Each page
 * is one round trip, handed to `onPage` so the adapter meters it the way it meters its other requests.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { translateDynamoError } from './dynamo-errors.ts';

type Item = Record<string, unknown>;

export interface PaginatedQueryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly returnConsumedCapacity?: ReturnConsumedCapacity;
  /** Called after each page (one round trip), e.g. to meter consumed capacity. */
  readonly onPage?: (output: QueryCommandOutput) => void;
}

/** The Query without what the pagination owns: table, start key and capacity reporting. */
export type PaginatedQueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'ReturnConsumedCapacity'>;

export async function queryAll(options: PaginatedQueryOptions, input: PaginatedQueryInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    let output: QueryCommandOutput;
    try {
      output = await options.client.send(
        new QueryCommand({
          ...input,
          TableName: options.tableName,
          ...(options.returnConsumedCapacity === undefined ? {} : { ReturnConsumedCapacity: options.returnConsumedCapacity }),
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
    } catch (error) {
      throw translateDynamoError(error);
    }
    options.onPage?.(output);
    items.push(...(output.Items ?? []));
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
