/**
 * SDK clients for a command: the running local stack's emulators with `--local`, otherwise the standard
 * AWS chain (region and credentials from the environment, profile or role).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StackFile } from './stack-file.ts';

export function sqsClientFor(stack: StackFile | null): SQSClient {
  return stack === null
    ? new SQSClient({})
    : new SQSClient({ endpoint: stack.endpoints.sqs, region: stack.region, credentials: stack.credentials });
}

export function documentClientFor(stack: StackFile | null): DynamoDBDocumentClient {
  const client =
    stack === null
      ? new DynamoDBClient({})
      : new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.region, credentials: stack.credentials });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
