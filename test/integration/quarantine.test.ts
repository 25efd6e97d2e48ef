import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoItemFailureRepository } from '#store/item-failures.ts';
import type { Store, StoreWrite } from '#store/store.ts';
import { makeIntake } from '#usecases/intake.ts';
import { MAX_ITEM_ATTEMPTS } from '#usecases/item-retry.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { aCaseEvent, aRegistration, defaultCatalog, HOUR, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { documentClient } from '#store/dynamo-client.ts';

const OPENED = Date.parse('2026-02-09T08:00:00Z');
const DAY = 24 * HOUR;
const iso = (instant: number): string => new Date(instant).toISOString();

let store: DynamoStore;
let failures: DynamoItemFailureRepository;

beforeAll(async () => {
  const emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  const client = documentClient(dynamo);
  store = new DynamoStore({ client, tableName: emulators.tableName });
  failures = new DynamoItemFailureRepository({ client, tableName: emulators.tableName });
});

/** The store, except that commits touching `matches` throw, as a corrupt item would. */
function failingWhen(matches: (write: StoreWrite) => boolean): Store {
  return Object.assign(Object.create(store) as DynamoStore, {
    commit: (writes: readonly StoreWrite[]) =>
      writes.some(matches) ? Promise.reject(new RangeError('corrupt case event: 9|x||hd-1')) : store.commit(writes),
  });
}

describe('quarantine on the real table', () => {
  it(`a case failing on ${MAX_ITEM_ATTEMPTS} sweeps leaves the attention index, is recorded in its partition and alerted once`, async () => {
    // Prepare
    const clock = new TestClock(OPENED);
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
    await intake.processEvent(aRegistration({ contractId: 'Q-1' }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'Q-1', caseId: 'K-ok', at: iso(OPENED) }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'Q-1', caseId: 'K-bad', at: iso(OPENED) }));
    clock.at = OPENED + 21 * MINUTE;
    const failing = failingWhen((write) => write.kind === 'case' && write.record.caseId === 'K-bad');
    const sweep = makeSweep({ store: failing, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository(), failures });

    // Act
    const reports = [];
    for (let run = 1; run <= MAX_ITEM_ATTEMPTS + 1; run += 1) {
      reports.push(await sweep.run());
      clock.at += MINUTE;
    }

    // Assess
    expect(reports[0]).toMatchObject({ breachesDeclared: 1, itemsFailed: 1 });
    expect(reports.map((r) => r.itemsQuarantined)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(reports.at(-1)?.failures).toBeUndefined();
    const partition = await store.readContractPartition('Q-1');
    expect(partition.quarantined).toEqual([
      expect.objectContaining({ kind: 'case', id: 'K-bad', attempts: MAX_ITEM_ATTEMPTS, reason: expect.stringContaining('corrupt case event') as string }),
    ]);
    expect(partition.notices.filter((n) => n.type === 'ops.item_quarantined')).toHaveLength(1);
    expect(partition.cases.find((c) => c.caseId === 'K-bad')?.nextAttentionAt).toBeNull();
    const due = await store.dueCases(clock.at + 365 * DAY);
    expect(due.filter((ref) => ref.contractId === 'Q-1').map((ref) => ref.caseId)).toEqual(['K-ok']);
    expect(await failures.failing()).toEqual([]);
  });

  it('a parked group failing on every sweep is quarantined: its parked events leave the index and stay parked', async () => {
    // Prepare: parked, then registered by an intake that crashed before draining.
    const clock = new TestClock(OPENED);
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'Q-2', caseId: 'P-bad', at: iso(OPENED) }));
    const crashing = Object.assign(Object.create(store) as DynamoStore, { readParkedOf: () => Promise.resolve([]) });
    await makeIntake({ store: crashing, catalog: defaultCatalog(), clock }).processEvent(aRegistration({ contractId: 'Q-2' }));
    clock.at = OPENED + DAY + MINUTE;
    const failing = failingWhen((write) => write.kind === 'unpark' && write.record.contractId === 'Q-2');
    const sweep = makeSweep({ store: failing, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository(), failures });

    // Act
    for (let run = 1; run <= MAX_ITEM_ATTEMPTS; run += 1) {
      await sweep.run();
      clock.at += MINUTE;
    }

    // Assess
    const overdue = await store.overdueParked(clock.at);
    expect(overdue.filter((ref) => ref.contractId === 'Q-2')).toEqual([]);
    const partition = await store.readContractPartition('Q-2');
    expect(partition.parked).toHaveLength(1);
    expect(partition.quarantined).toEqual([expect.objectContaining({ kind: 'parked', id: 'case:P-bad' })]);
  });

  it('a parked event whose contract never registers expires as rejected after parkedRetentionDays', async () => {
    // Prepare
    const clock = new TestClock(OPENED);
    const orphan = aCaseEvent('case.opened', { contractId: 'Q-404', at: iso(OPENED) });
    await makeIntake({ store, catalog: defaultCatalog(), clock }).processEvent(orphan);
    clock.at = Math.ceil((OPENED + defaultCatalog().parkedRetentionDays * DAY) / DAY) * DAY + MINUTE;

    // Act
    const report = await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository(), failures }).run();

    // Assess
    expect(report.parkedExpired).toBe(1);
    const partition = await store.readContractPartition('Q-404');
    expect(partition.parked).toEqual([]);
    expect(partition.rejected).toEqual([expect.objectContaining({ eventId: orphan.eventId, reason: 'the contract was not registered within 30 days' })]);
  });
});
