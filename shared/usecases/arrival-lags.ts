/**
 * Source lateness for the use cases (docs/design.md#order-and-duplicates): intake records each batch's lateness per source before
 * applying its events, so an event's own lateness already holds its own case; the sweep reads every
 * source's state once per run. Both evaluate a case with the holds of the sources that feed it.
 */
import type { Catalog } from '#domain/model.ts';
import { holdsOf, latenessRaises, withRaises, type LatenessHold, type SourceLateness } from '#domain/source-lag.ts';
import type { Instant } from '#domain/time.ts';
import { parseInstant } from '#domain/time.ts';
import { sourceOf } from '#events/source.ts';
import type { SourceLagRepository } from '#store/source-lag-repository.ts';
import type { Clock } from './ports.ts';

/** The sources' lateness as read at one instant (a sweep run, an intake batch). */
export interface ArrivalLags {
  /** The holds the given sources put on a case's running clocks as of `now`. */
  holdsFor(sources: readonly string[], now: Instant): LatenessHold[];
}

/** No source runs late: nothing is held (no repository wired). */
export const NO_LATE_SOURCES: ArrivalLags = { holdsFor: () => [] };

export function arrivalLagsOf(states: readonly SourceLateness[], idleMs: number): ArrivalLags {
  return new StoredLags(states, idleMs);
}

/** A class, not a closure per batch: tsx, which replay runs on, names each closure as it is made (`__name`). */
class StoredLags implements ArrivalLags {
  constructor(
    private readonly states: readonly SourceLateness[],
    private readonly idleMs: number,
  ) {}

  holdsFor(sources: readonly string[], now: Instant): LatenessHold[] {
    return holdsOf(this.states, sources, now, this.idleMs);
  }
}

export interface ArrivalTracking {
  /** Records the lateness of a batch's events (at most one write per source) and returns the lags to apply them with. */
  recordBatch(events: readonly { readonly source?: string | undefined; readonly occurredAt: string }[]): Promise<ArrivalLags>;
  /** The lags as stored now. */
  current(): Promise<ArrivalLags>;
}

export function makeArrivalTracking(dependencies: {
  readonly sources: SourceLagRepository | undefined;
  readonly catalog: Catalog;
  readonly clock: Clock;
}): ArrivalTracking {
  const { sources, catalog, clock } = dependencies;
  const idleMs = catalog.sourceIdleMinutes * 60_000;
  const graceMs = catalog.breachGraceSeconds * 1000;
  return {
    async recordBatch(events) {
      if (sources === undefined) return NO_LATE_SOURCES;
      const arrivedAt = clock.now();
      const stored = await sources.readAll();
      const arrivals = events.map((event) => ({ source: sourceOf(event), occurredAt: parseInstant(event.occurredAt), arrivedAt }));
      const raises = latenessRaises(stored, arrivals, graceMs, idleMs);
      // On-time traffic raises nothing: no write to wait for, and the lags are the ones read.
      if (raises.length === 0) return arrivalLagsOf(stored, idleMs);
      await Promise.all(raises.map((raise) => sources.raise(raise)));
      return arrivalLagsOf(withRaises(stored, raises), idleMs);
    },
    async current() {
      return sources === undefined ? NO_LATE_SOURCES : arrivalLagsOf(await sources.readAll(), idleMs);
    },
  };
}
