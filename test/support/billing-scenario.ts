/**
 * Billing over two contract years (docs/design.md#12-contract-changes-and-billing), for either engine's
 * billing test: a premium contract earns credits (one booked by the sweep and reversed by a late event,
 * two that stay), its first year closes, a termination by notice is accepted and the contract ends with
 * credits owed. `runBillingScenario` drives it day by day, handing every commit's outbox items to the
 * billing publisher after each step, as the local stack does.
 */
import { expect } from 'vitest';
import type { BillingOutboxDriver } from '#cli/local/billing-sink.ts';
import { addDays, instantOfWallTime, startOfLocalDate } from '#domain/time.ts';
import type { AftercareEventV1 } from '#events/v1.ts';
import { makeLifecycleHandler, type LifecycleHandler } from '#functions/lifecycle/app.ts';
import type { Catalog } from '#domain/model.ts';
import type { Store } from '#store/store.ts';
import type { LifecycleRepository } from '#store/lifecycle-repository.ts';
import { makeLifecycle } from '#usecases/lifecycle.ts';
import type { Logger } from '@aws-lambda-powertools/logger';
import { makeMetrics } from '../../shared/observability.ts';
import type { makeIntake } from '#usecases/intake.ts';
import type { makeSweep } from '#usecases/sweep.ts';
import { aLambdaContext } from './factories/sqs.ts';
import { aCaseEvent, aRegistration, aTerminationRequest, MINUTE, type TestClock } from './factories/events.ts';

export const BILLING_SCENARIO_START = Date.parse('2025-12-15T09:00:00Z');
const K1_OPENED = Date.parse('2026-03-02T09:00:00Z');
const iso = (instant: number): string => new Date(instant).toISOString();

/** Case events in time order; the sweep runs before the third (declares K-1's first response breached). */
export function billingScenarioEvents(contractId: string, customerEmail: string): AftercareEventV1[] {
  return [
    aRegistration({ contractId, customer: { name: 'Nordlys Logistikk AS', email: customerEmail, locale: 'nb' }, bindingYears: 1 }),
    aCaseEvent('case.opened', { contractId, caseId: 'K-1', at: iso(K1_OPENED) }),
    // Arrives after the sweep declared the breach: the response came in time, the credit is reversed.
    aCaseEvent('case.responded', { contractId, caseId: 'K-1', at: iso(K1_OPENED + 10 * MINUTE) }),
    // Each case is resolved in time: a case left open would breach its resolution at the next sweep.
    aCaseEvent('case.resolved', { contractId, caseId: 'K-1', at: iso(K1_OPENED + 60 * MINUTE) }),
    aCaseEvent('case.opened', { contractId, caseId: 'K-2', at: '2026-06-15T13:00:00Z' }),
    aCaseEvent('case.responded', { contractId, caseId: 'K-2', at: '2026-06-15T13:45:00Z' }),
    aCaseEvent('case.resolved', { contractId, caseId: 'K-2', at: '2026-06-15T15:00:00Z' }),
    aCaseEvent('case.opened', { contractId, caseId: 'K-3', at: '2027-03-01T08:00:00Z' }),
    aCaseEvent('case.responded', { contractId, caseId: 'K-3', at: '2027-03-01T08:30:00Z' }),
    aCaseEvent('case.resolved', { contractId, caseId: 'K-3', at: '2027-03-01T10:00:00Z' }),
    aTerminationRequest({ contractId, eventId: `crm-${contractId}-notice`, occurredAt: '2027-09-20T10:00:00+02:00', reason: 'notice' }),
  ];
}

/** When each event is received: K-1's response 30 minutes late, after the sweep; the others at once. */
const receivedAt = (event: AftercareEventV1, index: number): number =>
  index === 2 ? K1_OPENED + 30 * MINUTE : Date.parse(event.occurredAt) + 1_000;

export interface BillingScenarioParts {
  readonly clock: TestClock;
  readonly events: readonly AftercareEventV1[];
  readonly intake: Pick<ReturnType<typeof makeIntake>, 'processEvent'>;
  readonly sweep: Pick<ReturnType<typeof makeSweep>, 'run'>;
  readonly lifecycle: LifecycleHandler;
  readonly billing: BillingOutboxDriver;
}

/** The lifecycle handler of either engine's scenario: its store and contract directory, test metrics. */
export function scenarioLifecycle(deps: { store: Store; contracts: LifecycleRepository; catalog: Catalog; clock: TestClock; logger: Logger }): LifecycleHandler {
  const { store, contracts, catalog, clock, logger } = deps;
  return makeLifecycleHandler({
    lifecycle: makeLifecycle({ store, contracts, catalog, clock }),
    logger,
    metrics: makeMetrics('AftercareTest', 'lifecycle', logger),
  });
}

/** The lifecycle every morning, the events as received (each followed by the every-minute sweep), publishing after each step. */
export async function runBillingScenario(parts: BillingScenarioParts): Promise<void> {
  const { clock, events, intake, sweep, lifecycle, billing } = parts;
  let next = 0;
  for (let date = '2025-12-15'; date <= '2028-01-02'; date = addDays(date, 1)) {
    clock.at = instantOfWallTime(date, 6 * 60, 'Europe/Oslo');
    await lifecycle({ scheduledTime: iso(clock.now()) }, aLambdaContext('aftercare-lifecycle'));
    await billing.publishCreated();
    const dayEnd = startOfLocalDate(addDays(date, 1), 'Europe/Oslo');
    for (; next < events.length && receivedAt(events[next] as AftercareEventV1, next) < dayEnd; next += 1) {
      const event = events[next] as AftercareEventV1;
      if (next === 2) {
        clock.at = K1_OPENED + 21 * MINUTE;
        await sweep.run();
        await billing.publishCreated();
      }
      clock.at = receivedAt(event, next);
      expect((await intake.processEvent(event)).kind).toBe('applied');
      await sweep.run(); // the every-minute sweep books what intake recorded
      await billing.publishCreated();
    }
  }
}

/** What billing is told, in order: [detail-type, detail.id]. */
export function expectedBillingEvents(contractId: string): [string, string][] {
  return [
    ['Credit Booked', `credit.booked#${contractId}#1#1`],
    ['Credit Reversed', `credit.reversed#${contractId}#1#2`],
    ['Credit Booked', `credit.booked#${contractId}#1#3`],
    ['Year Closed', `year.statement#${contractId}#1`],
    ['Credit Booked', `credit.booked#${contractId}#2#1`],
    ['Termination Accepted', `termination.confirmed#${contractId}#default#crm-${contractId}-notice`],
    ['Contract Ended', `contract.ended#${contractId}`],
  ];
}
