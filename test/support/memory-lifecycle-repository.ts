/**
 * The lifecycle reads over a MemoryStore: the attention index's LIFECYCLE shards are the contracts'
 * next lifecycle dates, so what the DynamoDB item mapping indexes is what this finds.
 */
import type { LocalDate } from '#domain/time.ts';
import { attentionShards, shardOf } from '#store/keys.ts';
import type { LifecycleRepository } from '#store/lifecycle-repository.ts';
import type { CaseRecord, ContractRecord } from '#store/store.ts';
import type { MemoryStore } from './memory-store.ts';

export class MemoryLifecycleRepository implements LifecycleRepository {
  /** Queries made, one per shard asked (the DynamoDB adapter asks every shard). */
  queries = 0;

  constructor(private readonly store: MemoryStore) {}

  dueContracts(date: LocalDate): Promise<string[]> {
    const due = attentionShards('lifecycle').flatMap((shard) => {
      this.queries += 1;
      return [...this.store.contracts.values()].filter(
        (c) =>
          c.nextLifecycleDate !== null &&
          c.nextLifecycleDate <= date &&
          shardOf('lifecycle', c.terms.contractId) === shard &&
          !this.store.lifecycleUnattended(c.terms.contractId),
      );
    });
    return Promise.resolve([...new Set(due.map((c) => c.terms.contractId))]);
  }

  readContracts(contractIds: readonly string[]): Promise<ContractRecord[]> {
    return Promise.resolve(contractIds.flatMap((id) => {
      const contract = this.store.contracts.get(id);
      return contract === undefined ? [] : [structuredClone(contract)];
    }));
  }

  readCasesOf(contractId: string): Promise<CaseRecord[]> {
    return Promise.resolve(structuredClone([...this.store.cases.values()].filter((c) => c.contractId === contractId)));
  }
}
