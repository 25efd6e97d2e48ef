/**
 * The sweep function as a thin adapter for the EventBridge Scheduler (every minute): run the sweep,
 * log its report, publish it as metrics. Items that failed or were quarantined are the sweep's own
 * business (retried next minute, or set aside and alerted): the run succeeds. A phase that failed as a
 * whole (the notice upkeep, or listing the due work) throws after the others ran, so the schedule's
 * retry policy applies.
 */
import type { Context } from 'aws-lambda';
import type { SweepReport } from '#usecases/ports.ts';
import { SweepIncompleteError } from '../../shared/errors.ts';
import { MetricUnit, type Logger, type Metrics } from '../../shared/observability.ts';
import { observed } from '../observed.ts';

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
    metrics.addMetric('ParkedEventsExpired', MetricUnit.Count, report.parkedExpired ?? 0);
    metrics.addMetric('SweepItemsFailed', MetricUnit.Count, report.itemsFailed ?? 0);
    metrics.addMetric('SweepItemsQuarantined', MetricUnit.Count, report.itemsQuarantined ?? 0);
    metrics.addMetric('SweepPhasesFailed', MetricUnit.Count, report.phasesFailed?.length ?? 0);
    if (report.failures !== undefined) logger.warn('sweep items failed', { failures: report.failures });
    if (report.phasesFailed !== undefined && report.phasesFailed.length > 0) {
      logger.error('sweep phases failed', { phasesFailed: report.phasesFailed });
      throw new SweepIncompleteError(`sweep phases failed: ${report.phasesFailed.map((f) => `${f.phase} (${f.reason})`).join('; ')}`);
    }
    return report;
  }

  return observed(logger, metrics, runSweep);
}
