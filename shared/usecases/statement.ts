/**
 * A contract's statement (docs/design.md#8-read-model-the-statement) as of an instant: one Query on the contract's partition, then the
 * domain's statement rules.
 */
import type { BreachRecord } from '#domain/credits.ts';
import { KPIS, type Catalog } from '#domain/model.ts';
import { buildStatement, type ClockOutcome, type ContractStatement, type NoticeState } from '#domain/statement.ts';
import type { Instant } from '#domain/time.ts';
import type { ContractPartitionReader } from '#store/contract-partition.ts';
import { catalogRuntime } from './runtime.ts';

/** Null when the contract is not registered. */
export async function readStatement(
  store: ContractPartitionReader,
  catalog: Catalog,
  contractId: string,
  asOf: Instant,
): Promise<ContractStatement | null> {
  const partition = await store.readContractPartition(contractId);
  const { contract } = partition;
  if (contract === null) return null;
  const { terms } = contract;

  const breaches: BreachRecord[] = partition.years.flatMap((year) =>
    year.breaches.map(({ caseId, kpi, deadline, creditPercent }) => ({ caseId, kpi, deadline, creditPercent })),
  );
  const outcomes: ClockOutcome[] = partition.cases.flatMap((c) =>
    KPIS.flatMap((kpi) => {
      const decided = c.decided[kpi];
      return decided === undefined ? [] : [{ caseId: c.caseId, kpi, deadline: decided.deadline, breached: decided.breached }];
    }),
  );
  return buildStatement({
    terms,
    level: catalogRuntime(catalog).level(terms.serviceLevel),
    levelOf: (key) => catalogRuntime(catalog).level(key),
    termination: contract.termination,
    breaches,
    outcomes,
    ledger: partition.ledger.map(({ seq, yearIndex, caseId, kpi, amountMinor, bookedAt }) => ({
      seq,
      yearIndex,
      caseId,
      kpi,
      amountMinor,
      bookedAt,
    })),
    notices: partition.notices
      .filter((notice) => notice.audience === 'customer')
      .map((notice) => ({
        id: notice.id,
        type: notice.type,
        contractId,
        to: notice.to ?? terms.customer.email,
        locale: notice.locale ?? terms.customer.locale,
        state: notice.state as NoticeState,
      })),
    rejected: partition.rejected.map(({ eventId, type, reason }) => ({ eventId, type, reason })),
    parked: partition.parked.map(({ eventId, caseId, receivedAt }) => ({ eventId, caseId: caseId ?? '', receivedAt })),
    quarantined: partition.quarantined.map(({ kind, id, reason, attempts, at }) => ({ kind, id, reason, attempts, at })),
    caseEvents: partition.cases.flatMap((c) => c.events),
    ...(catalog.costs === undefined ? {} : { costRates: catalog.costs }),
    // Pools (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools) are not read yet: once the partition holds them, each
    // contract year's PoolHolding (units held, this contract's draws, all draws, kind, exclusive fee) goes here.
    poolHoldings: [],
    asOf,
  });
}
