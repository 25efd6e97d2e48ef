import { beforeEach, describe, expect, it } from 'vitest';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, defaultCatalog, HOUR, MINUTE, TestClock } from '#test/support/factories/events.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const DAY = 24 * HOUR;

let store: MemoryStore;
let clock: TestClock;
let intake: Intake;
const sweep = () => makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();

beforeEach(async () => {
  store = new MemoryStore();
  clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  intake = makeIntake({ store, catalog: defaultCatalog(), clock });
  await intake.processEvent(aRegistration());
  clock.at = openedAt + MINUTE;
  await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }));
});

describe('the sweep declares running clocks breached only after the grace period', () => {
  it('leaves a clock alone inside the grace period after its deadline', async () => {
    clock.at = openedAt + 19 * MINUTE;

    const report = await sweep();

    expect(report.breachesDeclared).toBe(0);
    expect(store.ledger.size).toBe(0);
  });

  it('declares the breach once deadline + grace has passed, with credit, ledger and notice', async () => {
    clock.at = openedAt + 20 * MINUTE + 1;

    const report = await sweep();

    expect(report).toMatchObject({ casesExamined: 1, breachesDeclared: 1 });
    expect([...store.ledger.values()].map((e) => e.amountMinor)).toEqual([240_000]);
    expect(store.noticesOfType('credit.issued')[0]?.payload).toMatchObject({ metAt: null, kpi: 'firstResponse' });
  });
});

describe('the sweep is idempotent', () => {
  it('changes nothing when run twice for the same minute', async () => {
    // Prepare: one breach and one warning due.
    clock.at = openedAt + 21 * MINUTE;
    await intake.processEvent(aCaseEvent('case.opened', { caseId: 'K-2', at: new Date(openedAt + 9 * MINUTE).toISOString() }));
    const first = await sweep();
    const after = store.snapshot();
    const commits = store.commits;

    // Act
    clock.at += 30_000;
    const second = await sweep();

    // Assess
    expect(first.breachesDeclared + first.warningsRaised).toBeGreaterThan(0);
    expect(second).toMatchObject({ casesExamined: 0, breachesDeclared: 0, warningsRaised: 0, parkedOverdue: 0, parkedApplied: 0 });
    expect(store.commits).toBe(commits);
    expect(store.snapshot()).toBe(after);
  });
});

describe('parked events', () => {
  it('reports events parked for more than a day and tells operations once a day', async () => {
    // Prepare
    clock.at = openedAt;
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'C-9', at: OPENED }));
    clock.at = openedAt + DAY + MINUTE;

    // Act
    const first = await sweep();
    clock.at += MINUTE;
    const second = await sweep();

    // Assess
    expect(first.parkedOverdue).toBe(1);
    expect(second.parkedOverdue).toBe(1);
    const notices = store.noticesOfType('ops.parked_events');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.payload).toMatchObject({ count: 1, contractIds: ['C-9'], oldestReceivedAt: openedAt });
  });

  it('applies an overdue parked event whose contract exists by now', async () => {
    // Prepare: parked, then the contract registered without draining (a crash in between).
    clock.at = openedAt;
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'C-9', at: OPENED }));
    const registration = aRegistration({ contractId: 'C-9' });
    await makeIntake({
      store: Object.assign(Object.create(store) as MemoryStore, { readParkedOf: () => Promise.resolve([]) }),
      catalog: defaultCatalog(),
      clock,
    }).processEvent(registration);
    clock.at = openedAt + DAY + MINUTE;

    // Act
    const report = await sweep();

    // Assess
    expect(report).toMatchObject({ parkedApplied: 1, parkedOverdue: 0 });
    expect(store.parked.size).toBe(0);
    expect(store.cases.get('C-9\u0000K-1')?.events).toHaveLength(1);
  });
});
