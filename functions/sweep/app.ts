/**
 * The sweep function as a thin adapter for the EventBridge Scheduler (every minute): run the sweep,
 * log its report, publish it as metrics. A failure throws so the schedule's retry policy applies.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import type { SweepReport } from '#usecases/ports.ts';
import { MetricUnit, type Logger, type Metrics } from '../../shared/observability.ts';

export interface Sweep {
  run(): Promise<SweepReport>;
}

export interface SweepHandlerDependencies {
  readonly sweep: Sweep;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** The scheduler's payload carries nothing the sweep needs: the clock says which minute it is. */
export type SweepHandler = (event: unknown, context: Context) => Promise<SweepReport>;

export function makeSweepHandler(dependencies: SweepHandlerDependencies): SweepHandler {
  const { sweep, logger, metrics } = dependencies;

  async function runSweep(): Promise<SweepReport> {
    const report = await sweep.run();
    logger.info('sweep finished', { report });
    metrics.addMetric('BreachesDeclared', MetricUnit.Count, report.breachesDeclared);
    metrics.addMetric('CreditsBookedMinor', MetricUnit.Count, report.creditsBookedMinor ?? 0);
    metrics.addMetric('BreachWarningsRaised', MetricUnit.Count, report.warningsRaised);
    metrics.addMetric('ParkedEventsOverdue', MetricUnit.Count, report.parkedOverdue);
    metrics.addMetric('ParkedEventsApplied', MetricUnit.Count, report.parkedApplied);
    metrics.addMetric('CasesExamined', MetricUnit.Count, report.casesExamined);
    metrics.addMetric('NoticesRedriven', MetricUnit.Count, report.noticesRedriven ?? 0);
    metrics.addMetric('NoticesUnknown', MetricUnit.Count, report.noticesUnknown ?? 0);
    return report;
  }

  return middy<unknown, SweepReport>(runSweep).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
