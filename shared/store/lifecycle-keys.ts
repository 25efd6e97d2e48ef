/**
 * The lifecycle entries of the attention index: a contract item carries `apk = LIFECYCLE#<shard>`,
 * `ask = <nextLifecycleDate>#<contractId>` while it has a next lifecycle date, and drops both after its end.
 */
import type { LocalDate } from '#domain/time.ts';
import { attentionPk, shardOf } from './keys.ts';

export function lifecycleAttention(contractId: string, nextLifecycleDate: LocalDate): { apk: string; ask: string } {
  return { apk: attentionPk('lifecycle', shardOf('lifecycle', contractId)), ask: `${nextLifecycleDate}#${contractId}` };
}

/** Inclusive upper bound of the sort keys of contracts due on or before `date` (U+FFFF sorts after any id). */
export function lifecycleDueThrough(date: LocalDate): string {
  return `${date}#\uffff`;
}
