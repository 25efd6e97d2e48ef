/** The memory twin of the contract directory (shared/store/contract-directory.ts): the memory store's registered contracts, sorted. */
import type { ContractDirectory } from '#store/contract-directory.ts';
import type { MemoryStore } from './memory-store.ts';

export class MemoryContractDirectory implements ContractDirectory {
  constructor(private readonly store: MemoryStore) {}

  contractIds(): Promise<string[]> {
    return Promise.resolve([...this.store.contracts.keys()].sort());
  }
}
