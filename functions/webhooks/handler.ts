/**
 * Lambda entry of the webhooks function: everything is built once per cold start; a missing setting or an
 * invalid sources configuration fails the cold start rather than the first request.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseWebhookSources } from '#adapters/mapping.ts';
import { getStringFromEnv } from '#config/environment.ts';
import { sqsDeadLetterSink } from '../intake/dead-letters.ts';
import { lambdaSettings } from '../wiring.ts';
import { secretsManagerStore } from './secrets-manager.ts';
import { buildWebhooksHandler } from './wiring.ts';

const sqs = new SQSClient({});

export const handler = buildWebhooksHandler({
  ...lambdaSettings('webhooks'),
  sources: parseWebhookSources(JSON.parse(getStringFromEnv('WEBHOOK_SOURCES')), 'WEBHOOK_SOURCES'),
  secretStore: secretsManagerStore(new SecretsManagerClient({}), getStringFromEnv('WEBHOOK_SECRET_PREFIX')),
  sqs,
  casesQueueUrl: getStringFromEnv('CASES_QUEUE_URL'),
  deadLetters: sqsDeadLetterSink(sqs, getStringFromEnv('DLQ_URL')),
});
