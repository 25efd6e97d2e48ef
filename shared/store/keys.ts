/**
 * Key layout of the one table (docs/data-model.md): partition and sort keys of every item type, the
 * attention index entries and the stable shard of each entry.
 */
import { ATTENTION_SHARDS, type AttentionKind } from './table-definition.ts';
import type { Instant } from '#domain/time.ts';

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const OPS_PARTITION = 'OPS';
export const DAY_MS = 86_400_000;

/** Fixed-width UTC ISO-8601 with milliseconds: string order is time order (years 0–9999). */
export function sortableInstant(instant: Instant): string {
  return new Date(instant).toISOString();
}

export function contractPk(contractId: string): string {
  return `CONTRACT#${contractId}`;
}

export function contractIdOfPk(pk: string): string {
  return pk.slice('CONTRACT#'.length);
}

export const contractKey = (contractId: string): ItemKey => ({ pk: contractPk(contractId), sk: 'CONTRACT' });

export const caseKey = (contractId: string, caseId: string): ItemKey => ({
  pk: contractPk(contractId),
  sk: `CASE#${caseId}`,
});

export const yearKey = (contractId: string, yearIndex: number): ItemKey => ({
  pk: contractPk(contractId),
  sk: `YEAR#${String(yearIndex).padStart(4, '0')}`,
});

/** An overflow leaf of a long case (shared/store/overflow.ts): the path first, so the caseId may hold any character. */
export const caseLeafKey = (contractId: string, caseId: string, path: string): ItemKey => ({
  pk: contractPk(contractId),
  sk: `CASEH#${path}#${caseId}`,
});

export const yearLeafKey = (contractId: string, yearIndex: number, path: string): ItemKey => ({
  pk: contractPk(contractId),
  sk: `YEARH#${String(yearIndex).padStart(4, '0')}#${path}`,
});

export const ledgerKey = (contractId: string, yearIndex: number, seq: number): ItemKey => ({
  pk: contractPk(contractId),
  sk: `LEDGER#${String(yearIndex).padStart(4, '0')}#${String(seq).padStart(6, '0')}`,
});

export const noticeKey = (contractId: string | null, noticeId: string): ItemKey => ({
  pk: contractId === null ? OPS_PARTITION : contractPk(contractId),
  sk: `NOTICE#${noticeId}`,
});

/**
 * An event's identity inside a key: `<source>#<eventId>`. A source is `a-z0-9._-` and never holds `#`,
 * so the first `#` ends it and the rest is the eventId, whatever it contains (docs/data-model.md).
 */
export function identitySegment(source: string, eventId: string): string {
  return `${checkedSource(source)}#${eventId}`;
}

/** Whether a source is as the envelope allows it (docs/design.md#6-the-event-contract-v1): a key built from anything else could be confused. */
export function isSource(source: string): boolean {
  return /^[a-z0-9._-]{1,64}$/.test(source);
}


function checkedSource(source: string): string {
  if (!isSource(source)) throw new RangeError(`not a source: ${JSON.stringify(source)}`);
  return source;
}

export function identityOfSegment(segment: string): { source: string; eventId: string } {
  const end = segment.indexOf('#');
  return { source: segment.slice(0, end), eventId: segment.slice(end + 1) };
}

export const eventKey = (source: string, eventId: string): ItemKey => ({
  pk: `EVENT#${identitySegment(source, eventId)}`,
  sk: 'EVENT',
});

export const parkedKey = (contractId: string, occurredAt: Instant, source: string, eventId: string): ItemKey => ({
  pk: contractPk(contractId),
  sk: `PARKED#${sortableInstant(occurredAt)}#${identitySegment(source, eventId)}`,
});

export const quarantineKey = (contractId: string, kind: string, id: string): ItemKey => ({
  pk: contractPk(contractId),
  sk: `QUARANTINE#${kind}#${id}`,
});

