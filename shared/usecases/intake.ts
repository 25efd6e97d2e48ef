/**
 * Intake use case: one valid v1 event → state change, idempotency record and notices in one transaction.
 * A registration then applies the events that were parked waiting for it, each case's events together.
 */
import type { AftercareEventV1 } from '#events/schemas.ts';
import type { Catalog } from '#domain/model.ts';
import type { Clock, EventOutcome } from './ports.ts';
import type { Store } from '#store/store.ts';
import { makeEventApplier } from './event-application.ts';
import { parkedGroups } from './parked-groups.ts';
import { catalogRuntime } from './runtime.ts';

export interface IntakeDependencies {
  readonly store: Store;
  readonly catalog: Catalog;
  readonly clock: Clock;
}

export interface Intake {
  /** Applies one parsed event. Throws (retryable) on conflicts it could not resolve or on dependency failures. */
  processEvent(event: AftercareEventV1): Promise<EventOutcome>;
}

export function makeIntake(dependencies: IntakeDependencies): Intake {
  const { store, catalog, clock } = dependencies;
  const applier = makeEventApplier({ store, runtime: catalogRuntime(catalog), clock });

  return {
    async processEvent(event) {
      const outcome = await applier.apply(event, null);
      // Also on a duplicate registration: a crash after the registration committed left them waiting.
      if (event.type === 'contract.registered' && (outcome.kind === 'applied' || outcome.kind === 'duplicate')) {
        // Each case's events together; a group that fails does not hold back the others, and the record
        // fails after them so SQS redelivers the registration (a duplicate by then) to drain the rest.
        let failure: { readonly error: unknown } | null = null;
        for (const group of parkedGroups(await store.readParkedOf(event.contractId))) {
          try {
            await applier.applyParkedGroup(group);
          } catch (error) {
            failure ??= { error };
          }
        }
        if (failure !== null) throw failure.error;
      }
      return outcome;
    },
  };
}
