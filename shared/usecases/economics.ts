/**
 * The portfolio's economics (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): every contract's statement as of an
 * instant, and per service level (and currency) contracts, revenue, credits, costs, margin and breach rates.
 */
import { levelEconomics, type LevelEconomics } from '#domain/economics.ts';
import type { Catalog } from '#domain/model.ts';
import type { ContractStatement } from '#domain/statement.ts';
import type { Instant } from '#domain/time.ts';
import type { ContractDirectory } from '#store/contract-directory.ts';
import type { ContractPartitionReader } from '#store/contract-partition.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import { inParallel } from './in-parallel.ts';
import { readStatement } from './statement.ts';

export interface PortfolioEconomics {
  readonly statements: readonly ContractStatement[];
  readonly levels: readonly LevelEconomics[];
}

/** A few contracts at a time: each is one paginated Query. */
const CONCURRENT_READS = 8;

export async function readPortfolioEconomics(deps: {
  directory: ContractDirectory;
  store: ContractPartitionReader;
  /** The pools: each contract's exclusive pool fees (revenue) and the carrying cost of what it holds. */
  pools: Pick<PoolRepository, 'listPools' | 'readPool'>;
  catalog: Catalog;
  asOf: Instant;
}): Promise<PortfolioEconomics> {
  const ids = await deps.directory.contractIds();
  const byId = new Map<string, ContractStatement>();
  await inParallel(ids, CONCURRENT_READS, async (id) => {
    const statement = await readStatement(deps.store, deps.catalog, id, deps.asOf, deps.pools);
    if (statement !== null) byId.set(id, statement);
  });
  const statements = ids.flatMap((id) => byId.get(id) ?? []);
  return { statements, levels: levelEconomics(statements) };
}
