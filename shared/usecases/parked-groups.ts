/**
 * How parked events are applied when their contract registers (docs/design.md#order-and-duplicates): the events of one case
 * together (one evaluation of all of them, never one at a time against the clock), each parked
 * termination request on its own; groups in the order of their first occurrence, so a request that
 * followed a case's breaches is decided after them, as it would have been on time.
 */
import { describeIdentity } from '#events/source.ts';
import type { ParkedRecord } from '#store/store.ts';

export interface ParkedGroup {
  /** The retried item's id: `case:<caseId>`, or `event:<source>#<eventId>` for a termination request. */
  readonly id: string;
  readonly contractId: string;
  /** Null for a termination request. */
  readonly caseId: string | null;
  /** Oldest occurrence first (ties: eventId, then source). */
  readonly parked: readonly ParkedRecord[];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Oldest occurrence first; ties by eventId, then source. */
export const byOccurrence = (a: ParkedRecord, b: ParkedRecord): number => {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  const byEventId = compare(a.eventId, b.eventId);
  return byEventId !== 0 ? byEventId : compare(a.source, b.source);
};

export function parkedGroups(parked: readonly ParkedRecord[]): ParkedGroup[] {
  const groups = new Map<string, { contractId: string; caseId: string | null; parked: ParkedRecord[] }>();
  for (const record of [...parked].sort(byOccurrence)) {
    const id = record.caseId === null ? `event:${describeIdentity(record)}` : `case:${record.caseId}`;
    const key = `${record.contractId}\u0000${id}`;
    const group = groups.get(key) ?? { contractId: record.contractId, caseId: record.caseId, parked: [] };
    group.parked.push(record);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .map(([key, group]) => ({ id: key.slice(key.indexOf('\u0000') + 1), ...group }))
    .sort((a, b) => byOccurrence(a.parked[0] as ParkedRecord, b.parked[0] as ParkedRecord));
}
