/**
 * Structured logs and CloudWatch metrics (EMF) for every function, through Powertools.
 * Logs carry identifiers only (event, contract, case, notice ids) — never a customer's name or email.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export type { Logger } from '@aws-lambda-powertools/logger';
export type { Metrics } from '@aws-lambda-powertools/metrics';
export { MetricUnit };

export function makeLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/** Metrics flushed as EMF to stdout; Powertools' own warnings go through `logger` when given. */
export function makeMetrics(namespace: string, serviceName: string, logger?: Logger): Metrics {
  return new Metrics({ namespace, serviceName, ...(logger === undefined ? {} : { logger }) });
}
