import { beforeEach, describe, expect, it } from 'vitest';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { MAX_ITEM_ATTEMPTS } from '#usecases/item-retry.ts';
import { makeSweep } from '#usecases/sweep.ts';
import type { Store, StoreWrite } from '#store/store.ts';
import { MemoryItemFailures } from '#test/support/memory-item-failures.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, defaultCatalog, HOUR, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { aCreditIssuedRecord } from '#test/support/factories/notices.ts';
import { REDRIVE_AFTER_MS } from '#usecases/notice-timing.ts';
import { redriveQuarantined } from '#usecases/redrive.ts';
import { itemOf } from '#cli/commands/redrive.ts';
import { MAX_TRANSACTION_ITEMS, planWrites } from '#store/transaction.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const DAY = 24 * HOUR;
const at = (instant: number): string => new Date(instant).toISOString();

let store: MemoryStore;
let clock: TestClock;
let intake: Intake;
let failures: MemoryItemFailures;
let notices: MemoryNoticeRepository;

/** The store, except that a commit touching `matches` throws `error` (the next `times` such commits). */
function storeFailing(matches: (write: StoreWrite) => boolean, error: () => Error, times = Number.POSITIVE_INFINITY): Store & { thrown: number } {
  const failing: Store & { thrown: number } = Object.assign(Object.create(store) as MemoryStore, {
    thrown: 0,
    commit: (writes: readonly StoreWrite[]) => {
      if (failing.thrown < times && writes.some(matches)) {
        failing.thrown += 1;
        return Promise.reject(error());
      }
      return store.commit(writes);
    },
  });
  return failing;
}

const writesCase = (caseId: string) => (write: StoreWrite) => write.kind === 'case' && write.record.caseId === caseId;
const corrupt = () => new RangeError('corrupt case event: 9|x||hd-1');

const sweepOn = (on: Store) => makeSweep({ store: on, catalog: defaultCatalog(), clock, notices, failures }).run();

beforeEach(async () => {
  store = new MemoryStore();
  failures = new MemoryItemFailures();
  notices = new MemoryNoticeRepository();
  clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  intake = makeIntake({ store, catalog: defaultCatalog(), clock });
  await intake.processEvent(aRegistration());
  clock.at = openedAt + MINUTE;
  await intake.processEvent(aCaseEvent('case.opened', { caseId: 'K-1', at: OPENED }));
  await intake.processEvent(aCaseEvent('case.opened', { caseId: 'K-bad', at: OPENED }));
  clock.at = openedAt + 21 * MINUTE; // both first responses past deadline + grace
});

