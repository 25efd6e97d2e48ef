import { describe, expect, it } from 'vitest';
import { CreatedNotices, watchedStore } from '#cli/local/notice-outbox.ts';
import type { StoreWrite } from '#store/store.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aBreachWarningRecord } from '#test/support/factories/notices.ts';
import { blankCase } from '#usecases/case-progress.ts';

const noticeWrite = (): StoreWrite => ({ kind: 'notice', notice: aBreachWarningRecord() });

describe('the local stack’s watch of committed notices', () => {
  it('notes a committed transaction’s notices, and tells what it wrote, before the caller resumes', async () => {
    // Arrange
    const created = new CreatedNotices();
    const told: (readonly StoreWrite[])[] = [];
    const store = watchedStore(new MemoryStore(), created, (writes) => told.push(writes));
    const writes = [noticeWrite()];

    // Act
    const result = await store.commit(writes);

    // Assess
    expect(result).toBe('committed');
    expect(created.take()).toEqual([{ contractId: 'C-1', id: aBreachWarningRecord().id }]);
    expect(told).toEqual([writes]);
  });

  it('notes nothing for a transaction that did not commit', async () => {
    // Arrange
    const created = new CreatedNotices();
    const store = watchedStore(new MemoryStore(), created);
    // Read at a version the store never held: a lost race.
    const staleCase: StoreWrite = { kind: 'case', record: { ...blankCase('C-1', 'CASE-1'), version: 3 } };

    // Act
    const result = await store.commit([staleCase, noticeWrite()]);

    // Assess
    expect(result).toBe('conflict');
    expect(created.size).toBe(0);
  });

  it('passes the store’s failure on as a rejection', async () => {
    // Arrange
    const created = new CreatedNotices();
    const inner = new MemoryStore();
    const failure = new Error('table down');
    inner.beforeCommit = () => Promise.reject(failure);
    const store = watchedStore(inner, created);

    // Act / Assess
    await expect(store.commit([noticeWrite()])).rejects.toBe(failure);
    expect(created.size).toBe(0);
  });
});
