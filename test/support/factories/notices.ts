/**
 * Notices for tests: one valid payload per type, with distinct figures and overrides per test, and the
 * outbox records the use cases create from them (delivery tests).
 */
import type { ContractContext, NoticePayload, NoticeType, YearFigures } from '#notices/types.ts';
import type { NoticeRecord } from '#store/store.ts';

export function aContractContext(overrides: Partial<ContractContext> = {}): ContractContext {
  return {
    contractId: 'C-1',
    customerName: 'Fjellvik Bygg AS',
    serviceLevelName: 'Premium 24/7',
    currency: 'NOK',
    timeZone: 'Europe/Oslo',
    ...overrides,
  };
}

export function aYear(overrides: Partial<YearFigures> = {}): YearFigures {
  return {
    index: 1,
    start: '2026-01-01',
    end: '2027-01-01',
    feeMinor: 12_000_000,
    breaches: { firstResponse: 2, onSite: 1, replacement: 0, resolution: 0 },
    kpisMetPercent: { firstResponse: 97.5, onSite: 88.9, replacement: null, resolution: 100 },
    creditsMinor: 567_800,
    capMinor: 2_400_000,
    amountDueNextYearMinor: 11_732_200,
    ...overrides,
  };
}

const DEADLINE = Date.parse('2026-03-23T13:05:00Z');
const POOL = { poolId: 'POOL-OSLO-1', kind: 'shared', holds: 'Loan printer LX-500', location: 'Oslo depot, Økern' } as const;

/** A payload of `type` for `contract`; its figures are the ones the rendering tests look for. */
export function aNotice(type: NoticeType, contract: ContractContext = aContractContext()): NoticePayload {
  switch (type) {
    case 'credit.issued':
      return {
        type, contract, caseId: 'CASE-1', kpi: 'onSite', deadline: DEADLINE, metAt: DEADLINE + 3_600_000,
        creditMinor: 123_450, yearIndex: 1, yearTotalMinor: 567_800, capMinor: 2_400_000,
      };
    case 'credit.adjusted':
      return {
        type, contract, yearIndex: 1, changes: [{ caseId: 'CASE-1', kpi: 'onSite', amountMinor: -123_450 }],
        previousTotalMinor: 567_800, newTotalMinor: 444_350, capMinor: 2_400_000,
      };
    case 'credit.cap_reached':
      return { type, contract, yearIndex: 1, capMinor: 2_400_000, rightSince: DEADLINE, rightUntil: Date.parse('2026-06-21T12:05:00Z') };
    case 'renewal.reminder':
      return {
        type, contract, termEnd: '2027-01-01', nextFeeMinor: 12_300_000, creditsDeductedMinor: 567_800,
        amountDueMinor: 11_732_200, noticeDeadline: '2026-10-03',
      };
    case 'term.expiry_reminder':
      return { type, contract, termEnd: '2027-01-01', because: 'no_auto_renew', creditsOwedMinor: 567_800 };
    case 'termination.confirmed':
      return {
        type, contract, reason: 'credit_cap_breach', requestedAt: DEADLINE, endsAt: DEADLINE, endDate: null,
        yearIndex: 2, yearCreditsMinor: 567_800, endsInThisYear: true, previousYearCreditsMinor: 123_450,
        finalStatementOn: '2026-03-24',
      };
    case 'year.statement':
      return { type, contract, year: aYear() };
    case 'contract.ended':
      return { type, contract, endedOn: '2027-01-01', years: [aYear()], creditsOwedMinor: 567_800 };
    case 'ops.breach_warning':
      return { type, contractId: contract.contractId, caseId: 'CASE-1', kpi: 'firstResponse', deadline: DEADLINE, percent: 80 };
    case 'ops.event_rejected':
      return { type, contractId: contract.contractId, eventId: 'E-9', eventType: 'case.opened', reason: 'contract has ended' };
    case 'ops.parked_events':
      return { type, count: 3, oldestReceivedAt: DEADLINE, contractIds: [contract.contractId, 'C-2'] };
    case 'ops.notice_unknown':
    case 'ops.notice_failed':
      return { type, noticeId: 'credit.issued#C-1#CASE-1#onSite', noticeType: 'credit.issued', contractId: contract.contractId, reason: 'lease expired' };
    case 'ops.item_quarantined':
      return { type, contractId: contract.contractId, item: 'case', itemId: 'CASE-1', attempts: 5, reason: 'RangeError: corrupt case event' };
    case 'ops.notice_bounced':
    case 'ops.notice_complained':
      return { type, noticeId: 'credit.issued#C-1#CASE-1#onSite', noticeType: 'credit.issued', contractId: contract.contractId, reason: 'permanent bounce (General)' };
    case 'loan.return_reminder':
      return {
        type, pool: POOL, unitId: 'LX-0007', borrowerName: contract.customerName, contractId: contract.contractId, caseId: 'CASE-1',
        startedAt: DEADLINE, dueAt: Date.parse('2026-04-06T22:00:00Z'), timeZone: 'Europe/Oslo',
      };
    case 'ops.pool_exhausted':
      return { type, pool: POOL, contractId: contract.contractId, caseId: 'CASE-1', units: 2, out: 2, requestedAt: DEADLINE };
    case 'ops.loan_overdue':
      return {
        type, pool: POOL, unitId: 'LX-0007', borrowerName: 'Fjord Demo AS', contractId: null, caseId: null,
        startedAt: DEADLINE, dueAt: Date.parse('2026-04-06T22:00:00Z'), timeZone: 'Europe/Oslo',
      };
    case 'ops.pool_risk':
      return {
        type, pool: POOL, cause: 'contract C-9 is now entitled to the pool', units: 2, out: 1, contracts: 3, drawsPerYear: 12,
        meanTurnaroundDays: 9.5, pEmpty: 0.0432, targetAvailability: 0.99, unitsNeeded: 3,
      };
  }
}

// Outbox notice records as the use cases create them.
export const CUSTOMER_EMAIL = 'innkjop@fjellvik-bygg.example';
export const CUSTOMER_NAME = 'Fjellvik Bygg AS';
export const OPERATOR_EMAIL = 'drift@aftercare.example';
export const CREATED_AT = Date.parse('2026-11-28T09:00:00Z');

export function aCreditIssuedRecord(overrides: Partial<NoticeRecord> = {}): NoticeRecord {
  return {
    id: 'credit.issued#C-1#CASE-1#onSite',
    contractId: 'C-1',
    type: 'credit.issued',
    audience: 'customer',
    to: CUSTOMER_EMAIL,
    locale: 'nb',
    payload: aNotice('credit.issued', aContractContext({ customerName: CUSTOMER_NAME })),
    createdAt: CREATED_AT,
    ...overrides,
  };
}

export function aBreachWarningRecord(overrides: Partial<NoticeRecord> = {}): NoticeRecord {
  return {
    id: 'ops.breach_warning#C-1#CASE-1#firstResponse',
    contractId: 'C-1',
    type: 'ops.breach_warning',
    audience: 'operations',
    to: null,
    locale: null,
    payload: aNotice('ops.breach_warning'),
    createdAt: CREATED_AT,
    ...overrides,
  };
}

export function aYearStatementRecord(overrides: Partial<NoticeRecord> = {}): NoticeRecord {
  return {
    id: 'year.statement#C-1#1',
    contractId: 'C-1',
    type: 'year.statement',
    audience: 'customer',
    to: CUSTOMER_EMAIL,
    locale: 'nb',
    payload: aNotice('year.statement', aContractContext({ customerName: CUSTOMER_NAME })),
    createdAt: CREATED_AT,
    ...overrides,
  };
}
