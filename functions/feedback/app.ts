/**
 * The feedback function as a thin adapter: EventBridge hands it one SES configuration-set event (a bounce
 * or a complaint); it is parsed, recorded by the delivery-feedback use case, logged with identifiers only
 * and counted. A malformed event or one that matches no notice fails the invocation, so Lambda's
 * asynchronous retries and then the failed-invocations queue keep it.
 */
import type { Context } from 'aws-lambda';
import type { DeliveryFeedback, FeedbackOutcome } from '#usecases/delivery-feedback.ts';
import { AftercareError } from '../../shared/errors.ts';
import { MetricUnit, type Logger, type Metrics } from '../../shared/observability.ts';
import { observed } from '../observed.ts';
import { parseSesFeedback } from './ses-event.ts';

export interface FeedbackHandlerDependencies {
  readonly feedback: DeliveryFeedback;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export type FeedbackHandler = (event: unknown, context: Context) => Promise<FeedbackOutcome>;

const OUTCOME_METRICS: Readonly<Partial<Record<FeedbackOutcome['kind'], string>>> = {
  bounced: 'NoticesBounced',
  complained: 'NoticesComplained',
};

export function makeFeedbackHandler(dependencies: FeedbackHandlerDependencies): FeedbackHandler {
  const { feedback, logger, metrics } = dependencies;

  async function recordFeedback(event: unknown): Promise<FeedbackOutcome> {
    try {
      const outcome = await feedback.record(parseSesFeedback(event));
      const metric = OUTCOME_METRICS[outcome.kind];
      if (metric !== undefined) metrics.addMetric(metric, MetricUnit.Count, 1);
      // Identifiers, SES's bounce vocabulary and the outcome: never the recipient's address.
      logger.info(outcome.kind === 'duplicate' ? 'SES feedback already recorded' : 'SES feedback recorded', { ...outcome });
      return outcome;
    } catch (error) {
      const facts = error instanceof AftercareError ? { code: error.code, reason: error.message } : { error };
      logger.error('SES feedback not recorded; the invocation fails and is retried', facts);
      throw error;
    }
  }

  return observed(logger, metrics, recordFeedback);
}
