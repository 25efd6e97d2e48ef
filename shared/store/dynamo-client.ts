/**
 * The one place the DynamoDB document client is made, with the marshalling every adapter in
 * shared/store relies on: attributes left `undefined` are dropped, never written as an error.
 * Lambda entries, the local stack, the CLI, the fault harness, tests and the bench all go through it.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const MARSHALL_OPTIONS = { removeUndefinedValues: true } as const;

/**
 * A document client over `client` (when the caller needs the low-level client too: table creation,
 * middleware) or over a new client made from `config` (default: the standard AWS chain).
 */
export function documentClient(client: DynamoDBClient | DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const low = client instanceof DynamoDBClient ? client : new DynamoDBClient(client);
  return DynamoDBDocumentClient.from(low, { marshallOptions: MARSHALL_OPTIONS });
}
