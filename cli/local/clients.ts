/**
 * SDK clients for a command: the running local stack's emulators with `--local`, otherwise the standard
 * AWS chain (region and credentials from the environment, profile or role).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StackFile } from './stack-file.ts';

export function sqsClientFor(stack: StackFile | null, environment: NodeJS.ProcessEnv = process.env): SQSClient {
  if (stack !== null) return new SQSClient({ endpoint: stack.endpoints.sqs, region: stack.region, credentials: stack.credentials });
  // The SDK sends to a queue URL's own host unless told otherwise; with an endpoint override
  // (AWS_ENDPOINT_URL_SQS, e.g. an emulator or a VPC endpoint) the override is where requests go.
  const overridden = (environment.AWS_ENDPOINT_URL_SQS ?? environment.AWS_ENDPOINT_URL ?? '') !== '';
  return new SQSClient(overridden ? { useQueueUrlAsEndpoint: false } : {});
}

export function documentClientFor(stack: StackFile | null): DynamoDBDocumentClient {
  const client =
    stack === null
      ? new DynamoDBClient({})
      : new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.region, credentials: stack.credentials });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