describe('failure of one item never stops the others', () => {
  it('one case that throws does not stop the other cases nor the notice upkeep', async () => {
    // Prepare: a notice stuck in pending, due for a re-drive.
    notices.add(aCreditIssuedRecord({ createdAt: clock.at - REDRIVE_AFTER_MS }));
    const failing = storeFailing(writesCase('K-bad'), corrupt);

    // Act
    const report = await sweepOn(failing);

    // Assess
    expect(report).toMatchObject({ breachesDeclared: 1, itemsFailed: 1, itemsQuarantined: 0, noticesRedriven: 1 });
    expect(report.phasesFailed).toBeUndefined();
    expect(report.failures).toEqual([
      { kind: 'case', contractId: 'C-1', id: 'K-bad', reason: 'RangeError: corrupt case event: 9|x||hd-1', quarantined: false },
    ]);
    expect(store.cases.get('C-1\u0000K-1')?.decided.firstResponse?.breached).toBe(true);
  });

  it(`a case failing on ${MAX_ITEM_ATTEMPTS} runs is quarantined, alerted once and not retried`, async () => {
    // Prepare
    const failing = storeFailing(writesCase('K-bad'), corrupt);

    // Act
    const reports = [];
    for (let run = 1; run <= MAX_ITEM_ATTEMPTS + 2; run += 1) {
      reports.push(await sweepOn(failing));
      clock.at += MINUTE;
    }

    // Assess
    expect(reports.map((r) => [r.itemsFailed, r.itemsQuarantined])).toEqual([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1], [0, 0], [0, 0]]);
    expect(failing.thrown).toBe(MAX_ITEM_ATTEMPTS);
    const alerts = store.noticesOfType('ops.item_quarantined');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.payload).toMatchObject({ contractId: 'C-1', item: 'case', itemId: 'K-bad', attempts: MAX_ITEM_ATTEMPTS });
    const partition = await store.readContractPartition('C-1');
    expect(partition.quarantined).toEqual([
      expect.objectContaining({ kind: 'case', id: 'K-bad', attempts: MAX_ITEM_ATTEMPTS, reason: expect.stringContaining('corrupt case event') as string }),
    ]);
    expect(store.cases.get('C-1\u0000K-bad')?.nextAttentionAt).toBeNull();
    expect(failures.failures.size).toBe(0);
  });

  it('a case that fails once and then succeeds is not quarantined, and its count is forgotten', async () => {
    // Prepare
    const failing = storeFailing(writesCase('K-bad'), corrupt, 1);

    // Act
    const first = await sweepOn(failing);
    clock.at += MINUTE;
    const second = await sweepOn(failing);

    // Assess
    expect(first.itemsFailed).toBe(1);
    expect(second).toMatchObject({ itemsFailed: 0, itemsQuarantined: 0, breachesDeclared: 1 });
    expect(failures.failures.size).toBe(0);
    expect(store.noticesOfType('ops.item_quarantined')).toEqual([]);
  });

  it('a throttled case is retried every run and never counted towards quarantine: an outage is not the item’s fault', async () => {
    // Prepare
    const { TransientDependencyError } = await import('../../shared/errors.ts');
    const failing = storeFailing(writesCase('K-bad'), () => new TransientDependencyError('DynamoDB: ThrottlingException'));

    // Act
    for (let run = 1; run <= MAX_ITEM_ATTEMPTS + 1; run += 1) {
      await sweepOn(failing);
      clock.at += MINUTE;
    }

    // Assess
    expect(failing.thrown).toBe(MAX_ITEM_ATTEMPTS + 1);
    expect(store.quarantined.size).toBe(0);
  });

  it('a parked event that throws is isolated the same way: quarantined after five runs, the other case’s parked events applied', async () => {
    // Prepare: two cases parked for C-9, then its registration committed without the drain (a crash).
    clock.at = openedAt;
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'C-9', caseId: 'P-bad', at: OPENED }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'C-9', caseId: 'P-ok', at: OPENED }));
    await makeIntake({
      store: Object.assign(Object.create(store) as MemoryStore, { readParkedOf: () => Promise.resolve([]) }),
      catalog: defaultCatalog(),
      clock,
    }).processEvent(aRegistration({ contractId: 'C-9' }));
    clock.at = openedAt + DAY + MINUTE;
    const failing = storeFailing((write) => write.kind === 'unpark' && write.record.caseId === 'P-bad', corrupt);

    // Act
    const reports = [];
    for (let run = 1; run <= MAX_ITEM_ATTEMPTS + 1; run += 1) {
      reports.push(await sweepOn(failing));
      clock.at += MINUTE;
    }

    // Assess
    expect(reports[0]).toMatchObject({ parkedApplied: 1, itemsFailed: 1 });
    expect(reports.map((r) => r.itemsQuarantined)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(store.cases.get('C-9\u0000P-ok')?.events).toHaveLength(1);
    expect(store.noticesOfType('ops.item_quarantined').map((n) => n.payload)).toEqual([
      expect.objectContaining({ item: 'parked', itemId: 'case:P-bad' }),
    ]);
    expect(await store.overdueParked(clock.at)).toEqual([]);
    expect(store.parked.size).toBe(1);
  });
});

describe('a quarantined item is re-driven by hand once its cause is fixed', () => {
  it('progresses the case now, puts it back in the attention index and removes its quarantine record', async () => {
    // Prepare: K-bad quarantined, then the cause fixed (the healthy store).
    const failing = storeFailing(writesCase('K-bad'), corrupt);
    for (let run = 1; run <= MAX_ITEM_ATTEMPTS; run += 1) {
      await sweepOn(failing);
      clock.at += MINUTE;
    }
    const item = itemOf('C-1', 'case:K-bad');

    // Act
    const result = item === null ? null : await redriveQuarantined({ store, catalog: defaultCatalog(), clock }, item);

    // Assess
    expect(result).toEqual({ kind: 'redriven' });
    expect(store.quarantined.size).toBe(0);
    expect(store.cases.get('C-1\u0000K-bad')?.decided.firstResponse?.breached).toBe(true);
    expect(store.cases.get('C-1\u0000K-bad')?.nextAttentionAt).not.toBeNull();
  });

  it('names items as the statement lists them, and refuses anything else', () => {
    expect(itemOf('C-1', 'case:K-1')).toEqual({ kind: 'case', contractId: 'C-1', id: 'K-1' });
    expect(itemOf('C-1', 'parked:case:K:1')).toEqual({ kind: 'parked', contractId: 'C-1', id: 'case:K:1' });
    expect(itemOf('C-1', 'lifecycle')).toEqual({ kind: 'lifecycle', contractId: 'C-1', id: 'lifecycle' });
    expect(itemOf('C-1', 'parked:K-1')).toBeNull();
    expect(itemOf('C-1', 'K-1')).toBeNull();
  });
});

