/**
 * The notifier as a thin adapter: each DynamoDB Stream record names a pending notice, which the
 * delivery use case leases, sends and settles. A record that throws goes through the one mapping
 * (shared/outcomes.ts): to retry (the table failed) it is reported in `batchItemFailures`, so Lambda
 * retries from it and the lease makes a retried record harmless; a fault retrying cannot fix is not
 * reported — it would hold up the shard — but logged and counted, and the notice itself is settled by
 * the sweep's upkeep (a lease that runs out is marked `unknown` and alerted).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { DeliveryReport, NoticeDelivery } from '#usecases/deliver-notice.ts';
import { MetricUnit, type Logger, type Metrics } from '../../shared/observability.ts';
import { outcomeOfFailure } from '../../shared/outcomes.ts';
import { processEachRecord } from '../each-record.ts';
import { observed, type LambdaHandler } from '../observed.ts';
import { noticeRefOf } from './stream.ts';

export interface NotifierHandlerDependencies {
  readonly delivery: NoticeDelivery;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export type NotifierHandler = LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>;

const OUTCOME_METRICS: Readonly<Partial<Record<DeliveryReport['outcome']['kind'], string>>> = {
  sent: 'NoticesSent',
  superseded: 'NoticesSuperseded',
  failed: 'NoticesFailed',
  suppressed: 'NoticesSuppressed',
  unknown: 'NoticesUnknown',
};

export function makeNotifierHandler(dependencies: NotifierHandlerDependencies): NotifierHandler {
  const { delivery, logger, metrics } = dependencies;

  function report(delivered: DeliveryReport): void {
    const { outcome } = delivered;
    const metric = OUTCOME_METRICS[outcome.kind];
    if (metric !== undefined) metrics.addMetric(metric, MetricUnit.Count, 1);
    // Identifiers and SES error names only: the recipient's address and name never reach a log.
    const facts = {
      noticeId: delivered.noticeId,
      noticeType: delivered.noticeType,
      attempt: delivered.attempt,
      sendTries: delivered.sendTries,
      outcome: outcome.kind,
      ...('messageId' in outcome ? { messageId: outcome.messageId } : {}),
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
    };
    switch (outcome.kind) {
      case 'skipped':
        logger.info('notice not leasable: delivered, being delivered or deferred', facts);
        return;
      case 'sent':
        if (outcome.recorded) logger.info('notice sent', facts);
        else logger.error('notice sent, but its lease was lost before it could be marked sent', facts);
        return;
      case 'released':
        logger.warn('notice deferred to a later attempt', facts);
        return;
      case 'deferred':
        logger.info('credit notice waits for its contract year to settle', { ...facts, notBefore: outcome.notBefore, recorded: outcome.recorded });
        return;
      case 'superseded':
        // The system working, not a fault: counted, never alerted.
        logger.info('notice superseded: it no longer tells what happened', { ...facts, recorded: outcome.recorded });
        return;
      case 'failed':
        logger.error('notice failed', { ...facts, recorded: outcome.recorded, alerted: outcome.alerted });
        return;
      case 'suppressed':
        logger.warn('notice not sent: its address is suppressed after a bounce or complaint', { ...facts, recorded: outcome.recorded });
        return;
      case 'unknown':
        logger.error('notice send outcome unknown', { ...facts, recorded: outcome.recorded, alerted: outcome.alerted });
        return;
    }
  }

  const deliverBatch: NotifierHandler = (event, context) =>
    processEachRecord('DynamoDBStreams', event.Records, context, async (record) => {
      const ref = noticeRefOf(record);
      if (ref === null) {
        logger.warn('stream record is not a notice; ignored', { eventID: record.eventID });
        return;
      }
      try {
        report(await delivery.deliver(ref));
      } catch (error) {
        const failure = outcomeOfFailure(error);
        if (failure.kind === 'retry') {
          logger.error('notice delivery failed; the stream will retry it', { noticeId: ref.id, errorCode: failure.code, error });
          throw error;
        }
        metrics.addMetric('NoticesQuarantined', MetricUnit.Count, 1);
        logger.error('notice delivery cannot succeed by retrying; left to the sweep', { noticeId: ref.id, errorCode: failure.code, reason: failure.reason });
      }
    });

  return observed(logger, metrics, deliverBatch);
}
