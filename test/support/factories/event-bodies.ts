/**
 * Valid v1 events as integrations send them, with overrides for the field under test.
 * Bodies are plain objects (what JSON.parse gives), so tests can also break them on purpose.
 */

type Body = Record<string, unknown>;

export function aContractRegistered(overrides: Body = {}): Body {
  return {
    eventId: 'crm-C-1-registered',
    type: 'contract.registered',
    occurredAt: '2025-12-15T10:00:00+01:00',
    contractId: 'C-1',
    customer: { name: 'Nordlys Logistikk AS', email: 'drift@nordlys.example', locale: 'nb' },
    serviceLevel: 'premium',
    annualFee: { amount: '120000.00', currency: 'NOK' },
    startDate: '2026-01-01',
    ...overrides,
  };
}

export function aCaseOpened(overrides: Body = {}): Body {
  return {
    eventId: 'hd-1-opened',
    type: 'case.opened',
    occurredAt: '2026-02-09T09:00:00+01:00',
    contractId: 'C-1',
    caseId: 'K-1',
    ...overrides,
  };
}

export function aCaseEvent(type: string, overrides: Body = {}): Body {
  return {
    eventId: `hd-1-${type}`,
    type,
    occurredAt: '2026-02-09T10:00:00+01:00',
    contractId: 'C-1',
    caseId: 'K-1',
    ...(type === 'case.paused' ? { reason: 'awaiting_customer' } : {}),
    ...(type === 'case.visit_reported' ? { visitId: 'V-1', hoursOnSite: 2 } : {}),
    ...overrides,
  };
}

export function aTerminationRequested(overrides: Body = {}): Body {
  return {
    eventId: 'crm-C-1-notice',
    type: 'contract.termination_requested',
    occurredAt: '2026-09-15T12:00:00+02:00',
    contractId: 'C-1',
    reason: 'notice',
    ...overrides,
  };
}

export function aContractAmended(overrides: Body = {}): Body {
  return {
    eventId: 'crm-C-1-amended',
    type: 'contract.amended',
    occurredAt: '2026-09-15T12:00:00+02:00',
    contractId: 'C-1',
    fromYear: 2,
    annualFee: { amount: '123600.00', currency: 'NOK' },
    ...overrides,
  };
}

export function bodyOf(event: Body): string {
  return JSON.stringify(event);
}

/** A minimal valid pool or loan event (contracts queue, no contract in its envelope). */
export function aPoolEvent(type: string, overrides: Body = {}): Body {
  const base = { eventId: `crm-${type}`, type, occurredAt: '2026-02-09T10:00:00+01:00', poolId: 'POOL-1' };
  const fields: Record<string, Body> = {
    'pool.registered': { kind: 'shared', location: 'Oslo depot', holds: 'Loan printer', units: ['U-1', 'U-2'] },
    'pool.units_changed': { added: ['U-3'] },
    'loan.started': {
      unitId: 'U-1',
      borrower: { name: 'Fjord Kontorteknikk AS', email: 'innkjop@fjord.example', locale: 'nb' },
      dueDate: '2026-02-20',
    },
    'loan.returned': { unitId: 'U-1' },
  };
  return { ...base, ...(fields[type] ?? {}), ...overrides };
}
