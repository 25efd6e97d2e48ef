/**
 * The intake function as a thin adapter: each SQS record is parsed at the edge, poison and events on
 * the wrong queue go to the DLQ at once, the batch's valid events have their lateness recorded once, then
 * each goes to the intake use case. A failure goes through the one mapping (shared/outcomes.ts): to
 * retry, the record is reported in `batchItemFailures` so SQS redelivers only that record; on its last
 * receive, or when retrying cannot help (a configuration fault, a commit past DynamoDB's limits), it is
 * quarantined — sent to the DLQ with the error's code and reason, so it can be redriven after a fix.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
// `parse.ts`, not the `#events/v1.ts` barrel, which would also bundle json-schema.ts (zod's toJSONSchema).
import { parseEvent } from '#events/parse.ts';
import type { AftercareEventV1 } from '#events/schemas.ts';
import type { ArrivalLags } from '#usecases/arrival-lags.ts';
import type { Intake } from '#usecases/intake.ts';
import type { EventOutcome } from '#usecases/ports.ts';
import { MAX_RECEIVE_COUNT } from '#infra/queue-settings.ts';
import { queueOf, type EventQueue } from '#events/queues.ts';
import { contractIdOfEvent } from '#events/owners.ts';
import { sourceOf } from '#events/source.ts';
import { ConfigurationError, PoisonMessageError, WrongQueueError } from '../../shared/errors.ts';
import { outcomeOfFailure, type FailureOutcome } from '../../shared/outcomes.ts';
import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Logger, type Metrics } from '../../shared/observability.ts';
import { processEachRecord } from '../each-record.ts';
import { observed, type LambdaHandler } from '../observed.ts';
import type { DeadLetterSink } from './dead-letters.ts';

export interface IntakeHandlerDependencies {
  readonly intake: Intake;
  readonly deadLetters: DeadLetterSink;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The ARN of each queue the function consumes: a record names its queue by `eventSourceARN`. */
  readonly queueArns: Readonly<Record<EventQueue, string>>;
  /** Receives SQS allows before its redrive policy takes the message (infra/queue-settings.ts). */
  readonly maxReceiveCount?: number;
}

export type RecordOutcome = EventOutcome | { readonly kind: 'dead-lettered' } | { readonly kind: 'quarantined' };

export type IntakeHandler = LambdaHandler<SQSEvent, SQSBatchResponse>;

const OUTCOME_METRICS: Readonly<Record<RecordOutcome['kind'], string>> = {
  applied: 'EventsApplied',
  duplicate: 'EventsDuplicate',
  parked: 'EventsParked',
  rejected: 'EventsRejected',
  'dead-lettered': 'PoisonMessages',
  quarantined: 'EventsQuarantined',
};

