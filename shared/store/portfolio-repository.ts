/**
 * The portfolio: every registered contract, for the runs that cover them all (an invoice run,
 * docs/design.md#12-contract-changes-and-billing). Not for the handlers: they find their contracts by id or by date.
 */
export interface PortfolioRepository {
  /** Ids of every registered contract, each once, sorted. */
  contractIds(): Promise<string[]>;
}
