/**
 * The billing publisher as a thin adapter: each DynamoDB Stream record names an outbox item with
 * `billing = pending`; the use case puts its events on the bus and marks it published. A record that
 * throws is reported in `batchItemFailures` (the stream retries from it, then the failure queue); the
 * re-read makes a retried record that was published already harmless.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { BillingPublisher } from '#usecases/publish-billing.ts';
import { MetricUnit, type Logger, type Metrics } from '../../shared/observability.ts';
import { codeOf } from '../../shared/outcomes.ts';
import { processEachRecord } from '../each-record.ts';
import { observed, type LambdaHandler } from '../observed.ts';
import { billingRefOf } from './stream.ts';

export interface BillingHandlerDependencies {
  readonly publisher: BillingPublisher;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export type BillingHandler = LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>;

export function makeBillingHandler(dependencies: BillingHandlerDependencies): BillingHandler {
  const { publisher, logger, metrics } = dependencies;
  const publishBatch: BillingHandler = (event, context) =>
    processEachRecord('DynamoDBStreams', event.Records, context, async (record) => {
      const ref = billingRefOf(record);
      if (ref === null) {
        logger.warn('stream record is not a billing outbox item; ignored', { eventID: record.eventID });
        return;
      }
      try {
        const report = await publisher.publish(ref);
        if (report.outcome === 'skipped') {
          logger.info('billing already published', { sourceId: report.sourceId });
          return;
        }
        metrics.addMetric('BillingEventsPublished', MetricUnit.Count, report.events);
        if (report.recorded) logger.info('billing events published', { ...report });
        else logger.warn('billing events published again: another run had marked them (consumers dedupe on detail.id)', { ...report });
      } catch (error) {
        metrics.addMetric('BillingPublishFailed', MetricUnit.Count, 1);
        logger.error('billing events not published; the stream will retry', { errorCode: codeOf(error), error });
        throw error;
      }
    });
  return observed(logger, metrics, publishBatch);
}
