/**
 * Deterministic notice ids (docs/design.md#7-notices): each cause has its own id, so a notice exists exactly once —
 * and a notice that exists already counts as created, never as a conflict.
 */
import { eventDigest } from '#events/digest.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StoreWrite } from '#store/store.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { eventRejectedNotice } from '#usecases/notice-factory.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, defaultCatalog, TestClock } from '#test/support/factories/events.ts';

let store: MemoryStore;
let clock: TestClock;
let intake: Intake;
/** The sweep's run at the clock's instant (it declares the breaches intake leaves to it). */
const sweep = () => makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();

beforeEach(async () => {
  store = new MemoryStore();
  clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  intake = makeIntake({ store, catalog: defaultCatalog(), clock });
  await intake.processEvent(aRegistration());
});

describe('a breach that moves into the next contract year', () => {
  it('is booked in that year with its own credit.issued notice, not a conflict', async () => {
    // Prepare: premium onSite is 24 h on `always`; opened 30 December 20:00 Oslo, due 31 December 20:00 (year 1);
    // the technician arrives 1 January 03:00 (year 2 began at midnight Oslo): a breach of year 1.
    clock.set('2026-12-30T19:01:00Z');
    await intake.processEvent(aCaseEvent('case.opened', { at: '2026-12-30T20:00:00+01:00', fields: { onSiteRequired: true } }));
    await intake.processEvent(aCaseEvent('case.responded', { at: '2026-12-30T20:05:00+01:00' }));
    clock.set('2027-01-01T02:01:00Z');
    await intake.processEvent(aCaseEvent('case.technician_arrived', { at: '2027-01-01T03:00:00+01:00' }));
    // The late arrival's breach is the sweep's to declare (its run of the same minute).
    await sweep();
    const firstIds = store.noticesOfType('credit.issued').map((n) => n.id);

    // Act: a force-majeure pause of 6 hours on 31 December arrives late: the deadline moves to 1 January 02:00
    clock.set('2027-01-01T03:01:00Z');
    const paused = await intake.processEvent(
      aCaseEvent('case.paused', { at: '2026-12-31T08:00:00+01:00', fields: { reason: 'force_majeure' } }),
    );
    const withdrawn = await sweep();
    clock.set('2027-01-01T03:02:00Z');
    const resumed = await intake.processEvent(aCaseEvent('case.resumed', { at: '2026-12-31T14:00:00+01:00' }));
    const declared = await sweep();

    // Assess
    expect(firstIds).toEqual(['credit.issued#C-1#1#K-1#onSite']);
    // The pause alone stops counted time before the deadline (the sweep withdraws the breach); after the
    // resume the sweep declares it in year 2. Intake only records the events.
    expect(paused).toEqual({ kind: 'applied' });
    expect(withdrawn).toMatchObject({ breachesDeclared: 0, creditsBookedMinor: -600_000 });
    expect(resumed).toEqual({ kind: 'applied' });
    expect(declared).toMatchObject({ breachesDeclared: 1, creditsBookedMinor: 600_000 });
    const issued = store.noticesOfType('credit.issued');
    expect(issued.map((n) => n.id).sort()).toEqual(['credit.issued#C-1#1#K-1#onSite', 'credit.issued#C-1#2#K-1#onSite']);
    expect(issued.find((n) => n.id.includes('#2#'))?.payload).toMatchObject({
      yearIndex: 2,
      deadline: Date.parse('2027-01-01T02:00:00+01:00'),
      creditMinor: 600_000,
    });
    expect(store.noticesOfType('credit.adjusted').map((n) => n.payload)).toEqual([
      expect.objectContaining({ yearIndex: 1, changes: [{ caseId: 'K-1', kpi: 'onSite', amountMinor: -600_000 }], newTotalMinor: 0 }),
    ]);
    expect([...store.ledger.values()].map((e) => [e.yearIndex, e.amountMinor])).toEqual([
      [1, 600_000],
      [1, -600_000],
      [2, 600_000],
    ]);
  });
});

