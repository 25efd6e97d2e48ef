/**
 * Every item of one contract at once, for its statement and for re-driving a quarantined item: a single
 * paginated Query on the contract's partition.
 */
import type { CaseRecord } from './case-repository.ts';
import type { ContractRecord } from './contract-repository.ts';
import type { NoticeRecord } from './notice-repository.ts';
import type { ParkedRecord } from './parked-event-repository.ts';
import type { RejectedRecord } from './processed-event-repository.ts';
import type { QuarantineRecord } from './retried-items.ts';
import type { LedgerRecord, YearRecord } from './year-repository.ts';

export interface ContractPartition {
  readonly contract: ContractRecord | null;
  readonly cases: readonly CaseRecord[];
  readonly years: readonly YearRecord[];
  readonly ledger: readonly LedgerRecord[];
  readonly notices: readonly (NoticeRecord & { readonly state: string })[];
  readonly parked: readonly ParkedRecord[];
  readonly rejected: readonly RejectedRecord[];
  readonly quarantined: readonly QuarantineRecord[];
}

export interface ContractPartitionReader {
  readContractPartition(contractId: string): Promise<ContractPartition>;
}
