import { describe, expect, it } from 'vitest';
import { planWrite, resultOfCancellation } from '#store/transaction.ts';
import type { StoreWrite } from '#store/store.ts';
import { MemoryStore } from '#store/memory/memory-store.ts';

const processed: StoreWrite = {
  kind: 'processedEvent',
  record: { source: 'default', eventId: 'e-1', digest: null, contractId: 'C-1', outcome: 'applied', reason: null, at: 0 },
  replaces: 'nothing',
};
const caseWrite: StoreWrite = {
  kind: 'case',
  record: { contractId: 'C-1', caseId: 'K-1', events: [], warned: [], decided: {}, nextAttentionAt: null, sources: [], version: 2 },
};
const noticeWrite = {
  kind: 'notice',
  notice: {
    id: 'n-1',
    contractId: 'C-1',
    type: 'ops.event_rejected',
    audience: 'operations',
    to: null,
    locale: null,
    payload: { type: 'ops.event_rejected', contractId: 'C-1', eventId: 'e-1', eventType: 'case.opened', reason: 'r' },
    createdAt: 0,
  },
} as const satisfies StoreWrite;
const planned = [planWrite('t', processed), planWrite('t', caseWrite)];

describe('transaction cancellation mapping', () => {
  it('reads a failed idempotency condition as a duplicate, even when a version also moved', () => {
    expect(resultOfCancellation(planned, [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }])).toBe(
      'duplicate',
    );
  });

  it('reads a failed version condition as a conflict to re-read and re-apply', () => {
    expect(resultOfCancellation(planned, [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }])).toBe('conflict');
  });

  it('reads failed notice puts alone as notices that exist, to commit the rest without them', () => {
    const withNotices = [...planned, planWrite('t', noticeWrite), planWrite('t', { ...noticeWrite, notice: { ...noticeWrite.notice, id: 'n-2' } })];

    expect(withNotices[2]?.role).toBe('notice');
    expect(
      resultOfCancellation(withNotices, [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }]),
    ).toEqual({ existingNotices: [2] });
  });

  it('an existing notice never hides a stale read or a processed event', () => {
    const withNotice = [...planned, planWrite('t', noticeWrite)];
    const failed = { Code: 'ConditionalCheckFailed' };

    expect(resultOfCancellation(withNotice, [{ Code: 'None' }, failed, failed])).toBe('conflict');
    expect(resultOfCancellation(withNotice, [failed, { Code: 'None' }, failed])).toBe('duplicate');
  });

  it('leaves throttling and transaction conflicts to the transient-error path', () => {
    expect(resultOfCancellation(planned, [{ Code: 'None' }, { Code: 'TransactionConflict' }])).toBeNull();
    expect(resultOfCancellation(planned, [{ Code: 'ThrottlingError' }, { Code: 'None' }])).toBeNull();
  });

  it('writes a versioned record only over the version it read, and a new one only where none exists', () => {
    expect(planned[1]?.item.Put?.ConditionExpression).toBe('#version = :version');
    expect(planned[1]?.item.Put?.ExpressionAttributeValues).toEqual({ ':version': 2 });
    expect(planned[1]?.item.Put?.Item?.version).toBe(3);
    expect(planWrite('t', { ...caseWrite, record: { ...caseWrite.record, version: 0 } }).item.Put?.ConditionExpression).toBe(
      'attribute_not_exists(pk)',
    );
  });
});

describe('the memory store, as TransactWriteItems', () => {
  it('refuses two operations on one item, also of different write kinds, and commits different items together', async () => {
    // Arrange
    const unattendCase: StoreWrite = { kind: 'unattend', entry: { kind: 'case', contractId: 'C-1', caseId: 'K-1' } };
    const otherNotice: StoreWrite = { ...noticeWrite, notice: { ...noticeWrite.notice, id: 'n-2' } };
    const newCase: StoreWrite = { ...caseWrite, record: { ...caseWrite.record, version: 0 } };
    // Act
    const twice = new MemoryStore().commit([processed, noticeWrite, caseWrite, unattendCase]);
    const sameNotice = new MemoryStore().commit([noticeWrite, processed, noticeWrite]);
    const apart = new MemoryStore().commit([processed, newCase, noticeWrite, otherNotice]);
    // Assess
    await expect(twice).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sameNotice).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(apart).resolves.toBe('committed');
  });

  it('refuses a parked event unparked and taken from attention in one commit: one item, as in DynamoDB', async () => {
    // Arrange
    const ref = { contractId: 'C-1', occurredAt: 1_000, source: 'default', eventId: 'e-9' };
    const unpark: StoreWrite = { kind: 'unpark', record: { ...ref, caseId: 'K-1', event: {}, receivedAt: 2_000 } };
    const unattendParked: StoreWrite = { kind: 'unattend', entry: { kind: 'parked', ref } };
    const otherParked: StoreWrite = { kind: 'unattend', entry: { kind: 'parked', ref: { ...ref, eventId: 'e-10' } } };
    // Act
    const same = new MemoryStore().commit([unpark, unattendParked]);
    const other = new MemoryStore().commit([unpark, otherParked]);
    // Assess
    await expect(same).rejects.toMatchObject({ name: 'ValidationException' });
    // Two items: the request is valid, and its unpark finds nothing parked (a duplicate, as in DynamoDB).
    await expect(other).resolves.toBe('duplicate');
  });
});