describe('an existing deterministic notice counts as already created', () => {
  it('a commit whose notice already exists commits the rest and leaves the notice as it was', async () => {
    // Prepare: the notice was created and sent by an earlier commit of the same cause
    const notice = eventRejectedNotice(
      { source: 'default', contractId: 'C-1', eventId: 'E-1', digest: 'digest-E-1', eventType: 'case.opened', reason: 'outside' },
      clock.now(),
    );
    await store.commit([{ kind: 'notice', notice }]);
    const stored = store.outbox.get({ contractId: 'C-1', id: notice.id });
    if (stored !== undefined) store.outbox.replace({ ...stored, state: 'sent' });
    const writes: StoreWrite[] = [
      { kind: 'processedEvent', record: { source: 'default', eventId: 'E-1', digest: 'digest-E-1', contractId: 'C-1', outcome: 'rejected', reason: 'outside', at: clock.now() }, replaces: 'nothing' },
      { kind: 'notice', notice: { ...notice, createdAt: clock.now() + 1 } },
    ];

    // Act
    const result = await store.commit(writes);

    // Assess
    expect(result).toBe('committed');
    expect(store.processedEvent('E-1')?.outcome).toBe('rejected');
    expect(store.notices.get(`C-1\u0000${notice.id}`)).toMatchObject({ state: 'sent', createdAt: notice.createdAt });
    expect(store.committed.at(-1)?.map((w) => w.kind)).toEqual(['processedEvent']);
  });

  it('an existing notice never hides a real conflict: a stale version beside it is still a conflict', async () => {
    // Prepare
    const notice = eventRejectedNotice(
      { source: 'default', contractId: 'C-1', eventId: 'E-2', digest: 'digest-E-2', eventType: 'case.opened', reason: 'outside' },
      clock.now(),
    );
    await store.commit([{ kind: 'notice', notice }]);
    const contract = store.contracts.get('C-1');
    if (contract === undefined) throw new Error('the contract was not registered');
    const stale = { ...contract, version: contract.version - 1 };
    const snapshot = store.snapshot();

    // Act
    const result = await store.commit([{ kind: 'contract', record: stale }, { kind: 'notice', notice }]);

    // Assess
    expect(result).toBe('conflict');
    expect(store.snapshot()).toBe(snapshot);
  });

  it('a rejected event re-sent after its idempotency record expired is a duplicate of its rejection: acknowledged, not dead-lettered, not alerted again', async () => {
    // Prepare: a case opened before the contract starts is rejected with an operations notice
    const early = aCaseEvent('case.opened', { at: '2025-12-20T10:00:00+01:00' });
    clock.set('2025-12-20T09:01:00Z');
    await intake.processEvent(early);
    store.expireProcessedEvent(early.eventId);

    // Act
    const outcome = await intake.processEvent(early);

    // Assess: its rejected record (one per identity and body) already exists, so nothing new is written
    expect(outcome.kind).toBe('duplicate');
    expect(store.rejectedOf('C-1')).toHaveLength(1);
    expect(store.noticesOfType('ops.event_rejected').map((n) => n.id)).toEqual([`ops.event_rejected#default#${eventDigest(early)}#${early.eventId}`]);
  });

  it('two sources\' rejected events with the same eventId get an alert each', () => {
    // Prepare
    const fromZendesk = { ...aCaseEvent('case.opened', { at: '2025-12-20T10:00:00+01:00', eventId: 'E-7' }), source: 'zendesk' };
    const fromJira = { ...fromZendesk, source: 'jira' };

    // Act
    const ids = [fromZendesk, fromJira].map((event) =>
      eventRejectedNotice({ source: event.source, contractId: 'C-1', eventId: event.eventId, digest: eventDigest(event), eventType: event.type, reason: 'r' }, 0).id,
    );

    // Assess
    expect(ids).toEqual([
      `ops.event_rejected#zendesk#${eventDigest(fromZendesk)}#E-7`,
      `ops.event_rejected#jira#${eventDigest(fromJira)}#E-7`,
    ]);
  });
});