export function makeIntakeHandler(dependencies: IntakeHandlerDependencies): IntakeHandler {
  const { logger, metrics, queueArns } = dependencies;
  const maxReceiveCount = dependencies.maxReceiveCount ?? MAX_RECEIVE_COUNT;
  const queueByArn = new Map(Object.entries(queueArns).map(([queue, arn]) => [arn, queue as EventQueue]));

  type Parsed = ReturnType<typeof parseEvent>;

  async function processRecord(record: SQSRecord, parsed: Parsed, lags: ArrivalLags): Promise<RecordOutcome> {
    const outcome = await outcomeOf(record, parsed, lags);
    metrics.addMetric(OUTCOME_METRICS[outcome.kind], MetricUnit.Count, 1);
    if (outcome.kind !== 'dead-lettered' && outcome.kind !== 'quarantined') metrics.addMetric('EventsProcessed', MetricUnit.Count, 1);
    if (outcome.kind === 'applied' && outcome.breachesDeclared !== undefined) {
      metrics.addMetric('BreachesDeclared', MetricUnit.Count, outcome.breachesDeclared);
      metrics.addMetric('CreditsBookedMinor', MetricUnit.Count, outcome.creditsBookedMinor ?? 0);
    }
    return outcome;
  }

  async function outcomeOf(record: SQSRecord, parsed: Parsed, lags: ArrivalLags): Promise<RecordOutcome> {
    if (!parsed.ok) {
      await deadLetter(record, new PoisonMessageError(parsed.error.path, parsed.error.message));
      return { kind: 'dead-lettered' };
    }
    // A record from a queue this function does not know throws here: redelivered, then the DLQ (no guessing).
    const wrongQueue = wrongQueueOf(record, parsed.event);
    if (wrongQueue !== null) {
      await deadLetter(record, wrongQueue);
      metrics.addMetric('EventsOnWrongQueue', MetricUnit.Count, 1);
      return { kind: 'dead-lettered' };
    }
    let outcome: EventOutcome;
    try {
      outcome = await dependencies.intake.processEvent(parsed.event, lags);
    } catch (error) {
      const attempt = Number(record.attributes.ApproximateReceiveCount);
      const failure = outcomeOfFailure(error, { attempt: Number.isFinite(attempt) ? attempt : 1, maxAttempts: maxReceiveCount });
      if (failure.kind === 'retry') throw error;
      await quarantine(record, parsed.event, failure);
      return { kind: 'quarantined' };
    }
    if (logsInfo(logger)) logger.info('event processed', { ...identifiersOf(parsed.event), messageId: record.messageId, outcome });
    return outcome;
  }

  /** Sets a valid event aside in the DLQ with why; the use case records rejections itself, so any kind lands here. */
  async function quarantine(record: SQSRecord, event: AftercareEventV1, failure: Exclude<FailureOutcome, { kind: 'retry' }>): Promise<void> {
    await dependencies.deadLetters.send(record.body, {
      errorCode: failure.code,
      errorPath: failure.kind === 'dead-letter' ? failure.path : '(none)',
      errorMessage: failure.reason,
      sourceMessageId: record.messageId,
    });
    logger.error('event quarantined to the dead-letter queue', {
      ...identifiersOf(event),
      messageId: record.messageId,
      outcome: failure.kind,
      errorCode: failure.code,
      reason: failure.reason,
    });
  }

  /** docs/design.md#6-the-event-contract-v1: contract events on the contracts queue, case events on the cases queue (`queueOf`). */
  function wrongQueueOf(record: SQSRecord, event: AftercareEventV1): WrongQueueError | null {
    const arrivedOn = queueByArn.get(record.eventSourceARN);
    if (arrivedOn === undefined) {
      // A mapping the function was not configured for: fail the record (redelivered, then the DLQ) rather than guess.
      throw new ConfigurationError(`record ${record.messageId} comes from ${record.eventSourceARN}, not a queue this function knows`);
    }
    const belongsOn = queueOf(event.type);
    if (arrivedOn === belongsOn) return null;
    return new WrongQueueError(
      `${event.type} events belong on the ${belongsOn} queue (${queueNameOf(queueArns[belongsOn])}), not the ${arrivedOn} queue`,
    );
  }

  async function deadLetter(record: SQSRecord, poison: PoisonMessageError | WrongQueueError): Promise<void> {
    await dependencies.deadLetters.send(record.body, {
      errorCode: poison.code,
      errorPath: poison.path,
      errorMessage: poison.reason,
      sourceMessageId: record.messageId,
    });
    // The reason may quote the body (a JSON syntax error does), so only the path is logged.
    logger.warn(poison.code === 'WRONG_QUEUE' ? 'event on the wrong queue dead-lettered' : 'poison message dead-lettered', {
      messageId: record.messageId,
      errorCode: poison.code,
      errorPath: poison.path,
    });
  }

  // The batch's lateness is recorded first, so each event's own lateness already holds its case; then
  // one record after the other, each failure reported for that record only.
  const handleBatch: IntakeHandler = async (event, context) => {
    const parsed = new Map<SQSRecord, Parsed>();
    const valid: AftercareEventV1[] = [];
    for (const record of event.Records) {
      const result = parseEvent(record.body);
      parsed.set(record, result);
      if (result.ok) valid.push(result.event);
    }
    const lags = await dependencies.intake.recordArrivals(valid);
    return processEachRecord('SQS', event.Records, context, async (record) => {
      try {
        return await processRecord(record, parsed.get(record) as Parsed, lags);
      } catch (error) {
        logger.error('record failed, SQS will redeliver it', { messageId: record.messageId, error });
        throw error;
      }
    });
  };

  return observed(logger, metrics, handleBatch);
}

/** `arn:aws:sqs:<region>:<account>:<name>` → `<name>`. */
function queueNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/**
 * Whether an info line would be written, so its fields are built only then: built for replay's silent
 * logger, the one line per event cost ≈ 5 µs, a third of the layers around the use case. The level is read
 * at each call, as a sampled invocation may lower it; makeLogger sets no log buffer, which would keep lines
 * below the level.
 */
function logsInfo(logger: Logger): boolean {
  return logger.level <= LogLevelThreshold.INFO;
}

function identifiersOf(event: AftercareEventV1): Record<string, string> {
  return {
    source: sourceOf(event),
    eventId: event.eventId,
    type: event.type,
    ...(contractIdOfEvent(event) === null ? {} : { contractId: contractIdOfEvent(event) as string }),
    ...('poolId' in event && event.poolId !== undefined ? { poolId: event.poolId } : {}),
    ...('caseId' in event ? { caseId: event.caseId } : {}),
  };
}
