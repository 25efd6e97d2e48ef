/**
 * Lambda entry of the notifier (DynamoDB Stream of the table, filtered to pending notices): built once
 * per cold start; a missing setting or catalog fails the cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { embeddedCatalog } from '#config/embedded-catalog.ts';
import { getStringFromEnv } from '#config/environment.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import { DynamoCreditState } from '#store/dynamo-credit-state.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { systemClock } from '#usecases/ports.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { makeNotifierHandler } from './app.ts';

const tableName = getStringFromEnv('TABLE_NAME');
const senderEmail = getStringFromEnv('SENDER_EMAIL');
const operatorEmail = getStringFromEnv('OPERATOR_EMAIL');
const configurationSetName = getStringFromEnv('SES_CONFIGURATION_SET');
const catalog = embeddedCatalog();

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
// One try per SendEmail call: the SDK would also retry timeouts, after which SES may already have sent
// the email. The delivery use case retries only what SES certainly refused.
const ses = new SESv2Client({ maxAttempts: 1 });
const logger = makeLogger('notifier');

export const handler = makeNotifierHandler({
  delivery: makeNoticeDelivery({
    notices: new DynamoNoticeRepository({ client: documents, tableName }),
    sender: sesNoticeSender({ client: ses, from: senderEmail, configurationSetName }),
    suppressions: new DynamoDeliveryFeedbackRepository({ client: documents, tableName }),
    clock: systemClock,
    credits: new DynamoCreditState({ client: documents, tableName }),
    catalog,
    operatorEmail,
  }),
  logger,
  metrics: makeMetrics('Aftercare', 'notifier', logger),
});
