/**
 * The invoice run (docs/design.md#12-contract-changes-and-billing): the amounts due at every renewal in a period, from each
 * contract's statement. The statement is taken as of the later of now and the period's end, so every year ending
 * in the period is listed; its credits are those booked by now.
 */
import { renewalInvoices, type RenewalInvoice } from '#domain/invoices.ts';
import type { Catalog } from '#domain/model.ts';
import type { ContractStatement } from '#domain/statement.ts';
import type { Instant, LocalDate } from '#domain/time.ts';
import type { ContractPartitionReader } from '#store/contract-partition.ts';
import type { PortfolioRepository } from '#store/portfolio-repository.ts';
import { inParallel } from './in-parallel.ts';
import { readStatement } from './statement.ts';

const READS_IN_PARALLEL = 8;

export async function invoiceRun(input: {
  readonly portfolio: PortfolioRepository;
  readonly store: ContractPartitionReader;
  readonly catalog: Catalog;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly now: Instant;
}): Promise<RenewalInvoice[]> {
  const { portfolio, store, catalog, from, to, now } = input;
  // A year ending on `to` began a year before it: a statement as of `to` (UTC midnight) lists it wherever the contract is.
  const asOf = Math.max(now, Date.parse(`${to}T00:00:00Z`));
  const ids = await portfolio.contractIds();
  const statements: ContractStatement[] = [];
  await inParallel(ids, READS_IN_PARALLEL, async (id) => {
    const statement = await readStatement(store, catalog, id, asOf);
    if (statement !== null) statements.push(statement);
  });
  return renewalInvoices(statements, from, to);
}
