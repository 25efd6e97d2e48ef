import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AftercareEventV1 } from '#events/v1.ts';
import type { Intake } from '#usecases/intake.ts';
import { NO_LATE_SOURCES } from '#usecases/arrival-lags.ts';
import type { EventOutcome } from '#usecases/ports.ts';
import { makeIntakeHandler } from '#functions/intake/app.ts';
import { sqsDeadLetterSink } from '#functions/intake/dead-letters.ts';
import { ConcurrencyConflictError, ConfigurationError, TransientDependencyError } from '../../shared/errors.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import {
  aCaseEventBody,
  aLambdaContext,
  anSqsBatch,
  anSqsRecord,
  CASES_QUEUE_ARN,
  CONTRACTS_QUEUE_ARN,
  QUEUE_ARNS,
} from '#test/support/factories/sqs.ts';

const DLQ_URL = 'https://sqs.eu-north-1.amazonaws.com/123456789012/aftercare-events-dlq';
const sqs = mockClient(SQSClient);

/** An intake that answers per event id: an outcome, or an error to throw. */
function anIntake(answers: Readonly<Record<string, EventOutcome | Error>> = {}): Intake & { readonly seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    recordArrivals: () => Promise.resolve(NO_LATE_SOURCES),
    processEvent(event: AftercareEventV1): Promise<EventOutcome> {
      seen.push(event.eventId);
      const answer = answers[event.eventId] ?? { kind: 'applied' };
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

function handlerWith(intake: Intake) {
  const logger = makeLogger('intake');
  const metrics = makeMetrics('AftercareTest', 'intake', logger);
  const addMetric = vi.spyOn(metrics, 'addMetric');
  const handler = makeIntakeHandler({
    intake,
    deadLetters: sqsDeadLetterSink(new SQSClient({}), DLQ_URL),
    logger,
    metrics,
    queueArns: QUEUE_ARNS,
  });
  return { handler, addMetric };
}

function deadLettered() {
  return sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
}

function throttled(): TransientDependencyError {
  const cause = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: 'ProvisionedThroughputExceededException',
  });
  return new TransientDependencyError('DynamoDB throttled the transaction', { cause });
}

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dead-letter-1' });
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('intake handler: partial batch failure', () => {
  it('reports exactly the records whose processing threw, and acknowledges the others', async () => {
    // Prepare
    const intake = anIntake({ 'E-2': new Error('store unavailable'), 'E-4': new Error('store unavailable') });
    const { handler } = handlerWith(intake);
    const batch = anSqsBatch(...['E-1', 'E-2', 'E-3', 'E-4', 'E-5'].map((eventId) => aCaseEventBody({ eventId })));

    // Act
    const response = await handler(batch, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }, { itemIdentifier: 'm4' }]);
    expect(intake.seen).toEqual(['E-1', 'E-2', 'E-3', 'E-4', 'E-5']);
  });

  it('acknowledges the whole batch when every event is applied, duplicate, parked or rejected', async () => {
    // Prepare
    const intake = anIntake({
      'E-2': { kind: 'duplicate' },
      'E-3': { kind: 'parked' },
      'E-4': { kind: 'rejected', reason: 'case opened outside the active period' },
    });
    const { handler, addMetric } = handlerWith(intake);
    const batch = anSqsBatch(...['E-1', 'E-2', 'E-3', 'E-4'].map((eventId) => aCaseEventBody({ eventId })));

    // Act
    const response = await handler(batch, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(addMetric.mock.calls.map(([name]) => name)).toEqual([
      'EventsApplied',
      'EventsProcessed',
      'EventsDuplicate',
      'EventsProcessed',
      'EventsParked',
      'EventsProcessed',
      'EventsRejected',
      'EventsProcessed',
    ]);
  });

  it.each([
    ['a concurrency conflict the intake could not resolve', new ConcurrencyConflictError('case CASE-1 changed 5 times')],
    ['DynamoDB throttling surfaced by the store', throttled()],
  ])('fails only the record that hit %s, so SQS redelivers just that one', async (_label, error) => {
    // Prepare
    const intake = anIntake({ 'E-2': error });
    const { handler } = handlerWith(intake);
    const batch = anSqsBatch(...['E-1', 'E-2', 'E-3'].map((eventId) => aCaseEventBody({ eventId })));

    // Act
    const response = await handler(batch, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(intake.seen).toEqual(['E-1', 'E-2', 'E-3']);
  });
});

