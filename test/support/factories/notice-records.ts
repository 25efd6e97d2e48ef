/** Outbox notice records as the use cases create them, for delivery tests. */
import type { NoticeRecord } from '#store/store.ts';
import { aContractContext, aNotice } from '../notice-factories.ts';

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
