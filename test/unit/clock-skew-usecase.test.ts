import { beforeEach, describe, expect, it } from 'vitest';
import { clockSkewReason } from '#usecases/event-application.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);

let store: MemoryStore;
let clock: TestClock;
let intake: Intake;

beforeEach(async () => {
  store = new MemoryStore();
  clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  intake = makeIntake({ store, catalog: defaultCatalog(), clock });
  await intake.processEvent(aRegistration());
});

describe('an occurredAt more than 15 minutes after the event arrived is clock skew: rejected with a reason, never applied', () => {
  it('rejects a case event 16 minutes ahead of its arrival, records why and applies nothing', async () => {
    // Prepare
    clock.at = openedAt - 16 * MINUTE;
    const ahead = aCaseEvent('case.opened', { at: OPENED });

    // Act
    const outcome = await intake.processEvent(ahead);

    // Assess
    expect(outcome).toEqual({ kind: 'rejected', reason: 'occurredAt is 16 minutes in the future: clock skew' });
    expect(store.rejectedOf('C-1')[0]?.reason).toBe('occurredAt is 16 minutes in the future: clock skew');
    expect(store.cases.size).toBe(0);
    expect(store.noticesOfType('ops.event_rejected')).toHaveLength(1);
  });

  it('applies an event exactly 15 minutes ahead (the tolerance is included)', async () => {
    clock.at = openedAt - 15 * MINUTE;
    expect(await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }))).toEqual({ kind: 'applied' });
  });

  it('rejects a registration from two years in the future', async () => {
    // Prepare
    const fresh = makeIntake({ store: new MemoryStore(), catalog: defaultCatalog(), clock });
    clock.set('2025-12-15T09:00:00Z');

    // Act
    const outcome = await fresh.processEvent(aRegistration({ occurredAt: '2027-12-15T09:00:00Z' }));

    // Assess
    expect(outcome.kind).toBe('rejected');
    expect(outcome.kind === 'rejected' ? outcome.reason : '').toMatch(/^occurredAt is \d+ minutes in the future: clock skew$/);
  });

  it('counts whole minutes up, so a reason never says 15 for more than 15', () => {
    expect(clockSkewReason(15 * MINUTE + 1, 0)).toBe('occurredAt is 16 minutes in the future: clock skew');
    expect(clockSkewReason(15 * MINUTE, 0)).toBeNull();
    expect(clockSkewReason(-365 * 24 * 60 * MINUTE, 0)).toBeNull();
  });
});
