/**
 * Fixed example payloads, one per notice type: the source of the rendered examples in docs/notices
 * and of the test that keeps them current.
 */
import type { Provider } from '#domain/model.ts';
import type { NoticePayload, NoticeType, YearFigures } from './types.ts';

/** The provider the examples speak for: the one the default catalog shows (catalog/default.json). */
export const EXAMPLE_PROVIDER: Provider = {
  name: 'Ærlig Teknikk AS',
  replyTo: 'kundeservice@aerlig-teknikk.example',
  signature: { nb: ['Kundeservice', 'Ærlig Teknikk AS'], en: ['Customer service', 'Ærlig Teknikk AS'] },
  contactLine: {
    nb: 'Har du spørsmål, svar på denne e-posten eller ring kundeservice på 22\u00a000\u00a000\u00a000 (hverdager 08–16).',
    en: 'If you have any questions, reply to this email or call customer service on +47\u00a022\u00a000\u00a000\u00a000 (weekdays 08–16).',
  },
};

const contract = {
  contractId: 'C-2026-0042',
  customerName: 'Nordlys Eiendom AS',
  serviceLevelName: 'Premium 24/7',
  currency: 'NOK',
  timeZone: 'Europe/Oslo',
} as const;

const firstYear: YearFigures = {
  index: 1,
  start: '2026-01-01',
  end: '2027-01-01',
  feeMinor: 12_000_000,
  breaches: { firstResponse: 2, onSite: 1, replacement: 0, resolution: 0 },
  kpisMetPercent: { firstResponse: 97.5, onSite: 88.9, replacement: null, resolution: 100 },
  creditsMinor: 840_000,
  capMinor: 2_400_000,
  nextYearFeeMinor: 12_300_000,
  amountDueNextYearMinor: 11_460_000,
};

const secondYear: YearFigures = {
  index: 2,
  start: '2027-01-01',
  end: '2028-01-01',
  feeMinor: 12_300_000,
  breaches: { firstResponse: 0, onSite: 0, replacement: 1, resolution: 1 },
  kpisMetPercent: { firstResponse: 100, onSite: 100, replacement: 75, resolution: 96.2 },
  creditsMinor: 984_000,
  capMinor: 2_460_000,
  amountDueNextYearMinor: 0,
};

const POOL = { poolId: 'POOL-OSLO-1', kind: 'shared', holds: 'Loan printer LX-500', location: 'Oslo depot, Økern' } as const;

