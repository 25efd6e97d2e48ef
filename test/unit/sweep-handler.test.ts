import { beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import type { SweepReport } from '#usecases/ports.ts';
import { makeSweepHandler, type Sweep } from '#functions/sweep/app.ts';
import { SweepIncompleteError, TransientDependencyError } from '../../shared/errors.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';

const SCHEDULER_PAYLOAD = { source: 'aftercare.schedule', job: 'sweep' };

function aSweepReport(overrides: Partial<SweepReport> = {}): SweepReport {
  return { casesExamined: 40, breachesDeclared: 3, warningsRaised: 5, parkedOverdue: 1, parkedApplied: 2, ...overrides };
}

function handlerWith(sweep: Sweep) {
  const logger = makeLogger('sweep');
  const metrics = makeMetrics('AftercareTest', 'sweep', logger);
  const addMetric = vi.spyOn(metrics, 'addMetric');
  const publish = vi.spyOn(metrics, 'publishStoredMetrics');
  const handler = makeSweepHandler({ sweep, logger, metrics });
  return { handler, addMetric, publish };
}

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('sweep handler', () => {
  it('runs the sweep once per invocation and returns its report', async () => {
    // Prepare
    const report = aSweepReport();
    let runs = 0;
    const { handler } = handlerWith({
      run: () => {
        runs += 1;
        return Promise.resolve(report);
      },
    });

    // Act
    const returned = await handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-sweep'));

    // Assess
    expect(runs).toBe(1);
    expect(returned).toEqual(report);
  });

  it('publishes breaches declared, warnings raised and overdue parked events as metrics', async () => {
    // Prepare
    const report = aSweepReport({ breachesDeclared: 7, warningsRaised: 11, parkedOverdue: 2 });
    const { handler, addMetric, publish } = handlerWith({ run: () => Promise.resolve(report) });

    // Act
    await handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-sweep'));

    // Assess
    expect(addMetric).toHaveBeenCalledWith('BreachesDeclared', 'Count', 7);
    expect(addMetric).toHaveBeenCalledWith('BreachWarningsRaised', 'Count', 11);
    expect(addMetric).toHaveBeenCalledWith('ParkedEventsOverdue', 'Count', 2);
    expect(publish).toHaveBeenCalledTimes(1);
  });

  it('throws when the sweep fails, so the scheduler retries it', async () => {
    // Prepare
    const failure = new TransientDependencyError('DynamoDB throttled the attention query');
    const { handler, publish } = handlerWith({ run: () => Promise.reject(failure) });

    // Act
    const invocation = handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-sweep'));

    // Assess
    await expect(invocation).rejects.toBe(failure);
    expect(publish).toHaveBeenCalledTimes(1);
  });

  it('succeeds when items failed or were quarantined: they are the sweep’s own business, counted as metrics', async () => {
    // Prepare
    const report = aSweepReport({
      itemsFailed: 2,
      itemsQuarantined: 1,
      failures: [{ kind: 'case', contractId: 'C-1', id: 'K-1', reason: 'RangeError: corrupt', quarantined: true }],
    });
    const { handler, addMetric } = handlerWith({ run: () => Promise.resolve(report) });

    // Act
    const returned = await handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-sweep'));

    // Assess
    expect(returned).toEqual(report);
    expect(addMetric).toHaveBeenCalledWith('SweepItemsFailed', 'Count', 2);
    expect(addMetric).toHaveBeenCalledWith('SweepItemsQuarantined', 'Count', 1);
  });

  it('fails the invocation when the notice upkeep itself failed, after publishing the rest', async () => {
    // Prepare
    const report = aSweepReport({ phasesFailed: [{ phase: 'notices', reason: 'TransientDependencyError: DynamoDB: ThrottlingException' }] });
    const { handler, addMetric, publish } = handlerWith({ run: () => Promise.resolve(report) });

    // Act
    const invocation = handler(SCHEDULER_PAYLOAD, aLambdaContext('aftercare-sweep'));

    // Assess
    await expect(invocation).rejects.toThrow(SweepIncompleteError);
    expect(addMetric).toHaveBeenCalledWith('SweepPhasesFailed', 'Count', 1);
    expect(publish).toHaveBeenCalledTimes(1);
  });
});
