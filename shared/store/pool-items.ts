/**
 * Keys and items of the pool aggregate (docs/data-model.md "Pools and loans"): the pool in the
 * registry partition `POOLS`, its units, loans, entitlements and refusals in its own partition
 * `POOL#<poolId>`, and the transaction items of a pool write.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_EVENT_SOURCE } from '#domain/model.ts';
import type { Item } from './items.ts';
import { sortableInstant, type ItemKey } from './keys.ts';
import type {
  EntitlementRecord,
  LoanRecord,
  PoolRecord,
  PoolRejectedRecord,
  PoolWrite,
  RefusedDrawRecord,
  UnitRecord,
} from './pool-repository.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const POOLS_PARTITION = 'POOLS';

export const POOL_SK_PREFIX = {
  pool: 'POOL#',
  unit: 'UNIT#',
  loan: 'LOAN#',
  entitled: 'ENTITLED#',
  refused: 'REFUSED#',
  rejected: 'REJECTED#',
} as const;

export const poolPk = (poolId: string): string => `POOL#${poolId}`;
export const poolKey = (poolId: string): ItemKey => ({ pk: POOLS_PARTITION, sk: `POOL#${poolId}` });
export const unitKey = (poolId: string, unitId: string): ItemKey => ({ pk: poolPk(poolId), sk: `UNIT#${unitId}` });
/** Loans in start order; the unit id last, so it may hold any character. */
export const loanKey = (poolId: string, startedAt: number, unitId: string): ItemKey => ({
  pk: poolPk(poolId),
  sk: `LOAN#${sortableInstant(startedAt)}#${unitId}`,
});
export const entitlementKey = (poolId: string, contractId: string): ItemKey => ({ pk: poolPk(poolId), sk: `ENTITLED#${contractId}` });
/** One per refusing event identity, so a retried commit writes the same item. */
export const refusedDrawKey = (poolId: string, source: string, eventId: string): ItemKey => ({
  pk: poolPk(poolId),
  sk: `REFUSED#${source}#${eventId}`,
});
export const poolRejectedKey = (poolId: string, source: string, eventId: string, digest: string): ItemKey => ({
  pk: poolPk(poolId),
  sk: `REJECTED#${source}#${digest}#${eventId}`,
});

export function poolItem(record: PoolRecord, version: number): Item {
  return { ...poolKey(record.terms.poolId), entity: 'pool', terms: record.terms, registeredBy: record.registeredBy, belowTarget: record.belowTarget, version };
}

export function poolFromItem(item: Item): PoolRecord {
  return {
    terms: item.terms as PoolRecord['terms'],
    registeredBy: item.registeredBy as PoolRecord['registeredBy'],
    belowTarget: item.belowTarget === true,
    version: item.version as number,
  };
}

export function unitItem(record: UnitRecord, version: number): Item {
  return { ...unitKey(record.poolId, record.unitId), entity: 'poolUnit', ...record, version };
}

export function unitFromItem(item: Item): UnitRecord {
  return {
    poolId: item.poolId as string,
    unitId: item.unitId as string,
    status: item.status as UnitRecord['status'],
    loanStartedAt: (item.loanStartedAt ?? null) as number | null,
    version: item.version as number,
  };
}

export function loanItem(record: LoanRecord, version: number): Item {
  return { ...loanKey(record.poolId, record.startedAt, record.unitId), entity: 'loan', ...record, version };
}

export function loanFromItem(item: Item): LoanRecord {
  return {
    poolId: item.poolId as string,
    unitId: item.unitId as string,
    startedAt: item.startedAt as number,
    contractId: (item.contractId ?? null) as string | null,
    caseId: (item.caseId ?? null) as string | null,
    borrower: (item.borrower ?? null) as LoanRecord['borrower'],
    dueAt: (item.dueAt ?? null) as number | null,
    ...(typeof item.timeZone === 'string' ? { timeZone: item.timeZone } : {}),
    endedAt: (item.endedAt ?? null) as number | null,
    endedBy: (item.endedBy ?? null) as LoanRecord['endedBy'],
    version: item.version as number,
  };
}

