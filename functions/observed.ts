/**
 * Every function's entry wrapped the same way: each log line carries the Lambda context, and the
 * invocation's metrics are flushed as EMF when it returns or throws. It does what Powertools'
 * `injectLambdaContext` and `logMetrics` middlewares do, without middy.
 */
import type { Context } from 'aws-lambda';
import type { Logger, Metrics } from '../shared/observability.ts';

export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

export function observed<TEvent, TResult>(logger: Logger, metrics: Metrics, handler: LambdaHandler<TEvent, TResult>): LambdaHandler<TEvent, TResult> {
  return async (event, context) => {
    logger.refreshSampleRateCalculation();
    logger.addContext(context);
    // Logs the event only when POWERTOOLS_LOGGER_LOG_EVENT says so (off: events carry customer data).
    logger.logEventIfEnabled(event);
    try {
      return await handler(event, context);
    } finally {
      metrics.publishStoredMetrics();
      logger.clearBuffer();
    }
  };
}
