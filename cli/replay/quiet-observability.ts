/**
 * The memory engine's logger and metrics: replay prints neither (its logs are silent, its metrics off),
 * so the handlers' calls skip Powertools' per-call work (log items built then dropped, metrics stored
 * then discarded) that is a tenth of a run. Nothing a replay outputs can tell them from the real ones.
 */
import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export class QuietLogger extends Logger {
  constructor(serviceName: string) {
    super({ serviceName, logLevel: 'SILENT' });
  }

  /** SILENT, without Powertools' per-read look for a per-invocation level (a `process.env` read). */
  override get level(): number {
    return LogLevelThreshold.SILENT;
  }

  override debug(): void {}
  override info(): void {}
  override warn(): void {}
  override error(): void {}
  override addContext(): void {}
  override logEventIfEnabled(): void {}
  override refreshSampleRateCalculation(): void {}
  override clearBuffer(): void {}
}

export class QuietMetrics extends Metrics {
  constructor(namespace: string, serviceName: string, logger: Logger) {
    super({ namespace, serviceName, logger });
  }

  override addMetric(): this {
    return this;
  }

  override publishStoredMetrics(): this {
    return this;
  }
}