/** Items that failed and are retried: one small partition, read once per sweep (item-failures.ts). */
export const FAILING_PARTITION = 'FAILING';

export const failingKey = (kind: string, contractId: string, id: string): ItemKey => ({
  pk: FAILING_PARTITION,
  sk: `${kind}#${contractId}#${id}`,
});

/**
 * `REJECTED#<source>#<digest>#<eventId>`: one per identity and body, so a conflicting duplicate is recorded
 * next to the original's rejection. The digest (base64url, 43 characters) never holds `#`.
 */
export const rejectedKey = (contractId: string, source: string, eventId: string, digest: string): ItemKey => {
  return { pk: contractPk(contractId), sk: `REJECTED#${checkedSource(source)}#${digest}#${eventId}` };
};

/** Item sort-key prefixes inside a contract partition. */
export const SK_PREFIX = {
  case: 'CASE#',
  caseLeaf: 'CASEH#',
  year: 'YEAR#',
  yearLeaf: 'YEARH#',
  ledger: 'LEDGER#',
  notice: 'NOTICE#',
  parked: 'PARKED#',
  rejected: 'REJECTED#',
  quarantine: 'QUARANTINE#',
} as const;

/** FNV-1a, 32 bit: stable across processes and runtimes, unlike anything seeded. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function shardOf(kind: AttentionKind, identity: string): number {
  return stableHash(identity) % ATTENTION_SHARDS[kind];
}

const ATTENTION_PREFIX: Record<AttentionKind, string> = {
  case: 'CASE#',
  notice: 'NOTICE#',
  parked: 'PARKED#',
  lifecycle: 'LIFECYCLE#',
};

export function attentionPk(kind: AttentionKind, shard: number): string {
  return `${ATTENTION_PREFIX[kind]}${shard}`;
}

/** Every shard of one kind, in order: what is due of that kind is the union of one Query per shard. */
export function attentionShards(kind: AttentionKind): number[] {
  return Array.from({ length: ATTENTION_SHARDS[kind] }, (_, shard) => shard);
}

export function caseAttention(contractId: string, caseId: string, at: Instant): { apk: string; ask: string } {
  return {
    apk: attentionPk('case', shardOf('case', `${contractId}#${caseId}`)),
    ask: `${sortableInstant(at)}#${contractId}#${caseId}`,
  };
}

export function noticeAttention(noticeId: string, createdAt: Instant): { apk: string; ask: string } {
  return { apk: attentionPk('notice', shardOf('notice', noticeId)), ask: `${sortableInstant(createdAt)}#${noticeId}` };
}

/** Parked events become attention-worthy one day after they were received (docs/design.md#order-and-duplicates: alert after a day). */
export function parkedAttention(
  contractId: string,
  source: string,
  eventId: string,
  receivedAt: Instant,
): { apk: string; ask: string } {
  const identity = identitySegment(source, eventId);
  return {
    apk: attentionPk('parked', shardOf('parked', `${contractId}#${identity}`)),
    ask: `${sortableInstant(receivedAt + DAY_MS)}#${contractId}#${identity}`,
  };
}

/** Exclusive upper bound of attention sort keys due at or before `now`. */
export function dueBefore(now: Instant): string {
  return sortableInstant(now + 1);
}

/** Every source's lateness lives in one partition: the sweep reads them all with one Query. */
export const SOURCES_PARTITION = 'SOURCES';

export const sourceKey = (source: string): ItemKey => ({ pk: SOURCES_PARTITION, sk: `SOURCE#${source}` });

/** Signed webhook requests seen recently, per source (docs/design.md#13-integrations): replays are refused. */
export const WEBHOOK_PARTITION_PREFIX = 'WEBHOOK#';
export const webhookRequestKey = (source: string, fingerprint: string): ItemKey => ({ pk: `${WEBHOOK_PARTITION_PREFIX}${source}`, sk: `REQUEST#${fingerprint}` });
