/**
 * Lambda entry of the sweep function (EventBridge Scheduler, every minute): built once per cold
 * start; a missing setting or catalog fails the cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { embeddedCatalog } from '#config/embedded-catalog.ts';
import { getStringFromEnv } from '#config/environment.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoItemFailureRepository } from '#store/item-failures.ts';
import { DynamoSourceLagRepository } from '#store/source-lag-repository.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { systemClock } from '#usecases/ports.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { makeSweepHandler } from './app.ts';

const tableName = getStringFromEnv('TABLE_NAME');
const catalog = embeddedCatalog();

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const logger = makeLogger('sweep');

export const handler = makeSweepHandler({
  sweep: makeSweep({
    store: new DynamoStore({ client: documents, tableName }),
    notices: new DynamoNoticeRepository({ client: documents, tableName }),
    failures: new DynamoItemFailureRepository({ client: documents, tableName }),
    sourceLags: new DynamoSourceLagRepository({ client: documents, tableName }),
    catalog,
    clock: systemClock,
  }),
  logger,
  metrics: makeMetrics('Aftercare', 'sweep', logger),
});
