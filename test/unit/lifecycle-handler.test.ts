import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LifecycleIncompleteError, makeLifecycleHandler } from '#functions/lifecycle/app.ts';
import type { Lifecycle, LifecycleReport } from '#usecases/lifecycle.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';

const SCHEDULER_PAYLOAD = { scheduledTime: '2026-11-28T05:00:00Z' };

function aLifecycleReport(overrides: Partial<LifecycleReport> = {}): LifecycleReport {
  return {
    contractsDue: 12,
    contractsAdvanced: 11,
    daysAdvanced: 14,
    noticesCreated: 13,
    occurrences: { renewalReminder: 6, expiryReminder: 2, yearClosed: 4, renewed: 3, ended: 1, terminationRightLapsed: 0 },
    failed: [],
    quarantined: [],
    ...overrides,
  };
}

function handlerWith(lifecycle: Lifecycle) {
  const logger = makeLogger('lifecycle');
  const metrics = makeMetrics('AftercareTest', 'lifecycle', logger);
  const addMetric = vi.spyOn(metrics, 'addMetric');
  return { handler: makeLifecycleHandler({ lifecycle, logger, metrics }), addMetric };
}

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('lifecycle handler', () => {
  it('runs the lifecycle once per invocation and returns its report', async () => {
    // Prepare
    const report = aLifecycleReport();
    const run = vi.fn(() => Promise.resolve(report));
    const { handler } = handlerWith({ run });

    // Act
    const returned = await handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-lifecycle'));

    // Assess
    expect(run).toHaveBeenCalledTimes(1);
    expect(returned).toEqual(report);
  });

  it('publishes contracts due and advanced, days, notices and endings as metrics', async () => {
    // Prepare
    const { handler, addMetric } = handlerWith({ run: () => Promise.resolve(aLifecycleReport({ daysAdvanced: 9 })) });

    // Act
    await handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-lifecycle'));

    // Assess
    expect(addMetric).toHaveBeenCalledWith('LifecycleContractsDue', 'Count', 12);
    expect(addMetric).toHaveBeenCalledWith('LifecycleDaysAdvanced', 'Count', 9);
    expect(addMetric).toHaveBeenCalledWith('LifecycleNoticesCreated', 'Count', 13);
    expect(addMetric).toHaveBeenCalledWith('ContractsEnded', 'Count', 1);
  });

  it('publishes the loans out, the reminders and the overdue alerts of the daily look at loans', async () => {
    // Prepare
    const loans = { openLoans: 4, remindersCreated: 2, overdueAlerts: 1 };
    const { handler, addMetric } = handlerWith({ run: () => Promise.resolve(aLifecycleReport({ loans })) });

    // Act
    await handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-lifecycle'));

    // Assess
    expect(addMetric).toHaveBeenCalledWith('LoansOpen', 'Count', 4);
    expect(addMetric).toHaveBeenCalledWith('LoanRemindersCreated', 'Count', 2);
    expect(addMetric).toHaveBeenCalledWith('LoansOverdueAlerted', 'Count', 1);
  });

  it('fails the invocation, naming them, when contracts were left behind, so the schedule retries', async () => {
    // Prepare
    const failed = [{ contractId: 'C-7', reason: 'ConfigurationError: service level "gold" is not in the catalog' }];
    const { handler, addMetric } = handlerWith({ run: () => Promise.resolve(aLifecycleReport({ failed })) });

    // Act
    const outcome = handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-lifecycle'));

    // Assess
    await expect(outcome).rejects.toThrow(LifecycleIncompleteError);
    await expect(outcome).rejects.toThrow(/C-7/);
    expect(addMetric).toHaveBeenCalledWith('LifecycleContractsFailed', 'Count', 1);
  });

  it('lets an error of the run itself fail the invocation', async () => {
    // Prepare
    const { handler } = handlerWith({ run: () => Promise.reject(new Error('DynamoDB: ThrottlingException')) });

    // Act
    const outcome = handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-lifecycle'));

    // Assess
    await expect(outcome).rejects.toThrow('ThrottlingException');
  });
});
