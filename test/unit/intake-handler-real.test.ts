import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeIntakeHandler } from '#functions/intake/app.ts';
import { sqsDeadLetterSink } from '#functions/intake/dead-letters.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { makeIntake } from '#usecases/intake.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { defaultCatalog, TestClock } from '#test/support/factories/events.ts';
import { aCaseEvent, aCaseOpened, aContractRegistered, bodyOf } from '#test/support/factories/event-bodies.ts';
import { aLambdaContext, anSqsBatch, QUEUE_ARNS } from '#test/support/factories/sqs.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';

const DLQ_URL = 'https://sqs.eu-north-1.amazonaws.com/123456789012/aftercare-events-dlq';
const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  sqs.reset();
  dynamo.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dead-letter-1' });
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('intake handler with the real intake use case', () => {
  it('applies, deduplicates, parks and dead-letters one batch as integrations send it, in order', async () => {
    // Prepare
    const store = new MemoryStore();
    const logger = makeLogger('intake');
    const metrics = makeMetrics('AftercareTest', 'intake', logger);
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const handler = makeIntakeHandler({
      intake: makeIntake({ store, catalog: defaultCatalog(), clock: new TestClock(Date.parse('2026-02-09T08:01:00Z')) }),
      deadLetters: sqsDeadLetterSink(new SQSClient({}), DLQ_URL),
      logger,
      metrics,
      queueArns: QUEUE_ARNS,
    });
    const opened = bodyOf(aCaseOpened());
    const batch = anSqsBatch(
      bodyOf(aContractRegistered()),
      opened,
      opened,
      '<helpdesk export failed>',
      bodyOf(aCaseEvent('case.responded', { contractId: 'C-2', eventId: 'hd-2-responded', occurredAt: '2026-02-09T09:05:00+01:00' })),
    );

    // Act
    const response = await handler(batch, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(addMetric.mock.calls.map(([name]) => name)).toEqual([
      'EventsApplied',
      'EventsProcessed',
      'EventsApplied',
      'EventsProcessed',
      'EventsDuplicate',
      'EventsProcessed',
      'PoisonMessages',
      'EventsParked',
      'EventsProcessed',
    ]);
    expect([...store.contracts.keys()]).toEqual(['C-1']);
    expect(store.cases.size).toBe(1);
    expect(store.parked.size).toBe(1);
    expect(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input.MessageBody)).toEqual([
      '<helpdesk export failed>',
    ]);
  });

  it('fails only the record that DynamoDB throttled, so SQS redelivers it', async () => {
    // Prepare
    dynamo.on(BatchGetCommand).rejects(
      Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded.'), {
        name: 'ProvisionedThroughputExceededException',
      }),
    );
    const store = new DynamoStore({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
      tableName: 'aftercare-Table',
    });
    const logger = makeLogger('intake');
    const handler = makeIntakeHandler({
      intake: makeIntake({ store, catalog: defaultCatalog(), clock: new TestClock(Date.parse('2026-02-09T08:01:00Z')) }),
      deadLetters: sqsDeadLetterSink(new SQSClient({}), DLQ_URL),
      logger,
      metrics: makeMetrics('AftercareTest', 'intake', logger),
      queueArns: QUEUE_ARNS,
    });
    const batch = anSqsBatch('not an event', bodyOf(aCaseOpened()));

    // Act
    const response = await handler(batch, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
  });
});
