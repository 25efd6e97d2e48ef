/** Factories for contracts, service levels, breaches and statement inputs: sensible defaults, named overrides. */
import type { BreachRecord } from '#domain/credits.ts';
import type { Catalog, CaseEventType, ContractTerms, Kpi, ServiceLevel, Termination, TerminationReason } from '#domain/model.ts';
import type { ContractCaseEvent, ContractRegistered, TerminationRequested } from '#test/support/oracle/portfolio.ts';
import type { ClockOutcome, StatementInput } from '#domain/statement.ts';
import type { Instant } from '#domain/time.ts';

export const OSLO = 'Europe/Oslo';

export function aContract(overrides: Partial<ContractTerms> = {}): ContractTerms {
  const noticeDays = overrides.noticeDays ?? 90;
  return {
    contractId: 'C-1',
    customer: { name: 'Fjordkraft Service AS', email: 'drift@fjordkraft.example', locale: 'nb' },
    serviceLevel: 'premium',
    annualFee: { minor: 12_000_000, currency: 'NOK' },
    startDate: '2026-01-01',
    timeZone: OSLO,
    bindingYears: 1,
    autoRenew: true,
    noticeDays,
    reminderDays: [noticeDays + 30, 30],
    ...overrides,
  };
}

export function aServiceLevel(overrides: Partial<ServiceLevel> = {}): ServiceLevel {
  return {
    key: 'premium',
    name: { en: 'Premium 24/7', nb: 'Premium 24/7' },
    kpis: {
      firstResponse: { targetMs: 15 * 60_000, calendar: 'always', creditPercent: 2 },
      onSite: { targetMs: 24 * 3_600_000, calendar: 'always', creditPercent: 5 },
      replacement: { targetMs: 8 * 3_600_000, calendar: 'always', creditPercent: 3 },
      resolution: { targetMs: 48 * 3_600_000, calendar: 'always', creditPercent: 5 },
    },
    byPriority: {},
    creditCapPercent: 20,
    terminationWindowDays: 90,
    liabilityCapPercent: 100,
    warnAtPercent: 80,
    ...overrides,
  };
}

export function aBreach(overrides: Partial<BreachRecord> & { readonly deadline: Instant }): BreachRecord {
  return { caseId: 'CASE-1', kpi: 'firstResponse', creditPercent: 2, ...overrides };
}

export function anOutcome(kpi: Kpi, deadline: Instant, breached: boolean, caseId = 'CASE-1'): ClockOutcome {
  return { caseId, kpi, deadline, breached };
}

export function aTermination(overrides: Partial<Termination> & { readonly effectiveAt: Instant }): Termination {
  return { reason: 'notice', requestedAt: overrides.effectiveAt - 100 * 86_400_000, eventId: 'E-term', ...overrides };
}

export function aStatementInput(overrides: Partial<StatementInput> & { readonly asOf: Instant }): StatementInput {
  return {
    terms: aContract(),
    level: aServiceLevel(),
    termination: null,
    breaches: [],
    outcomes: [],
    ledger: [],
    notices: [],
    rejected: [],
    parked: [],
    ...overrides,
  };
}

/** An instant from an ISO-8601 text, so tests read in wall-clock terms. */
export function at(text: string): Instant {
  return Date.parse(text);
}

// Portfolio events (domain form), for the oracle's tests.

export function registered(terms: ContractTerms, occurredAt: string, eventId = `reg-${terms.contractId}`): ContractRegistered {
  return { ...terms, type: 'contract.registered', eventId, occurredAt: at(occurredAt) };
}

export function terminationRequested(
  contractId: string,
  reason: TerminationReason,
  occurredAt: string,
  options: { readonly eventId?: string; readonly effectiveDate?: string } = {},
): TerminationRequested {
  return {
    type: 'contract.termination_requested',
    eventId: options.eventId ?? `term-${contractId}@${occurredAt}`,
    occurredAt: at(occurredAt),
    contractId,
    reason,
    ...(options.effectiveDate === undefined ? {} : { effectiveDate: options.effectiveDate }),
  };
}

type PlainCaseEventType = Exclude<CaseEventType, 'case.opened' | 'case.paused' | 'case.visit_reported'>;

/** A case event of `contractId`; `case.opened` without required on-site or replacement. */
export function onCase(contractId: string, caseId: string, type: PlainCaseEventType | 'case.opened', occurredAt: string): ContractCaseEvent {
  return { type, contractId, caseId, eventId: `${caseId}:${type}@${occurredAt}`, occurredAt: at(occurredAt) };
}

export function aCatalog(level: ServiceLevel = aServiceLevel()): Catalog {
  return { calendars: { always: { kind: 'always' } }, serviceLevels: { [level.key]: level }, breachGraceSeconds: 300, noticeSettleMinutes: 15, sourceIdleMinutes: 30, parkedRetentionDays: 30 };
}
