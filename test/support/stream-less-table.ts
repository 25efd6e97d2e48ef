/**
 * The table for tests that write thousands of items to the shared DynamoDB Local: the local stack's
 * table (`createTable`, the CDK definition) with its stream turned off. Nothing local reads the
 * stream — the harness hands notices to the notifier as `noticeStreamEvent` — while DynamoDB Local keeps
 * every stream record of every table and each later write gets slower with them: 500 intake events on
 * three tables in a row took 25 s, 50 s and 103 s with streams, 24 s, 17 s and 17 s without.
 */
import { UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '#cli/local/emulators.ts';

export async function createStreamLessTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  await createTable(dynamo, tableName);
  await dynamo.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
}