describe('parked events of a case are applied together when their contract registers', () => {
  it('gives no spurious resolution credit and reversal to a case opened and resolved on time while it waited', async () => {
    // Prepare: opened, responded in 5 minutes, resolved in 2 hours; all parked, contract registered 3 days later.
    clock.at = openedAt;
    const opened = aCaseEvent('case.opened', { contractId: 'C-9', at: OPENED });
    const responded = aCaseEvent('case.responded', { contractId: 'C-9', at: at(openedAt + 5 * MINUTE) });
    const resolved = aCaseEvent('case.resolved', { contractId: 'C-9', at: at(openedAt + 2 * HOUR) });
    // Each arrives when it happens (an occurredAt ahead of the clock is refused as clock skew).
    for (const event of [opened, responded, resolved]) {
      clock.at = Date.parse(event.occurredAt);
      await intake.processEvent(event);
    }
    clock.at = openedAt + 3 * DAY; // evaluating `opened` alone now would breach both clocks

    // Act
    await intake.processEvent(aRegistration({ contractId: 'C-9' }));

    // Assess
    const partition = await store.readContractPartition('C-9');
    expect(partition.ledger).toEqual([]);
    expect(partition.notices.filter((n) => n.type.startsWith('credit.'))).toEqual([]);
    expect(partition.parked).toEqual([]);
    expect(partition.cases[0]?.events).toHaveLength(3);
    expect(partition.cases[0]?.decided).toMatchObject({ firstResponse: { breached: false }, resolution: { breached: false } });
  });

  it('evaluates the case once: one commit carries the case with every idempotency record and unpark', async () => {
    // Prepare
    clock.at = openedAt;
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'C-9', at: OPENED }));
    await intake.processEvent(aCaseEvent('case.responded', { contractId: 'C-9', at: at(openedAt + 5 * MINUTE) }));
    const before = store.committed.length;

    // Act
    await intake.processEvent(aRegistration({ contractId: 'C-9' }));

    // Assess: the registration, then one commit for the case.
    const commits = store.committed.slice(before);
    expect(commits).toHaveLength(2);
    expect(commits[1]?.map((w) => w.kind).sort()).toEqual(['case', 'processedEvent', 'processedEvent', 'unpark', 'unpark']);
  });
});

describe('a parked group larger than one transaction', () => {
  it('is committed in chunks of at most 100 planned transaction items, the case first, and every event applied once', async () => {
    // Prepare: 70 parked events of one case (140 idempotency records and unparks with the case write).
    clock.at = openedAt;
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'C-9', at: OPENED }));
    for (let note = 1; note <= 69; note += 1) {
      clock.at = openedAt + note * MINUTE;
      await intake.processEvent(aCaseEvent('case.paused', { contractId: 'C-9', at: at(clock.at), eventId: `pause-${note}` }));
    }
    const before = store.committed.length;

    // Act
    await intake.processEvent(aRegistration({ contractId: 'C-9' }));

    // Assess: the registration, then the group in chunks, each within DynamoDB's limit.
    const chunks = store.committed.slice(before + 1);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(planWrites('T', chunk).length).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
    expect(chunks[0]?.some((write) => write.kind === 'case')).toBe(true);
    expect(chunks.slice(1).flat().some((write) => write.kind === 'case')).toBe(false);
    const partition = await store.readContractPartition('C-9');
    expect(partition.parked).toEqual([]);
    expect(partition.cases[0]?.events).toHaveLength(70);
  });
});

describe('parked events whose contract never registers expire', () => {
  const retentionDays = defaultCatalog().parkedRetentionDays;

  it(`are recorded as rejected after ${retentionDays} days and alerted in the daily parked-events notice`, async () => {
    // Prepare
    clock.at = openedAt;
    const orphan = aCaseEvent('case.opened', { contractId: 'C-404', at: OPENED });
    await intake.processEvent(orphan);

    // Act: the day before it expires, then the first run of the day it does.
    clock.at = openedAt + retentionDays * DAY - DAY;
    const before = await sweepOn(store);
    clock.at = Math.ceil((openedAt + retentionDays * DAY) / DAY) * DAY + MINUTE;
    const after = await sweepOn(store);

    // Assess
    expect(before).toMatchObject({ parkedOverdue: 1, parkedExpired: 0 });
    expect(after).toMatchObject({ parkedOverdue: 0, parkedExpired: 1 });
    const reason = `the contract was not registered within ${retentionDays} days`;
    expect([...store.rejected.values()]).toEqual([expect.objectContaining({ contractId: 'C-404', eventId: orphan.eventId, reason })]);
    expect(store.processedEvent(orphan.eventId)).toMatchObject({ outcome: 'rejected', reason });
    expect(store.parked.size).toBe(0);
    const alert = store.noticesOfType('ops.parked_events').find((n) => n.createdAt === clock.at);
    expect(alert?.payload).toMatchObject({ count: 0, expired: { count: 1, retentionDays, contractIds: ['C-404'] } });
    expect(store.noticesOfType('ops.event_rejected')).toEqual([]);
  });
});