export function entitlementItem(record: EntitlementRecord): Item {
  return { ...entitlementKey(record.poolId, record.contractId), entity: 'poolEntitlement', ...record };
}

export function entitlementFromItem(item: Item): EntitlementRecord {
  return { poolId: item.poolId as string, contractId: item.contractId as string, since: item.since as number };
}

export function refusedDrawItem(record: RefusedDrawRecord): Item {
  return { ...refusedDrawKey(record.poolId, record.source, record.eventId), entity: 'refusedDraw', ...record };
}

export function refusedDrawFromItem(item: Item): RefusedDrawRecord {
  return {
    poolId: item.poolId as string,
    contractId: (item.contractId ?? null) as string | null,
    caseId: (item.caseId ?? null) as string | null,
    source: (item.source ?? DEFAULT_EVENT_SOURCE) as string,
    eventId: item.eventId as string,
    eventType: item.eventType as string,
    reason: item.reason as string,
    at: item.at as number,
  };
}

export function poolRejectedItem(record: PoolRejectedRecord): Item {
  return { ...poolRejectedKey(record.poolId, record.source, record.eventId, record.digest), entity: 'poolRejected', ...record };
}

export function poolRejectedFromItem(item: Item): PoolRejectedRecord {
  return {
    poolId: item.poolId as string,
    contractId: (item.contractId ?? null) as string | null,
    source: (item.source ?? DEFAULT_EVENT_SOURCE) as string,
    eventId: item.eventId as string,
    digest: item.digest as string,
    type: item.type as string,
    reason: item.reason as string,
    at: item.at as number,
  };
}

const NOT_EXISTS = 'attribute_not_exists(pk)';

function put(tableName: string, item: Item, condition: string | null): TransactItem {
  return { Put: { TableName: tableName, Item: item, ...(condition === null ? {} : { ConditionExpression: condition }) } };
}

function versionedPut(tableName: string, item: Item, readVersion: number): TransactItem {
  if (readVersion === 0) return put(tableName, item, NOT_EXISTS);
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ConditionExpression: '#version = :version',
      ExpressionAttributeValues: { ':version': readVersion },
      ExpressionAttributeNames: { '#version': 'version' },
    },
  };
}

/**
 * The transaction item of a pool write and what its condition guards: a unit's version is what keeps
 * two draws from taking it (the second one's read is stale: a conflict, re-read, another unit or a refusal).
 */
export function planPoolWrite(tableName: string, write: PoolWrite): { item: TransactItem; role: 'duplicate' | 'conflict' | 'none' } {
  switch (write.kind) {
    case 'pool':
      return { role: 'conflict', item: versionedPut(tableName, poolItem(write.record, write.record.version + 1), write.record.version) };
    case 'unit':
      return { role: 'conflict', item: versionedPut(tableName, unitItem(write.record, write.record.version + 1), write.record.version) };
    case 'loan':
      return { role: 'conflict', item: versionedPut(tableName, loanItem(write.record, write.record.version + 1), write.record.version) };
    case 'entitlement':
      return { role: 'none', item: put(tableName, entitlementItem(write.record), null) };
    case 'refusedDraw':
      return { role: 'none', item: put(tableName, refusedDrawItem(write.record), null) };
    case 'rejected':
      return { role: 'duplicate', item: put(tableName, poolRejectedItem(write.record), NOT_EXISTS) };
  }
}

/** The key a pool write lands on (one write per item in a commit). */
export function poolWriteKey(write: PoolWrite): ItemKey {
  switch (write.kind) {
    case 'pool':
      return poolKey(write.record.terms.poolId);
    case 'unit':
      return unitKey(write.record.poolId, write.record.unitId);
    case 'loan':
      return loanKey(write.record.poolId, write.record.startedAt, write.record.unitId);
    case 'entitlement':
      return entitlementKey(write.record.poolId, write.record.contractId);
    case 'refusedDraw':
      return refusedDrawKey(write.record.poolId, write.record.source, write.record.eventId);
    case 'rejected':
      return poolRejectedKey(write.record.poolId, write.record.source, write.record.eventId, write.record.digest);
  }
}
