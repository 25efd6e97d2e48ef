/**
 * The lifecycle function as a thin adapter for the EventBridge Scheduler (daily, 06:00 Europe/Oslo):
 * run the lifecycle, log its report, publish it as metrics. Contracts it could not advance fail the
 * invocation after the others are done, so the schedule's retries (idempotent) and its DLQ apply;
 * contracts quarantined (failed too often, alerted) do not.
 */
import type { Context } from 'aws-lambda';
import type { Lifecycle, LifecycleReport } from '#usecases/lifecycle.ts';
import { LifecycleIncompleteError } from '../../shared/errors.ts';
import { MetricUnit, type Logger, type Metrics } from '../../shared/observability.ts';
import { observed } from '../observed.ts';

export interface LifecycleHandlerDependencies {
  readonly lifecycle: Lifecycle;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export { LifecycleIncompleteError };

/** The scheduler's payload (`scheduledTime`) is only logged: the clock says which day it is. */
export type LifecycleHandler = (event: unknown, context: Context) => Promise<LifecycleReport>;

export function makeLifecycleHandler(dependencies: LifecycleHandlerDependencies): LifecycleHandler {
  const { lifecycle, logger, metrics } = dependencies;

  async function runLifecycle(): Promise<LifecycleReport> {
    const report = await lifecycle.run();
    logger.info('lifecycle finished', { report });
    metrics.addMetric('LifecycleContractsDue', MetricUnit.Count, report.contractsDue);
    metrics.addMetric('LifecycleContractsAdvanced', MetricUnit.Count, report.contractsAdvanced);
    metrics.addMetric('LifecycleDaysAdvanced', MetricUnit.Count, report.daysAdvanced);
    metrics.addMetric('LifecycleNoticesCreated', MetricUnit.Count, report.noticesCreated);
    metrics.addMetric('ContractsEnded', MetricUnit.Count, report.occurrences.ended);
    metrics.addMetric('LifecycleContractsFailed', MetricUnit.Count, report.failed.length);
    // Quarantined contracts are set aside and alerted: no retry of the invocation would help them.
    metrics.addMetric('LifecycleContractsQuarantined', MetricUnit.Count, report.quarantined.length);
    if (report.loans !== undefined) {
      // docs/design.md#10-service-structures-loan-units-and-spare-parts-pools: the daily look at loans out.
      metrics.addMetric('LoansOpen', MetricUnit.Count, report.loans.openLoans);
      metrics.addMetric('LoanRemindersCreated', MetricUnit.Count, report.loans.remindersCreated);
      metrics.addMetric('LoansOverdueAlerted', MetricUnit.Count, report.loans.overdueAlerts);
    }
    if (report.quarantined.length > 0) logger.warn('lifecycle quarantined contracts', { quarantined: report.quarantined });
    if (report.failed.length > 0) {
      logger.error('lifecycle left contracts behind', { failed: report.failed });
      throw new LifecycleIncompleteError(`${report.failed.length} contract(s) not advanced: ${report.failed.map((f) => f.contractId).join(', ')}`);
    }
    return report;
  }

  return observed(logger, metrics, runLifecycle);
}
