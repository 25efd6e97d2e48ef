/**
 * Intake use case: one valid v1 event → state change, idempotency record and notices in one transaction.
 * A registration then applies the events that were parked waiting for it, each case's events together.
 * Each batch's lateness per source is recorded before its events are applied (docs/design.md#order-and-duplicates), so late
 * events hold their cases.
 */
import type { AftercareEventV1 } from '#events/schemas.ts';
import type { Catalog } from '#domain/model.ts';
import type { Clock, EventOutcome } from './ports.ts';
import type { SourceLagRepository } from '#store/source-lag-repository.ts';
import type { SuppressionRepository } from '#store/delivery-feedback-repository.ts';
import { makeArrivalTracking, type ArrivalLags } from './arrival-lags.ts';
import { makeEventApplier, type EventApplicationStore } from './event-application.ts';
import { parkedGroups } from './parked-groups.ts';
import { catalogRuntime } from './runtime.ts';
import { isPoolEvent } from '#events/owners.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import { ConfigurationError } from '../errors.ts';
import { makePoolApplier } from './pool-application.ts';

export interface IntakeDependencies {
  /** The ports of applying an event; the parked events a registration applies are read through them too. */
  readonly store: EventApplicationStore;
  readonly catalog: Catalog;
  readonly clock: Clock;
  /**
   * Per-source lateness (source-lag-repository.ts). Without it nothing is recorded and no running clock
   * is held for a late source; every deployed or local intake should pass it.
   */
  readonly sourceLags?: SourceLagRepository;
  /**
   * Suppressed addresses (SES feedback): a `contract.amended` with an email lifts that address's suppression
   * (docs/design.md#12-contract-changes-and-billing). Every deployed or local intake passes it.
   */
  readonly suppressions?: Pick<SuppressionRepository, 'releaseSuppression'>;
  /** The pools (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools); without it a pool or loan event, or a replacement naming a pool, fails (retried). */
  readonly pools?: PoolRepository;
}

function required(pools: PoolRepository | undefined): PoolRepository {
  if (pools === undefined) throw new ConfigurationError('a pool or loan event arrived, but this intake has no pool repository');
  return pools;
}

export interface Intake {
  /**
   * Records the lateness of a batch's events per source (before any is applied) and returns the lags
   * to apply them with. Throws (retryable) on dependency failures.
   */
  recordArrivals(events: readonly AftercareEventV1[]): Promise<ArrivalLags>;
  /**
   * Applies one parsed event with the lags its batch recorded; without them, records the event's own
   * arrival first. Throws (retryable) on conflicts it could not resolve or on dependency failures.
   */
  processEvent(event: AftercareEventV1, lags?: ArrivalLags): Promise<EventOutcome>;
}

export function makeIntake(dependencies: IntakeDependencies): Intake {
  const { store, catalog, clock } = dependencies;
  const { pools, suppressions } = dependencies;
  const applier = makeEventApplier({
    store,
    runtime: catalogRuntime(catalog),
    clock,
    ...(pools === undefined ? {} : { pools }),
    ...(suppressions === undefined ? {} : { suppressions }),
  });
  const poolApplier = makePoolApplier({
    store: {
      commit: (writes) => store.commit(writes),
      createNoticeOnce: (notice) => store.createNoticeOnce(notice),
      readPool: (poolId) => required(pools).readPool(poolId),
      readPoolEvent: (request) => required(pools).readPoolEvent(request),
      listPools: () => required(pools).listPools(),
    },
    runtime: catalogRuntime(catalog),
    clock,
  });
  const arrivals = makeArrivalTracking({ sources: dependencies.sourceLags, catalog, clock });

  /** A registration, then the events parked waiting for it. */
  async function register(event: AftercareEventV1 & { readonly type: 'contract.registered' }, lags: ArrivalLags): Promise<EventOutcome> {
    const outcome = await applier.apply(event, null, lags);
    // Also on a duplicate registration: a crash after the registration committed left them waiting.
    if (outcome.kind === 'applied' || outcome.kind === 'duplicate') {
      // Each case's events together; a group that fails does not hold back the others, and the record
      // fails after them so SQS redelivers the registration (a duplicate by then) to drain the rest.
      let failure: { readonly error: unknown } | null = null;
      for (const group of parkedGroups(await store.readParkedOf(event.contractId))) {
        try {
          await applier.applyParkedGroup(group, lags);
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure !== null) throw failure.error;
    }
    return outcome;
  }

  function processWith(event: AftercareEventV1, lags: ArrivalLags): Promise<EventOutcome> {
    if (isPoolEvent(event)) return poolApplier.apply(event);
    return event.type === 'contract.registered' ? register(event, lags) : applier.apply(event, null, lags);
  }

  return {
    recordArrivals: (events) => arrivals.recordBatch(events),
    // The applier's promise itself when the batch's lags are given, not an async frame around it: this runs per event.
    processEvent: (event, batchLags) =>
      batchLags === undefined ? arrivals.recordBatch([event]).then((lags) => processWith(event, lags)) : processWith(event, batchLags),
  };
}
