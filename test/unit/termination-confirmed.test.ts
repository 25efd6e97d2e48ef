/**
 * termination.confirmed (docs/design.md#7-notices): an accepted termination tells the customer when the contract ends,
 * what happens to the credits and when the final statement comes — in the same commit as the termination.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { startOfLocalDate } from '#domain/time.ts';
import { renderNotice } from '#notices/render.ts';
import type { NoticePayload } from '#notices/types.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
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

/** A late technician: 5 % of the premium fee (600 000 minor), four of them reach the 20 % cap. */
async function lateOnSite(caseId: string, day: number): Promise<void> {
  const opened = Date.parse(`2026-03-0${day}T08:00:00Z`);
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

function confirmation(): Extract<NoticePayload, { type: 'termination.confirmed' }> | undefined {
  const [notice] = store.noticesOfType('termination.confirmed');
  return notice?.payload.type === 'termination.confirmed' ? notice.payload : undefined;
}

describe('termination.confirmed', () => {
  it('is created with an accepted termination by notice, in the same commit, saying when the contract ends', async () => {
    // Prepare
    await intake.processEvent(aRegistration());
    await lateOnSite('K-1', 1);
    clock.set('2026-09-15T10:01:00Z');
    const request = aTerminationRequest({ occurredAt: '2026-09-15T12:00:00+02:00' });

    // Act
    const outcome = await intake.processEvent(request);

    // Assess: 90 days' notice on 15 September reaches the term end of 1 January 2027
    expect(outcome).toEqual({ kind: 'applied' });
    const notices = store.noticesOfType('termination.confirmed');
    expect(notices.map((n) => [n.id, n.to, n.locale])).toEqual([
      [`termination.confirmed#C-1#default#${request.eventId}`, 'drift@nordlys.example', 'nb'],
    ]);
    const commit = store.committed.at(-1) ?? [];
    expect(commit.map((w) => w.kind).sort()).toEqual(['contract', 'notice', 'processedEvent']);
    expect(confirmation()).toMatchObject({
      reason: 'notice',
      requestedAt: Date.parse('2026-09-15T12:00:00+02:00'),
      endsAt: startOfLocalDate('2027-01-01', OSLO),
      endDate: '2027-01-01',
      yearIndex: 1,
      yearCreditsMinor: 600_000,
      endsInThisYear: true,
      previousYearCreditsMinor: 0,
      finalStatementOn: '2027-01-01',
    });
  });

  it('is never created with a refused termination: that is an operations alert instead', async () => {
    // Prepare
    await intake.processEvent(aRegistration());
    clock.set('2026-03-02T12:01:00Z');

    // Act: no termination right is held
    const outcome = await intake.processEvent(
      aTerminationRequest({ eventId: 'no-right', reason: 'credit_cap_breach', occurredAt: '2026-03-02T12:00:00Z' }),
    );

    // Assess
    expect(outcome.kind).toBe('rejected');
    expect(store.noticesOfType('termination.confirmed')).toEqual([]);
    expect(store.noticesOfType('ops.event_rejected')).toHaveLength(1);
  });

  it('for breach at once: ends at the request, the year\'s credits owed in the final statement of the next morning', async () => {
    // Prepare: the cap is reached on 5 March 08:00 UTC
    await intake.processEvent(aRegistration());
    for (const [index, caseId] of ['K-1', 'K-2', 'K-3', 'K-4'].entries()) await lateOnSite(caseId, index + 1);
    clock.set('2026-03-10T12:01:00Z');

    // Act
    const outcome = await intake.processEvent(
      aTerminationRequest({ eventId: 'held', reason: 'credit_cap_breach', occurredAt: '2026-03-10T12:00:00Z' }),
    );

    // Assess
    expect(outcome).toEqual({ kind: 'applied' });
    expect(confirmation()).toMatchObject({
      reason: 'credit_cap_breach',
      endsAt: Date.parse('2026-03-10T12:00:00Z'),
      endDate: null,
      yearCreditsMinor: 2_400_000,
      endsInThisYear: true,
      finalStatementOn: '2026-03-11',
    });
  });

  it('a termination replacing an earlier one confirms again, under its own id', async () => {
    // Prepare: notice first (ends 1 January 2027), then the cap is reached and the customer terminates for breach
    await intake.processEvent(aRegistration());
    clock.set('2026-02-01T10:01:00Z');
    await intake.processEvent(aTerminationRequest({ eventId: 'by-notice', occurredAt: '2026-02-01T10:00:00Z' }));
    for (const [index, caseId] of ['K-1', 'K-2', 'K-3', 'K-4'].entries()) await lateOnSite(caseId, index + 1);
    clock.set('2026-03-10T12:01:00Z');

    // Act
    await intake.processEvent(aTerminationRequest({ eventId: 'for-breach', reason: 'credit_cap_breach', occurredAt: '2026-03-10T12:00:00Z' }));

    // Assess
    expect(store.noticesOfType('termination.confirmed').map((n) => n.id).sort()).toEqual([
      'termination.confirmed#C-1#default#by-notice',
      'termination.confirmed#C-1#default#for-breach',
    ]);
  });

  it('inside a binding period ending after this year, the year\'s credits are deducted from the next year\'s fee', async () => {
    // Prepare: bound for two years; notice in year 1 ends the contract at the binding end, 1 January 2028
    await intake.processEvent(aRegistration({ bindingYears: 2 }));
    await lateOnSite('K-1', 1);
    clock.set('2026-09-15T10:01:00Z');

    // Act
    await intake.processEvent(aTerminationRequest({ occurredAt: '2026-09-15T12:00:00+02:00' }));

    // Assess
    const payload = confirmation();
    expect(payload).toMatchObject({ endDate: '2028-01-01', yearIndex: 1, yearCreditsMinor: 600_000, endsInThisYear: false });
    if (payload === undefined) throw new Error('no confirmation');
    const text = (locale: 'nb' | 'en'): string => renderNotice(payload, locale).text.replace(/\s+/g, ' ');
    expect(text('en')).toContain("deducted from the next year's fee as usual");
    expect(text('en')).toContain('its last day is 31 December 2027');
    expect(text('nb')).toContain('trekkes som vanlig fra avgiften for neste år');
    expect(text('nb')).toContain('siste dag er 31. desember 2027');
  });
});
