/**
 * docs/design.md#order-and-duplicates: "a reminder whose day passed before the event that made it due is not sent" — neither the
 * expiry reminders of a termination accepted late, nor the reminders of a contract registered late.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addDays, HOUR_MS, startOfLocalDate } from '#domain/time.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { makeLifecycle } from '#usecases/lifecycle.ts';
import { MemoryLifecycleRepository } from '#test/support/memory-lifecycle-repository.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, aTerminationRequest, defaultCatalog, HOUR, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';

const OSLO = 'Europe/Oslo';

let store: MemoryStore;
let clock: TestClock;
let intake: Intake;

beforeEach(() => {
  store = new MemoryStore();
  clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  intake = makeIntake({ store, catalog: defaultCatalog(), clock });
});

/** The daily lifecycle at 06:00 in Oslo on every date from `from` through `through`. */
async function runDaily(from: string, through: string): Promise<void> {
  const lifecycle = makeLifecycle({ store, contracts: new MemoryLifecycleRepository(store), catalog: defaultCatalog(), clock });
  for (let date = from; date <= through; date = addDays(date, 1)) {
    clock.at = startOfLocalDate(date, OSLO) + 6 * HOUR_MS;
    await lifecycle.run();
  }
}

/** Four late technicians in March: 4 × 5 % reaches the 20 % cap on 5 March (right until the end of 3 June). */
async function reachTheCap(): Promise<void> {
  for (const [index, caseId] of ['K-1', 'K-2', 'K-3', 'K-4'].entries()) {
    const opened = Date.parse(`2026-03-0${index + 1}T08:00:00Z`);
    clock.at = opened + MINUTE;
    await intake.processEvent(aCaseEvent('case.opened', { caseId, at: new Date(opened).toISOString(), fields: { onSiteRequired: true } }));
    await intake.processEvent(aCaseEvent('case.responded', { caseId, at: new Date(opened + MINUTE).toISOString() }));
    clock.at = opened + 25 * HOUR;
    await intake.processEvent(aCaseEvent('case.technician_arrived', { caseId, at: new Date(opened + 25 * HOUR).toISOString() }));
    // Resolved on arrival (in time); the late arrival is credited by the sweep's next run (a breach is a decision of time).
    await intake.processEvent(aCaseEvent('case.resolved', { caseId, at: new Date(opened + 25 * HOUR).toISOString() }));
    clock.at = opened + 25 * HOUR + MINUTE;
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();
  }
}

async function terminateForBreach(requestedOn: string, effectiveDate: string): Promise<void> {
  const requestedAt = startOfLocalDate(requestedOn, OSLO) + 12 * HOUR_MS;
  clock.at = requestedAt + MINUTE;
  const outcome = await intake.processEvent(
    aTerminationRequest({ reason: 'credit_cap_breach', occurredAt: new Date(requestedAt).toISOString(), effectiveDate }),
  );
  expect(outcome).toEqual({ kind: 'applied' });
}

const reminders = (type: string): { id: string; createdOn: string }[] =>
  store
    .noticesOfType(type)
    .map((n) => ({ id: n.id, createdOn: new Date(n.createdAt + 2 * HOUR_MS).toISOString().slice(0, 10) }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));

describe('reminders whose day passed before their cause', () => {
  it('a termination accepted ten days before its effective date sends no expiry reminder for days already past', async () => {
    // Prepare: reminders 60 and 30 days before a term end; the lifecycle has run every day so far
    clock.set('2025-12-15T09:00:00Z');
    await intake.processEvent(aRegistration({ reminderDays: [60, 30] }));
    await runDaily('2026-01-01', '2026-01-01');
    await reachTheCap();

    // Act: on 20 May the customer terminates for breach from 30 May (60 and 30 days before it: 31 March, 30 April)
    await terminateForBreach('2026-05-20', '2026-05-30');
    await runDaily('2026-05-21', '2026-06-01');

    // Assess
    expect(reminders('term.expiry_reminder')).toEqual([]);
    expect(reminders('contract.ended').map((n) => n.createdOn)).toEqual(['2026-05-30']);
  });

  it('the 30-day reminder of a termination accepted 40 days ahead is sent on its day; the 60-day one, already past, is not', async () => {
    // Prepare
    clock.set('2025-12-15T09:00:00Z');
    await intake.processEvent(aRegistration({ reminderDays: [60, 30] }));
    await runDaily('2026-01-01', '2026-01-01');
    await reachTheCap();

    // Act: on 20 May, from 29 June (60 days before: 30 April, past; 30 days before: 30 May)
    await terminateForBreach('2026-05-20', '2026-06-29');
    await runDaily('2026-05-21', '2026-06-30');

    // Assess
    expect(reminders('term.expiry_reminder')).toEqual([{ id: 'term.expiry_reminder#C-1#2026-06-29#30', createdOn: '2026-05-30' }]);
    expect(reminders('contract.ended').map((n) => n.createdOn)).toEqual(['2026-06-29']);
  });

  it('a contract registered late is not reminded of a renewal on a day before its registration', async () => {
    // Prepare: renewal reminders on 2 November and 2 December 2026; registered on 15 November
    clock.set('2026-11-15T09:00:00Z');
    await intake.processEvent(aRegistration({ reminderDays: [60, 30] }));

    // Act
    await runDaily('2026-11-15', '2026-12-31');

    // Assess
    expect(reminders('renewal.reminder')).toEqual([{ id: 'renewal.reminder#C-1#2027-01-01#30', createdOn: '2026-12-02' }]);
  });

  it('a contract without renewal registered late is reminded only of the expiry days still ahead', async () => {
    // Prepare
    clock.set('2026-11-15T09:00:00Z');
    await intake.processEvent(aRegistration({ reminderDays: [60, 30], autoRenew: false }));

    // Act
    await runDaily('2026-11-15', '2026-12-31');

    // Assess
    expect(reminders('term.expiry_reminder')).toEqual([{ id: 'term.expiry_reminder#C-1#2027-01-01#30', createdOn: '2026-12-02' }]);
  });
});