export const NOTICE_EXAMPLES: Readonly<Record<NoticeType, NoticePayload>> = {
  'credit.issued': {
    type: 'credit.issued',
    contract,
    caseId: 'CASE-7781',
    kpi: 'onSite',
    deadline: Date.parse('2026-03-23T13:05:00Z'),
    metAt: Date.parse('2026-03-23T16:40:00Z'),
    creditMinor: 600_000,
    yearIndex: 1,
    yearTotalMinor: 840_000,
    capMinor: 2_400_000,
  },
  'credit.adjusted': {
    type: 'credit.adjusted',
    contract,
    yearIndex: 1,
    changes: [
      { caseId: 'CASE-7781', kpi: 'onSite', amountMinor: -600_000 },
      { caseId: 'CASE-7802', kpi: 'resolution', amountMinor: 600_000 },
      { caseId: 'CASE-7815', kpi: 'firstResponse', amountMinor: 240_000 },
    ],
    previousTotalMinor: 840_000,
    newTotalMinor: 1_080_000,
    capMinor: 2_400_000,
  },
  'credit.cap_reached': {
    type: 'credit.cap_reached',
    contract,
    yearIndex: 1,
    capMinor: 2_400_000,
    rightSince: Date.parse('2026-05-04T08:15:00Z'),
    // The end of the 90th day after the deadline's date: midnight in Oslo.
    rightUntil: Date.parse('2026-08-02T22:00:00Z'),
  },
  'renewal.reminder': {
    type: 'renewal.reminder',
    contract,
    termEnd: '2027-01-01',
    nextFeeMinor: 12_300_000,
    creditsDeductedMinor: 840_000,
    amountDueMinor: 11_460_000,
    noticeDeadline: '2026-10-03',
  },
  'term.expiry_reminder': {
    type: 'term.expiry_reminder',
    contract,
    termEnd: '2028-01-01',
    because: 'notice',
    creditsOwedMinor: 984_000,
  },
  'termination.confirmed': {
    type: 'termination.confirmed',
    contract,
    reason: 'notice',
    requestedAt: Date.parse('2027-09-15T10:00:00Z'),
    endsAt: Date.parse('2027-12-31T23:00:00Z'),
    endDate: '2028-01-01',
    yearIndex: 2,
    yearCreditsMinor: 984_000,
    endsInThisYear: true,
    previousYearCreditsMinor: 840_000,
    finalStatementOn: '2028-01-01',
  },
  'year.statement': { type: 'year.statement', contract, year: firstYear },
  'contract.ended': {
    type: 'contract.ended',
    contract,
    endedOn: '2028-01-01',
    years: [firstYear, secondYear],
    creditsOwedMinor: 984_000,
  },
  'ops.breach_warning': {
    type: 'ops.breach_warning',
    contractId: contract.contractId,
    caseId: 'CASE-7820',
    kpi: 'firstResponse',
    deadline: Date.parse('2026-11-28T09:15:00Z'),
    percent: 80,
  },
  'ops.event_rejected': {
    type: 'ops.event_rejected',
    contractId: contract.contractId,
    eventId: 'crm-19934',
    eventType: 'contract.termination_requested',
    reason: 'credit_cap_breach termination requested without a termination right',
  },
  'ops.parked_events': {
    type: 'ops.parked_events',
    count: 3,
    oldestReceivedAt: Date.parse('2026-11-26T22:41:00Z'),
    contractIds: ['C-2026-0107', 'C-2026-0111'],
    expired: { count: 1, retentionDays: 30, contractIds: ['C-2026-0098'] },
  },
  'ops.item_quarantined': {
    type: 'ops.item_quarantined',
    contractId: contract.contractId,
    item: 'case',
    itemId: 'CASE-7820',
    attempts: 5,
    reason: 'RangeError: corrupt case event: 9|1764322500000||zd-88412 (failed 5 times)',
  },
  'ops.notice_unknown': {
    type: 'ops.notice_unknown',
    noticeId: 'year.statement#C-2026-0042#1',
    noticeType: 'year.statement',
    contractId: contract.contractId,
    reason: 'lease expired while sending; SES may have accepted the message',
  },
  'ops.notice_failed': {
    type: 'ops.notice_failed',
    noticeId: 'renewal.reminder#C-2026-0042#2027-01-01#30',
    noticeType: 'renewal.reminder',
    contractId: contract.contractId,
    reason: 'recipient address is not deliverable',
  },
  'ops.notice_bounced': {
    type: 'ops.notice_bounced',
    noticeId: 'credit.issued#C-2026-0042#CASE-7781#onSite',
    noticeType: 'credit.issued',
    contractId: contract.contractId,
    reason: 'permanent bounce (General, status 5.1.1)',
  },
  'ops.notice_complained': {
    type: 'ops.notice_complained',
    noticeId: 'year.statement#C-2026-0042#1',
    noticeType: 'year.statement',
    contractId: contract.contractId,
    reason: 'complaint (abuse)',
  },
  'loan.return_reminder': {
    type: 'loan.return_reminder',
    pool: POOL,
    unitId: 'LX-0007',
    borrowerName: contract.customerName,
    contractId: contract.contractId,
    caseId: 'CASE-7781',
    startedAt: Date.parse('2026-03-23T09:40:00Z'),
    dueAt: Date.parse('2026-04-10T22:00:00Z'),
    timeZone: 'Europe/Oslo',
  },
  'ops.pool_exhausted': {
    type: 'ops.pool_exhausted',
    pool: POOL,
    contractId: contract.contractId,
    caseId: 'CASE-7790',
    units: 2,
    out: 2,
    requestedAt: Date.parse('2026-03-24T07:15:00Z'),
  },
  'ops.loan_overdue': {
    type: 'ops.loan_overdue',
    pool: POOL,
    unitId: 'LX-0008',
    borrowerName: 'Fjord Kontorteknikk AS',
    contractId: null,
    caseId: null,
    startedAt: Date.parse('2026-03-02T08:00:00Z'),
    dueAt: Date.parse('2026-03-20T23:00:00Z'),
    timeZone: 'Europe/Oslo',
  },
  'ops.pool_risk': {
    type: 'ops.pool_risk',
    pool: POOL,
    cause: 'contract C-2026-0051 is now entitled to the pool',
    units: 2,
    out: 1,
    contracts: 3,
    drawsPerYear: 14.2,
    meanTurnaroundDays: 11.5,
    pEmpty: 0.0551,
    targetAvailability: 0.99,
    unitsNeeded: 3,
  },
};
