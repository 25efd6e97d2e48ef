/**
 * Re-drives a quarantined item (README "Operate"): tries it once more, now, and on success removes
 * its quarantine record in the same commit, with the item back in the attention index. A failure
 * throws to the operator and leaves it quarantined.
 */
import type { Catalog } from '#domain/model.ts';
import type { SourceLagRepository } from '#store/source-lag-repository.ts';
import type { CaseRepository } from '#store/case-repository.ts';
import type { ContractPartitionReader } from '#store/contract-partition.ts';
import type { RetriedItemRef } from '#store/retried-items.ts';
import type { StoreWrite } from '#store/store.ts';
import { makeArrivalTracking } from './arrival-lags.ts';
import { progressCase } from './case-progress.ts';
import { retryOnConflict } from './conflict-retry.ts';
import { makeEventApplier, type EventApplicationStore } from './event-application.ts';
import { parkedGroups } from './parked-groups.ts';
import type { Clock } from './ports.ts';
import { catalogRuntime } from './runtime.ts';

export type RedriveResult =
  | { readonly kind: 'redriven' }
  | { readonly kind: 'not-quarantined' }
  /** Parked events whose contract is still not registered: they stay quarantined; its registration applies them. */
  | { readonly kind: 'still-waiting' };

export async function redriveQuarantined(
  dependencies: {
    readonly store: ContractPartitionReader & CaseRepository & EventApplicationStore;
    readonly catalog: Catalog;
    readonly clock: Clock;
    /** Per-source lateness, as the sweep reads it: without it nothing is held. */
    readonly sourceLags?: SourceLagRepository;
  },
  item: RetriedItemRef,
): Promise<RedriveResult> {
  const { store, catalog, clock } = dependencies;
  const runtime = catalogRuntime(catalog);
  const lags = await makeArrivalTracking({ sources: dependencies.sourceLags, catalog, clock }).current();
  const partition = await store.readContractPartition(item.contractId);
  if (!partition.quarantined.some((q) => q.kind === item.kind && q.id === item.id)) return { kind: 'not-quarantined' };
  const release: StoreWrite = { kind: 'release', item };
  const commitOrConflict = async (writes: readonly StoreWrite[]): Promise<{ kind: 'conflict' } | { kind: 'done'; value: RedriveResult }> =>
    (await store.commit(writes)) === 'conflict' ? { kind: 'conflict' } : { kind: 'done', value: { kind: 'redriven' } };

  switch (item.kind) {
    case 'case':
      return retryOnConflict(`re-drive of case ${item.id}`, async () => {
        const [due] = await store.readCases([{ contractId: item.contractId, caseId: item.id }]);
        if (due === undefined) return commitOrConflict([release]);
        // `eventAdded` forces the case write, which puts its attention entry back.
        const progress = await progressCase(store, runtime, {
          contract: due.contract,
          caseRecord: due.case,
          now: clock.now(),
          eventAdded: true,
          lags,
          timeDecisions: 'here',
        });
        return commitOrConflict([...progress.writes, release]);
      });
    case 'parked': {
      const group = parkedGroups(partition.parked).find((candidate) => candidate.id === item.id);
      if (group !== undefined) {
        const outcome = await makeEventApplier({ store, runtime, clock }).applyParkedGroup(group, lags);
        if (outcome.waiting > 0) return { kind: 'still-waiting' };
      }
      await store.commit([release]);
      return { kind: 'redriven' };
    }
    case 'lifecycle':
      return retryOnConflict(`re-drive of the lifecycle of ${item.contractId}`, async () => {
        const { contract } = await store.readEventContext({
          source: 'redrive',
          eventId: `redrive-${item.contractId}`,
          contractId: item.contractId,
          caseId: null,
        });
        // Rewriting the contract as it is puts its lifecycle entry back; the next daily run advances it.
        return commitOrConflict(contract === null ? [release] : [{ kind: 'contract', record: contract }, release]);
      });
  }
}
