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
