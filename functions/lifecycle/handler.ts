/**
 * Lambda entry of the lifecycle function (EventBridge Scheduler, daily at 06:00 Europe/Oslo): built
 * once per cold start; a missing setting or catalog fails the cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { embeddedCatalog } from '#config/embedded-catalog.ts';
import { getStringFromEnv } from '#config/environment.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoItemFailureRepository } from '#store/item-failures.ts';
import { DynamoLifecycleRepository } from '#store/lifecycle-repository.ts';
import { makeLifecycle } from '#usecases/lifecycle.ts';
import { systemClock } from '#usecases/ports.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { makeLifecycleHandler } from './app.ts';

const tableName = getStringFromEnv('TABLE_NAME');
const catalog = embeddedCatalog();

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const logger = makeLogger('lifecycle');

export const handler = makeLifecycleHandler({
  lifecycle: makeLifecycle({
    store: new DynamoStore({ client: documents, tableName }),
    contracts: new DynamoLifecycleRepository({ client: documents, tableName }),
    failures: new DynamoItemFailureRepository({ client: documents, tableName }),
    catalog,
    clock: systemClock,
  }),
  logger,
  metrics: makeMetrics('Aftercare', 'lifecycle', logger),
});
