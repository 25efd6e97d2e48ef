/**
 * The lifecycle reads over a MemoryStore: the attention index's LIFECYCLE shards are the contracts'
 * next lifecycle dates (`ask = <date>#<contractId>`), so what the DynamoDB item mapping indexes is what
 * this finds, shard by shard and in sort-key order.
 */
import type { LocalDate } from '#domain/time.ts';
import { attentionShards, shardOf } from '../keys.ts';
import type { LifecycleRepository } from '../lifecycle-repository.ts';
import type { CaseRecord, ContractRecord } from '../store.ts';
import { compareKeys } from './attention-index.ts';
import type { MemoryStore } from './memory-store.ts';

export class MemoryLifecycleRepository implements LifecycleRepository {
  /** Queries made, one per shard asked (the DynamoDB adapter asks every shard). */
  queries = 0;

  constructor(private readonly store: MemoryStore) {}

  dueContracts(date: LocalDate): Promise<string[]> {
    const shards = attentionShards('lifecycle');
    this.queries += shards.length;
    const due = [...this.store.contracts.values()]
      .filter((c) => c.nextLifecycleDate !== null && c.nextLifecycleDate <= date && !this.store.lifecycleUnattended(c.terms.contractId))
      .map((c) => ({ id: c.terms.contractId, shard: shardOf('lifecycle', c.terms.contractId), ask: `${c.nextLifecycleDate ?? ''}#${c.terms.contractId}` }))
      .sort((a, b) => (a.shard !== b.shard ? a.shard - b.shard : compareKeys(a.ask, b.ask)));
    return Promise.resolve([...new Set(due.map((c) => c.id))]);
  }

  readContracts(contractIds: readonly string[]): Promise<ContractRecord[]> {
    return Promise.resolve(
      [...new Set(contractIds)].flatMap((id) => {
        const contract = this.store.contracts.get(id);
        return contract === undefined ? [] : [contract];
      }),
    );
  }

  readCasesOf(contractId: string): Promise<CaseRecord[]> {
    return Promise.resolve(this.store.casesOf(contractId));
  }
}
