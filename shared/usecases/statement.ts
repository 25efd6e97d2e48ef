/**
 * A contract's statement (docs/design.md#8-read-model-the-statement) as of an instant: one Query on the contract's partition, then the
 * domain's statement rules.
 */
import type { BreachRecord } from '#domain/credits.ts';
import { KPIS, type Catalog } from '#domain/model.ts';
import type { PoolCarried } from '#domain/pools.ts';
import { buildStatement, type ClockOutcome, type ContractStatement, type NoticeState, type StatementPoolsInput } from '#domain/statement.ts';
import type { Instant } from '#domain/time.ts';
import type { CaseRecord } from '#store/case-repository.ts';
import type { ContractPartitionReader } from '#store/contract-partition.ts';
import type { ContractRecord } from '#store/contract-repository.ts';
import { borrowerOf, type PoolRepository } from '#store/pool-repository.ts';
import { dueOf } from './loan-upkeep.ts';
import { catalogRuntime, type CatalogRuntime } from './runtime.ts';

/**
 * Null when the contract is not registered. With `pools`, the statement shows the contract's pools, its
 * loans and its exclusive pools' fees (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools).
 */
export async function readStatement(
  store: ContractPartitionReader,
  catalog: Catalog,
  contractId: string,
  asOf: Instant,
  pools?: Pick<PoolRepository, 'listPools' | 'readPool'>,
): Promise<ContractStatement | null> {
  const partition = await store.readContractPartition(contractId);
  const { contract } = partition;
  if (contract === null) return null;
  const { terms } = contract;
  const runtime = catalogRuntime(catalog);
  const poolsInput = pools === undefined ? undefined : await readContractPools(pools, contract, partition.cases, runtime);

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
    ...(poolsInput === undefined ? {} : { pools: poolsInput }),
    asOf,
  });
}

/** The pools the contract is entitled to (an exclusive pool names it) and its loans from them, swaps left out. */
async function readContractPools(
  pools: Pick<PoolRepository, 'listPools' | 'readPool'>,
  contract: ContractRecord,
  cases: readonly CaseRecord[],
  runtime: CatalogRuntime,
): Promise<StatementPoolsInput> {
  const { terms } = contract;
  const entitled = new Set(terms.pools ?? []);
  const held = (await pools.listPools()).filter((pool) => entitled.has(pool.terms.poolId) || pool.terms.exclusiveTo?.contractId === terms.contractId);
  const loans: StatementPoolsInput['loans'][number][] = [];
  const histories: PoolCarried[] = [];
  for (const pool of held) {
    const state = await pools.readPool(pool.terms.poolId);
    histories.push({
      terms: pool.terms,
      unitsHeld: state.units.filter((unit) => unit.status !== 'retired').length,
      entitledContracts: state.entitled.length,
      draws: state.loans.flatMap((loan) =>
        loan.contractId === null || loan.endedBy === 'swapped' ? [] : [{ contractId: loan.contractId, startedAt: loan.startedAt }],
      ),
    });
    for (const loan of state.loans) {
      if (loan.contractId !== terms.contractId || loan.endedBy === 'swapped') continue;
      const caseRecord = loan.caseId === null ? undefined : cases.find((c) => c.caseId === loan.caseId);
      const dueAt = dueOf(loan, caseRecord === undefined ? undefined : { contract, case: caseRecord }, runtime);
      loans.push({ loan, dueAt, borrower: borrowerOf(loan, contract)?.name ?? terms.customer.name });
    }
  }
  return { pools: held.map((pool) => pool.terms), histories, loans };
}
