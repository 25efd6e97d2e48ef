/**
 * Sweep use case (every minute): declare breaches of clocks past deadline + grace, raise warnings,
 * report and re-apply parked events. Idempotent for the same minute.
 * STUB — the signatures are fixed; the implementation is being written.
 */
import type { Catalog } from '#domain/model.ts';
import type { Store } from '#store/store.ts';
import type { Clock, SweepReport } from './ports.ts';

export interface SweepDependencies {
  readonly store: Store;
  readonly catalog: Catalog;
  readonly clock: Clock;
}

export function makeSweep(_dependencies: SweepDependencies): { run(): Promise<SweepReport> } {
  throw new Error('makeSweep: not implemented yet');
}
