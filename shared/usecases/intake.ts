/**
 * Intake use case: one valid v1 event → state change, idempotency record and notices in one transaction.
 * STUB — the signatures are fixed; the implementation is being written.
 */
import type { AftercareEventV1 } from '#events/v1.ts';
import type { Catalog } from '#domain/model.ts';
import type { Clock, EventOutcome } from './ports.ts';
import type { Store } from '#store/store.ts';

export interface IntakeDependencies {
  readonly store: Store;
  readonly catalog: Catalog;
  readonly clock: Clock;
}

export interface Intake {
  /** Applies one parsed event. Throws (retryable) on conflicts it could not resolve or on dependency failures. */
  processEvent(event: AftercareEventV1): Promise<EventOutcome>;
}

export function makeIntake(_dependencies: IntakeDependencies): Intake {
  throw new Error('makeIntake: not implemented yet');
}
