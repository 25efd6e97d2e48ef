/** The portfolio over a MemoryStore, as the DynamoDB adapter reads it: every contract item's id, sorted. */
import type { PortfolioRepository } from '../portfolio-repository.ts';
import type { MemoryStore } from './memory-store.ts';

export class MemoryPortfolio implements PortfolioRepository {
  constructor(private readonly store: MemoryStore) {}

  contractIds(): Promise<string[]> {
    return Promise.resolve([...this.store.contracts.values()].map((contract) => contract.terms.contractId).sort());
  }
}
