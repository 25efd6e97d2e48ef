/**
 * Lambda entry of the feedback function (an EventBridge rule on the default bus: SES bounces and
 * complaints of the notices' configuration set): built once per cold start; a missing setting fails it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getStringFromEnv } from '#config/environment.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { makeDeliveryFeedback } from '#usecases/delivery-feedback.ts';
import { systemClock } from '#usecases/ports.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { makeFeedbackHandler } from './app.ts';

const tableName = getStringFromEnv('TABLE_NAME');

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const logger = makeLogger('feedback');

export const handler = makeFeedbackHandler({
  feedback: makeDeliveryFeedback({
    feedback: new DynamoDeliveryFeedbackRepository({ client: documents, tableName }),
    clock: systemClock,
  }),
  logger,
  metrics: makeMetrics('Aftercare', 'feedback', logger),
});
