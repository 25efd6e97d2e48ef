/**
 * Strongly consistent BatchGetItem over any number of keys: 100 keys a request (the API's limit), and
 * unprocessed keys retried with backoff a bounded number of times before the read fails as transient.
 */
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { TransientDependencyError } from '../errors.ts';
import { translateDynamoError } from './dynamo-errors.ts';

const MAX_BATCH_KEYS = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

type Item = Record<string, unknown>;

export interface BatchGetOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly returnConsumedCapacity?: ReturnConsumedCapacity;
  /** Called after each request (one round trip), e.g. to meter consumed capacity. */
  readonly onResponse?: (output: BatchGetCommandOutput) => void;
}

/** Every item found for `keys` (missing ones are left out), in no particular order. */
export async function batchGetAll(options: BatchGetOptions, keys: readonly Item[], what = 'keys'): Promise<Item[]> {
  const { client, tableName } = options;
  const found: Item[] = [];
  for (let offset = 0; offset < keys.length; offset += MAX_BATCH_KEYS) {
    let pending: Item[] = keys.slice(offset, offset + MAX_BATCH_KEYS).map((key) => ({ ...key }));
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_UNPROCESSED_ROUNDS) throw new TransientDependencyError(`BatchGetItem left ${what} unprocessed`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** round * 10));
      let output: BatchGetCommandOutput;
      try {
        output = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } },
            ...(options.returnConsumedCapacity === undefined ? {} : { ReturnConsumedCapacity: options.returnConsumedCapacity }),
          }),
        );
      } catch (error) {
        throw translateDynamoError(error);
      }
      options.onResponse?.(output);
      found.push(...(output.Responses?.[tableName] ?? []));
      pending = output.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
}
