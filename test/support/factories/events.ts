/**
 * Parsed v1 events (what the intake use case receives) for use-case and store tests, a settable clock
 * and the default catalog. Bodies go through the real zod schema, so defaults apply as in production.
 */
import { loadDefaultCatalog } from '#config/catalog.ts';
import type { Catalog, CaseEventType } from '#domain/model.ts';
import { eventV1, type AftercareEventV1 } from '#events/v1.ts';
import type { Clock } from '#usecases/ports.ts';

type Body = Record<string, unknown>;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function anEvent(body: Body): AftercareEventV1 {
  return eventV1.parse(body);
}

/** Premium (default catalog): 120 000.00 NOK a year, so 1 % = 120 000 minor units, cap 20 %. */
export function aRegistration(overrides: Body = {}): AftercareEventV1 {
  const contractId = (overrides.contractId as string | undefined) ?? 'C-1';
  return anEvent({
    eventId: `crm-${contractId}-registered`,
    type: 'contract.registered',
    occurredAt: '2025-12-15T10:00:00+01:00',
    contractId,
    customer: { name: 'Nordlys Logistikk AS', email: 'drift@nordlys.example', locale: 'nb' },
    serviceLevel: 'premium',
    annualFee: { amount: '120000.00', currency: 'NOK' },
    startDate: '2026-01-01',
    ...overrides,
  });
}

export interface CaseEventSpec {
  readonly contractId?: string;
  readonly caseId?: string;
  /** ISO instant with offset. */
  readonly at: string;
  readonly eventId?: string;
  readonly fields?: Body;
}

export function aCaseEvent(type: CaseEventType, spec: CaseEventSpec): AftercareEventV1 {
  const contractId = spec.contractId ?? 'C-1';
  const caseId = spec.caseId ?? 'K-1';
  return anEvent({
    eventId: spec.eventId ?? `hd-${contractId}-${caseId}-${type}-${spec.at}`,
    type,
    occurredAt: spec.at,
    contractId,
    caseId,
    ...(type === 'case.paused' ? { reason: 'awaiting_customer' } : {}),
    ...spec.fields,
  });
}

export function aTerminationRequest(overrides: Body = {}): AftercareEventV1 {
  return anEvent({
    eventId: 'crm-C-1-terminate',
    type: 'contract.termination_requested',
    occurredAt: '2026-09-15T12:00:00+02:00',
    contractId: 'C-1',
    reason: 'notice',
    ...overrides,
  });
}

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
  set(iso: string): void {
    this.at = Date.parse(iso);
  }
}

let catalog: Catalog | undefined;
export function defaultCatalog(): Catalog {
  catalog ??= loadDefaultCatalog();
  return catalog;
}

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same portfolio. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `contracts` premium contracts starting 2026-01-01, each with `casesPerContract` cases of four events:
 * opened (sometimes with on-site), responded (sometimes late), a pause or the technician, resolved.
 * 20 × (1 + 6 × 4) = 500 events.
 */
export function aPortfolio(seed: number, contracts = 20, casesPerContract = 6): AftercareEventV1[] {
  const random = seededRandom(seed);
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low));
  const iso = (instant: number): string => new Date(instant).toISOString();
  const events: AftercareEventV1[] = [];
  for (let c = 1; c <= contracts; c += 1) {
    const contractId = `P-${String(c).padStart(2, '0')}`;
    events.push(aRegistration({ contractId, eventId: `reg-${contractId}` }));
    for (let k = 1; k <= casesPerContract; k += 1) {
      const caseId = `${contractId}-K${k}`;
      const spec = (at: number): CaseEventSpec => ({ contractId, caseId, at: iso(at) });
      const opened = Date.parse('2026-02-01T00:00:00Z') + between(0, 240) * 24 * HOUR + between(0, 24 * 60) * MINUTE;
      const onSite = random() < 0.5;
      events.push(aCaseEvent('case.opened', { ...spec(opened), fields: { onSiteRequired: onSite } }));
      events.push(aCaseEvent('case.responded', spec(opened + between(2, 40) * MINUTE)));
      events.push(
        onSite
          ? aCaseEvent('case.technician_arrived', spec(opened + between(4, 30) * HOUR))
          : aCaseEvent('case.paused', { ...spec(opened + between(1, 10) * HOUR), fields: { reason: 'awaiting_customer' } }),
      );
      events.push(aCaseEvent('case.resolved', spec(opened + between(12, 60) * HOUR)));
    }
  }
  return events;
}

/** Fisher–Yates with the seeded generator. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
