/**
 * Lambda entry of the intake function: everything is built once per cold start, and a missing
 * setting or catalog fails the cold start rather than the first record.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { embeddedCatalog } from '#config/embedded-catalog.ts';
import { getStringFromEnv } from '#config/environment.ts';
import { lambdaSettings } from '../wiring.ts';
import { sqsDeadLetterSink } from './dead-letters.ts';
import { buildIntakeHandler } from './wiring.ts';

export const handler = buildIntakeHandler({
  ...lambdaSettings('intake'),
  catalog: embeddedCatalog(),
  deadLetters: sqsDeadLetterSink(new SQSClient({}), getStringFromEnv('DLQ_URL')),
  // Which queue a record came from decides whether its event is on the right one (docs/design.md#6-the-event-contract-v1).
  queueArns: { contracts: getStringFromEnv('CONTRACTS_QUEUE_ARN'), cases: getStringFromEnv('CASES_QUEUE_ARN') },
});
