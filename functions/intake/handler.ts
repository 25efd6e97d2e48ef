/**
 * Lambda entry of the intake function: everything is built once per cold start, and a missing
 * setting or catalog fails the cold start rather than the first record.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { embeddedCatalog } from '#config/embedded-catalog.ts';
import { getStringFromEnv } from '#config/environment.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoSourceLagRepository } from '#store/source-lag-repository.ts';
import { makeIntake } from '#usecases/intake.ts';
import { systemClock } from '#usecases/ports.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { makeIntakeHandler } from './app.ts';
import { sqsDeadLetterSink } from './dead-letters.ts';

const tableName = getStringFromEnv('TABLE_NAME');
const deadLetterQueueUrl = getStringFromEnv('DLQ_URL');
// Which queue a record came from decides whether its event is on the right one (docs/design.md#6-the-event-contract-v1).
const queueArns = { contracts: getStringFromEnv('CONTRACTS_QUEUE_ARN'), cases: getStringFromEnv('CASES_QUEUE_ARN') };
const catalog = embeddedCatalog();

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const logger = makeLogger('intake');

export const handler = makeIntakeHandler({
  intake: makeIntake({
    store: new DynamoStore({ client: documents, tableName }),
    sourceLags: new DynamoSourceLagRepository({ client: documents, tableName }),
    catalog,
    clock: systemClock,
  }),
  deadLetters: sqsDeadLetterSink(new SQSClient({}), deadLetterQueueUrl),
  logger,
  metrics: makeMetrics('Aftercare', 'intake', logger),
  queueArns,
});
