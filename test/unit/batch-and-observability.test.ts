/**
 * The two wrappers every function shares: `observed` (the Lambda context on each log line, the
 * invocation's metrics flushed as EMF whether it returns or throws) and `processEachRecord` (records one
 * after the other, each that throws reported in `batchItemFailures`, the batch going on).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { processEachRecord } from '#functions/each-record.ts';
import { observed } from '#functions/observed.ts';
import { noticeStreamEvent } from '#functions/notifier/stream.ts';
import { makeLogger, makeMetrics, MetricUnit } from '../../shared/observability.ts';
import { aCaseEventBody, aLambdaContext, anSqsBatch } from '#test/support/factories/sqs.ts';

/** Everything written to stdout and stderr, one parsed JSON line per entry. */
function captureOutput(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  return () =>
    lines
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A logger and metrics that really write, as in Lambda. */
function observability() {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  const output = captureOutput();
  const logger = makeLogger('intake');
  const metrics = makeMetrics('AftercareTest', 'intake', logger);
  return { output, logger, metrics };
}

const emfOf = (lines: Record<string, unknown>[]) => lines.filter((line) => '_aws' in line);

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('observed', () => {
  it('puts the Lambda context on every log line and flushes the metrics as one EMF line', async () => {
    // Prepare
    const { output, logger, metrics } = observability();
    const handler = observed(logger, metrics, (event: { readonly id: string }) => {
      logger.info('handled', { id: event.id });
      metrics.addMetric('EventsApplied', MetricUnit.Count, 2);
      return Promise.resolve(event.id);
    });

    // Act
    const result = await handler({ id: 'E-1' }, aLambdaContext('aftercare-intake'));

    // Assess
    expect(result).toBe('E-1');
    const lines = output();
    expect(lines.find((line) => line.message === 'handled')).toMatchObject({
      id: 'E-1',
      function_name: 'aftercare-intake',
      function_request_id: 'request-1',
      cold_start: expect.any(Boolean) as unknown,
    });
    expect(emfOf(lines)).toHaveLength(1);
    expect(emfOf(lines)[0]).toMatchObject({ EventsApplied: 2, service: 'intake' });
  });

  it('flushes the metrics when the handler throws, and rethrows', async () => {
    // Prepare
    const { output, logger, metrics } = observability();
    const handler = observed(logger, metrics, () => {
      metrics.addMetric('SweepPhasesFailed', MetricUnit.Count, 1);
      return Promise.reject(new Error('a phase failed'));
    });

    // Act
    const invocation = handler({}, aLambdaContext());

    // Assess
    await expect(invocation).rejects.toThrow('a phase failed');
    expect(emfOf(output())).toMatchObject([{ SweepPhasesFailed: 1 }]);
  });

  it('does not log the event, which carries customer data', async () => {
    // Prepare
    const { output, logger, metrics } = observability();
    const handler = observed(logger, metrics, () => Promise.resolve('done'));

    // Act
    await handler({ customer: { email: 'kunde@example.no' } }, aLambdaContext());

    // Assess
    expect(JSON.stringify(output())).not.toContain('kunde@example.no');
  });
});

describe('processEachRecord', () => {
  it('handles the records one after the other, in order, never two at once', async () => {
    // Prepare
    const batch = anSqsBatch(aCaseEventBody({ eventId: 'E-1' }), aCaseEventBody({ eventId: 'E-2' }), aCaseEventBody({ eventId: 'E-3' }));
    const trace: string[] = [];

    // Act
    await processEachRecord('SQS', batch.Records, aLambdaContext(), async (record) => {
      trace.push(`start ${record.messageId}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      trace.push(`end ${record.messageId}`);
    });

    // Assess
    expect(trace).toEqual(['start m1', 'end m1', 'start m2', 'end m2', 'start m3', 'end m3']);
  });

  it('reports each SQS record that throws by its message id, and goes on with the next', async () => {
    // Prepare
    const batch = anSqsBatch(aCaseEventBody(), aCaseEventBody(), aCaseEventBody());
    const handled: string[] = [];

    // Act
    const response = await processEachRecord('SQS', batch.Records, aLambdaContext(), (record) => {
      handled.push(record.messageId);
      return record.messageId === 'm2' ? Promise.reject(new Error('table unavailable')) : Promise.resolve();
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(handled).toEqual(['m1', 'm2', 'm3']);
  });

  it('reports a batch whose every record failed record by record, without failing the invocation', async () => {
    // Prepare
    const batch = anSqsBatch(aCaseEventBody(), aCaseEventBody());

    // Act
    const response = await processEachRecord('SQS', batch.Records, aLambdaContext(), () => Promise.reject(new Error('table unavailable')));

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
  });

  it('reports a DynamoDB Stream record that throws by its sequence number', async () => {
    // Prepare
    const event = noticeStreamEvent([
      { contractId: 'C-1', id: 'N-1' },
      { contractId: 'C-1', id: 'N-2' },
    ]);
    const second = event.Records[1] as DynamoDBRecord;

    // Act
    const response = await processEachRecord('DynamoDBStreams', event.Records, aLambdaContext(), (record) =>
      record === second ? Promise.reject(new Error('table unavailable')) : Promise.resolve(),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: second.dynamodb?.SequenceNumber }] });
  });

  it('reports nothing for an empty batch', async () => {
    // Act
    const response = await processEachRecord('SQS', [], aLambdaContext(), () => Promise.resolve());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
  });
});
