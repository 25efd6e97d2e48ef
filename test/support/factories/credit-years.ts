/**
 * Contract years as the send-time check of credit notices reads them: a contract and its year seeded in
 * a MemoryStore through commits (so its keys and versions are the store's), settled by default.
 */
import { breachKey } from '#domain/credits.ts';
import type { ContractTerms } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import type { ContractRecord, NoticeRecord, YearBreach, YearRecord } from '#store/store.ts';
import type { MemoryStore } from '../memory-store.ts';
import { aContract } from './contracts.ts';

export function aContractRecord(terms: ContractTerms = aContract()): ContractRecord {
  return {
    terms,
    termination: null,
    registeredAt: Date.parse(`${terms.startDate}T00:00:00Z`),
    registeredBy: { source: 'default', eventId: `reg-${terms.contractId}`, digest: null },
    lastAdvancedDate: null,
    nextLifecycleDate: terms.startDate,
    version: 0,
  };
}

/** A year booking each breach's credit as given (`booked`), last changed at `changedAt`. */
export function aCreditYear(input: {
  readonly contractId?: string;
  readonly yearIndex?: number;
  readonly breaches: readonly (YearBreach & { readonly bookedMinor: number })[];
  readonly changedAt: Instant | null;
}): YearRecord {
  const booked: Record<string, number> = {};
  for (const b of input.breaches) if (b.bookedMinor !== 0) booked[breachKey(b.caseId, b.kpi)] = b.bookedMinor;
  return {
    contractId: input.contractId ?? 'C-1',
    yearIndex: input.yearIndex ?? 1,
    breaches: input.breaches.map(({ bookedMinor: _booked, ...breach }) => breach),
    booked,
    ledgerSeq: input.breaches.length,
    creditNoticesIssued: Object.keys(booked),
    rightsNotified: [],
    changedAt: input.changedAt,
    version: 0,
  };
}

/** Stores the contract and (when given) its year, as the intake would have committed them. */
export async function seedContractYear(store: MemoryStore, contract: ContractRecord, year: YearRecord | null): Promise<void> {
  const result = await store.commit([{ kind: 'contract', record: contract }, ...(year === null ? [] : [{ kind: 'year' as const, record: year }])]);
  if (result !== 'committed') throw new Error(`seeding ${contract.terms.contractId} did not commit: ${result}`);
}

/**
 * The settled year a `credit.issued` record's payload describes: its breach booked at the credit it
 * tells, the rest of the year total on a second breach, changed an hour before the notice was created.
 */
export function aYearTelling(notice: NoticeRecord): YearRecord {
  const { payload } = notice;
  if (payload.type !== 'credit.issued') throw new Error(`${notice.id} is not a credit.issued notice`);
  const rest = payload.yearTotalMinor - payload.creditMinor;
  return aCreditYear({
    contractId: payload.contract.contractId,
    yearIndex: payload.yearIndex,
    changedAt: notice.createdAt - 3_600_000,
    breaches: [
      { caseId: payload.caseId, kpi: payload.kpi, deadline: payload.deadline, creditPercent: 5, stoppedAt: payload.metAt, bookedMinor: payload.creditMinor },
      ...(rest > 0 ? [{ caseId: 'CASE-0', kpi: 'firstResponse' as const, deadline: payload.deadline - 86_400_000, creditPercent: 2, stoppedAt: null, bookedMinor: rest }] : []),
    ],
  });
}