describe('intake handler: poison messages', () => {
  it('publishes the breaches and the net credit an event booked, for the dashboard', async () => {
    // Prepare
    const intake = anIntake({ 'E-1': { kind: 'applied', breachesDeclared: 1, creditsBookedMinor: 240_000 } });
    const { handler, addMetric } = handlerWith(intake);

    // Act
    await handler(anSqsBatch(aCaseEventBody({ eventId: 'E-1' })), aLambdaContext());

    // Assess
    expect(addMetric).toHaveBeenCalledWith('BreachesDeclared', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('CreditsBookedMinor', 'Count', 240_000);
  });

  it('dead-letters a body that is not JSON untouched, names the error, acknowledges it and goes on', async () => {
    // Prepare
    const intake = anIntake();
    const { handler, addMetric } = handlerWith(intake);
    const poison = '{"eventId": "E-2", oops';
    const batch = anSqsBatch(aCaseEventBody({ eventId: 'E-1' }), poison, aCaseEventBody({ eventId: 'E-3' }));

    // Act
    const response = await handler(batch, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(intake.seen).toEqual(['E-1', 'E-3']);
    const [sent, ...others] = deadLettered();
    expect(others).toEqual([]);
    expect(sent?.QueueUrl).toBe(DLQ_URL);
    expect(sent?.MessageBody).toBe(poison);
    expect(sent?.MessageAttributes).toMatchObject({
      errorCode: { DataType: 'String', StringValue: 'POISON_MESSAGE' },
      errorPath: { DataType: 'String', StringValue: '$' },
      sourceMessageId: { DataType: 'String', StringValue: 'm2' },
    });
    expect(sent?.MessageAttributes?.errorMessage?.StringValue).toMatch(/not JSON/);
    expect(addMetric).toHaveBeenCalledWith('PoisonMessages', 'Count', 1);
  });

  it('dead-letters a JSON event with an invalid field and names the field path', async () => {
    // Prepare
    const intake = anIntake();
    const { handler } = handlerWith(intake);
    const poison = aCaseEventBody({ eventId: 'E-1', caseId: '' });
    const batch = anSqsBatch(poison);

    // Act
    const response = await handler(batch, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(intake.seen).toEqual([]);
    const [sent] = deadLettered();
    expect(sent?.MessageBody).toBe(poison);
    expect(sent?.MessageAttributes?.errorPath?.StringValue).toBe('caseId');
    expect(sent?.MessageAttributes?.errorMessage?.StringValue).not.toBe('');
  });

  it('dead-letters an event with an unknown field (the contract is strict)', async () => {
    // Prepare
    const { handler } = handlerWith(anIntake());
    const batch = anSqsBatch(aCaseEventBody({ eventId: 'E-1', priorty: 'high' }));

    // Act
    await handler(batch, aLambdaContext());

    // Assess
    expect(deadLettered().map((sent) => sent.MessageAttributes?.errorPath?.StringValue)).toEqual(['priorty']);
  });

  it('fails the poison record when the DLQ refuses it, so the message is never lost', async () => {
    // Prepare
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    const intake = anIntake();
    const { handler } = handlerWith(intake);
    const batch = anSqsBatch(aCaseEventBody({ eventId: 'E-1' }), 'not json', aCaseEventBody({ eventId: 'E-3' }));

    // Act
    const response = await handler(batch, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(intake.seen).toEqual(['E-1', 'E-3']);
  });
});

describe('intake handler: two queues, two sender policies', () => {
  const registrationBody = JSON.stringify({
    eventId: 'crm-1',
    type: 'contract.registered',
    occurredAt: '2025-12-15T10:00:00+01:00',
    contractId: 'C-1',
    customer: { name: 'Nordlys Logistikk AS', email: 'drift@nordlys.example', locale: 'nb' },
    serviceLevel: 'premium',
    annualFee: { amount: '120000.00', currency: 'NOK' },
    startDate: '2026-01-01',
  });

  it('an event on the wrong queue is dead-lettered with WRONG_QUEUE, naming the right queue, and the batch goes on', async () => {
    // Prepare
    const intake = anIntake();
    const { handler, addMetric } = handlerWith(intake);
    const caseOnContracts = anSqsRecord(aCaseEventBody({ eventId: 'E-1' }), { messageId: 'm1', eventSourceARN: CONTRACTS_QUEUE_ARN });
    const registrationOnCases = anSqsRecord(registrationBody, { messageId: 'm2', eventSourceARN: CASES_QUEUE_ARN });
    const rightQueue = anSqsRecord(aCaseEventBody({ eventId: 'E-3' }), { messageId: 'm3', eventSourceARN: CASES_QUEUE_ARN });

    // Act
    const response = await handler({ Records: [caseOnContracts, registrationOnCases, rightQueue] }, aLambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(intake.seen).toEqual(['E-3']);
    const sent = deadLettered();
    expect(sent.map((input) => input.MessageBody)).toEqual([caseOnContracts.body, registrationOnCases.body]);
    expect(sent.map((input) => input.MessageAttributes?.errorCode?.StringValue)).toEqual(['WRONG_QUEUE', 'WRONG_QUEUE']);
    expect(sent[0]?.MessageAttributes?.errorMessage?.StringValue).toBe(
      'case.responded events belong on the cases queue (aftercare-cases), not the contracts queue',
    );
    expect(sent[1]?.MessageAttributes?.errorMessage?.StringValue).toBe(
      'contract.registered events belong on the contracts queue (aftercare-contracts), not the cases queue',
    );
    expect(addMetric).toHaveBeenCalledWith('EventsOnWrongQueue', 'Count', 1);
  });

  it('applies contract events from the contracts queue and case events from the cases queue', async () => {
    const intake = anIntake();
    const { handler } = handlerWith(intake);

    const response = await handler(
      {
        Records: [
          anSqsRecord(registrationBody, { messageId: 'm1', eventSourceARN: CONTRACTS_QUEUE_ARN }),
          anSqsRecord(aCaseEventBody({ eventId: 'E-2' }), { messageId: 'm2', eventSourceARN: CASES_QUEUE_ARN }),
        ],
      },
      aLambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(intake.seen).toEqual(['crm-1', 'E-2']);
    expect(deadLettered()).toEqual([]);
  });

  it('fails a record from a queue the function was not configured for, rather than guess', async () => {
    const intake = anIntake();
    const { handler } = handlerWith(intake);
    const stranger = anSqsRecord(aCaseEventBody(), { messageId: 'm1', eventSourceARN: 'arn:aws:sqs:eu-north-1:123456789012:other' });

    const response = await handler({ Records: [stranger] }, aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(intake.seen).toEqual([]);
  });
});

describe('intake handler: order', () => {
  it('processes the records of a batch in order, each after the previous one has finished', async () => {
    // Prepare: earlier records take longer, so concurrent processing would finish them out of order.
    const timeline: string[] = [];
    const intake: Intake = {
      recordArrivals: () => Promise.resolve(NO_LATE_SOURCES),
      async processEvent(event) {
        timeline.push(`start ${event.eventId}`);
        await new Promise((resolve) => setTimeout(resolve, 20 - Number(event.eventId.slice(2)) * 5));
        timeline.push(`end ${event.eventId}`);
        return { kind: 'applied' };
      },
    };
    const { handler } = handlerWith(intake);
    const batch = anSqsBatch(...['E-1', 'E-2', 'E-3'].map((eventId) => aCaseEventBody({ eventId })));

    // Act
    await handler(batch, aLambdaContext());

    // Assess
    expect(timeline).toEqual(['start E-1', 'end E-1', 'start E-2', 'end E-2', 'start E-3', 'end E-3']);
  });
});

describe('intake handler: quarantine of events that keep failing', () => {
  it('quarantines an event that failed its last receive to the DLQ with the error code and reason, and goes on', async () => {
    // Prepare
    const intake = anIntake({ 'E-1': new RangeError('corrupt case event: 9|x||E-0') });
    const { handler, addMetric } = handlerWith(intake);
    const body = aCaseEventBody({ eventId: 'E-1' });
    const lastReceive = anSqsRecord(body, { messageId: 'm1', attributes: { ...anSqsRecord(body).attributes, ApproximateReceiveCount: '5' } });

    // Act
    const response = await handler({ Records: [lastReceive] }, aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const [sent] = deadLettered();
    expect(sent?.MessageBody).toBe(body);
    expect(sent?.MessageAttributes).toMatchObject({
      errorCode: { StringValue: 'RangeError' },
      errorPath: { StringValue: '(none)' },
      errorMessage: { StringValue: 'RangeError: corrupt case event: 9|x||E-0 (failed 5 times)' },
      sourceMessageId: { StringValue: 'm1' },
    });
    expect(addMetric).toHaveBeenCalledWith('EventsQuarantined', 'Count', 1);
  });

  it('retries the same failure on an earlier receive', async () => {
    // Prepare
    const intake = anIntake({ 'E-1': new RangeError('corrupt case event') });
    const { handler } = handlerWith(intake);

    // Act
    const response = await handler(anSqsBatch(aCaseEventBody({ eventId: 'E-1' })), aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(deadLettered()).toEqual([]);
  });

  it('quarantines a configuration fault at once: no redelivery can fix it', async () => {
    // Prepare
    const intake = anIntake({ 'E-1': new ConfigurationError('service level "gold" is not in the catalog') });
    const { handler } = handlerWith(intake);

    // Act
    const response = await handler(anSqsBatch(aCaseEventBody({ eventId: 'E-1' })), aLambdaContext());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered()[0]?.MessageAttributes).toMatchObject({ errorCode: { StringValue: 'CONFIGURATION' } });
  });
});
