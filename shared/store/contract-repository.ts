/**
 * The contract aggregate: its record, and the port that finds contracts by their next lifecycle date and
 * reads them by id. A contract is written through the transaction (store.ts), with what changed with it.
 */
import type { ContractTerms, Termination } from '#domain/model.ts';
import type { Instant, LocalDate } from '#domain/time.ts';

/** `version` is the version the record had when read: 0 for a record that does not exist yet. */
export interface ContractRecord {
  readonly terms: ContractTerms;
  readonly termination: Termination | null;
  readonly registeredAt: Instant;
  /** The `contract.registered` that created it: a late duplicate (or a conflicting one) is recognised by it. */
  readonly registeredBy: EventRef;
  readonly lastAdvancedDate: LocalDate | null;
  readonly nextLifecycleDate: LocalDate | null;
  readonly version: number;
}

/**
 * An event as the store remembers it: its identity (source, eventId; docs/design.md#order-and-duplicates) and the digest of its
 * body (`eventDigest`), null when an item written before digests were kept does not have one.
 */
export interface EventRef {
  readonly source: string;
  readonly eventId: string;
  readonly digest: string | null;
}

export interface ContractRepository {
  /** Ids of contracts whose next lifecycle date is on or before `date`, each once (the attention index, eventually consistent). */
  dueContracts(date: LocalDate): Promise<string[]>;
  /** Contracts by id, strongly consistent; missing ones are left out. */
  readContracts(contractIds: readonly string[]): Promise<ContractRecord[]>;
}
