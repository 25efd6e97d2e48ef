/**
 * The credit state of a contract year in memory, with the DynamoDB adapter's semantics: the contract and
 * year from a MemoryStore, the year's credit notices (by type and `payload.yearIndex`) from its outbox.
 */
import type { Kpi } from '#domain/model.ts';
import { isCreditNoticeType, type CreditStateRepository, type CreditYearState } from '../credit-state.ts';
import type { MemoryNoticeRepository } from './memory-notices.ts';
import type { MemoryStore } from './memory-store.ts';

export class MemoryCreditState implements CreditStateRepository {
  constructor(
    private readonly store: MemoryStore,
    private readonly notices: MemoryNoticeRepository = store.outbox,
  ) {}

  creditState(contractId: string, yearIndex: number): Promise<CreditYearState | null> {
    const contract = this.store.contracts.get(contractId);
    if (contract === undefined) return Promise.resolve(null);
    const year = this.store.years.get(`${contractId}\u0000${yearIndex}`) ?? null;
    const notices = this.notices
      .ofPartition(contractId)
      .filter((notice) => isCreditNoticeType(notice.type) && 'yearIndex' in notice.payload && notice.payload.yearIndex === yearIndex)
      .map((notice) => ({ ...notice }));
    return Promise.resolve({ contract, year, notices });
  }

  clockDecided(contractId: string, caseId: string, kpi: Kpi): Promise<boolean> {
    return Promise.resolve(this.store.cases.get(`${contractId}\u0000${caseId}`)?.decided[kpi] !== undefined);
  }
}
