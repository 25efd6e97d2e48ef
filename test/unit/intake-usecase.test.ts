import { beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyConflictError } from '../../shared/errors.ts';
import type { StoreWrite } from '#store/store.ts';
import { eventDigest } from '#events/digest.ts';
import type { AftercareEventV1 } from '#events/schemas.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemoryStore, netCredits } from '#test/support/memory-store.ts';
import {
  aCaseEvent,
  aRegistration,
  aTerminationRequest,
  anEvent,
  defaultCatalog,
  HOUR,
  MINUTE,
  TestClock,
} from '#test/support/factories/events.ts';

/** Premium, 120 000.00 NOK: firstResponse 15 min / 2 % = 240 000 minor; onSite 24 h / 5 % = 600 000. */
const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const at = (offsetMs: number): string => new Date(openedAt + offsetMs).toISOString();

let store: MemoryStore;
let clock: TestClock;
let intake: Intake;

beforeEach(async () => {
  store = new MemoryStore();
  clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  intake = makeIntake({ store, catalog: defaultCatalog(), clock });
  await intake.processEvent(aRegistration());
});

const kinds = (writes: readonly StoreWrite[]): string[] => writes.map((w) => w.kind).sort();

describe('an event is applied at most once', () => {
  it('acknowledges a redelivered event as a duplicate without writing anything', async () => {
    // Prepare
    clock.set(at(MINUTE));
    const opened = aCaseEvent('case.opened', { at: OPENED });
    await intake.processEvent(opened);
    const before = store.snapshot();
    const commitsBefore = store.commits;

    // Act
    const outcome = await intake.processEvent(opened);

    // Assess
    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(store.commits).toBe(commitsBefore);
    expect(store.snapshot()).toBe(before);
  });

  it('recognises a case event as a duplicate after its idempotency record expired', async () => {
    clock.set(at(MINUTE));
    const opened = aCaseEvent('case.opened', { at: OPENED });
    await intake.processEvent(opened);
    store.expireProcessedEvent(opened.eventId);

    const outcome = await intake.processEvent(opened);

    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(store.cases.get('C-1\u0000K-1')?.events).toHaveLength(1);
  });
});

describe('an event is identified by its source and eventId together', () => {
  const fromSource = (source: string, event: AftercareEventV1): AftercareEventV1 => anEvent({ ...event, source });

  it('two sources with the same eventId are both applied', async () => {
    // Prepare
    clock.set(at(MINUTE));
    const fromHelpdesk = fromSource('zendesk', aCaseEvent('case.opened', { caseId: 'K-1', at: OPENED, eventId: 'E-1' }));
    const fromFieldTool = fromSource('fieldtool', aCaseEvent('case.opened', { caseId: 'K-2', at: OPENED, eventId: 'E-1' }));

    // Act
    const outcomes = [await intake.processEvent(fromHelpdesk), await intake.processEvent(fromFieldTool)];

    // Assess
    expect(outcomes).toEqual([{ kind: 'applied' }, { kind: 'applied' }]);
    expect(store.cases.has('C-1\u0000K-1') && store.cases.has('C-1\u0000K-2')).toBe(true);
    expect(store.processedEvent('E-1', 'zendesk')?.outcome).toBe('applied');
    expect(store.processedEvent('E-1', 'fieldtool')?.outcome).toBe('applied');
    expect(store.processedEvent('E-1')).toBeUndefined();
  });

  it('two sources with the same eventId on one case are both kept in the case', async () => {
    clock.set(at(MINUTE));
    await intake.processEvent(fromSource('zendesk', aCaseEvent('case.opened', { at: OPENED, eventId: 'E-1' })));

    const outcome = await intake.processEvent(fromSource('fieldtool', aCaseEvent('case.onsite_requested', { at: at(MINUTE), eventId: 'E-1' })));

    expect(outcome).toEqual({ kind: 'applied' });
    expect(store.cases.get('C-1\u0000K-1')?.events.map((e) => [e.source, e.type])).toEqual([
      ['zendesk', 'case.opened'],
      ['fieldtool', 'case.onsite_requested'],
    ]);
  });

  it('the same identity with the same body is a duplicate, an absent source being the default one', async () => {
    clock.set(at(MINUTE));
    const opened = aCaseEvent('case.opened', { at: OPENED });
    await intake.processEvent(opened);
    const before = store.snapshot();

    const outcome = await intake.processEvent(fromSource('default', opened));

    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(store.snapshot()).toBe(before);
  });

  it('the same identity with another body is recorded as rejected (conflicting duplicate) and alerted once', async () => {
    // Prepare
    clock.set(at(MINUTE));
    const opened = fromSource('zendesk', aCaseEvent('case.opened', { at: OPENED, eventId: 'E-1' }));
    await intake.processEvent(opened);
    const caseBefore = store.cases.get('C-1\u0000K-1');
    const conflicting = anEvent({ ...opened, priority: 'critical' });

    // Act
    const first = await intake.processEvent(conflicting);
    const redelivered = await intake.processEvent(conflicting);

    // Assess
    expect(first).toEqual({ kind: 'rejected', reason: expect.stringMatching(/^conflicting duplicate: /) as string });
    expect(redelivered).toEqual({ kind: 'duplicate' });
    expect(store.cases.get('C-1\u0000K-1')).toBe(caseBefore);
    expect(store.processedEvent('E-1', 'zendesk')).toMatchObject({ outcome: 'applied', digest: eventDigest(opened) });
    expect(store.rejectedOf('C-1')).toEqual([
      expect.objectContaining({ source: 'zendesk', eventId: 'E-1', digest: eventDigest(conflicting), reason: expect.stringMatching(/^conflicting duplicate/) as string }),
    ]);
    const alerts = store.noticesOfType('ops.event_rejected');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.payload).toMatchObject({ source: 'zendesk', eventId: 'E-1', eventType: 'case.opened' });
  });

  it('a conflicting body is recognised from the case item after the idempotency record expired', async () => {
    clock.set(at(31 * MINUTE));
    const responded = aCaseEvent('case.responded', { at: at(5 * MINUTE) });
    await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }));
    await intake.processEvent(responded);
    store.expireProcessedEvent(responded.eventId);
    const caseBefore = store.cases.get('C-1\u0000K-1');

    const sameBody = await intake.processEvent(responded);
    const otherBody = await intake.processEvent(anEvent({ ...responded, occurredAt: at(30 * MINUTE) }));

    expect(sameBody).toEqual({ kind: 'duplicate' });
    expect(otherBody.kind).toBe('rejected');
    expect(store.cases.get('C-1\u0000K-1')).toBe(caseBefore);
    expect(store.rejectedOf('C-1').map((r) => r.reason)).toEqual([expect.stringMatching(/^conflicting duplicate/)]);
    expect(store.noticesOfType('ops.event_rejected')).toHaveLength(1);
  });

  it('a parked event redelivered with another body is a conflicting duplicate; the parked one still applies', async () => {
    clock.set(at(MINUTE));
    const opened = aCaseEvent('case.opened', { contractId: 'C-2', at: OPENED });
    await intake.processEvent(opened);

    const conflicting = await intake.processEvent(anEvent({ ...opened, summary: 'another body' }));
    await intake.processEvent(aRegistration({ contractId: 'C-2' }));

    expect(conflicting.kind).toBe('rejected');
    expect(store.rejectedOf('C-2')).toHaveLength(1);
    expect(store.processedEvent(opened.eventId)?.outcome).toBe('applied');
    expect(store.cases.get('C-2\u0000K-1')?.events.map((e) => e.type)).toEqual(['case.opened']);
  });

  it('a registration whose eventId another source used registers', async () => {
    clock.set(at(MINUTE));
    await intake.processEvent(fromSource('zendesk', aCaseEvent('case.opened', { at: OPENED, eventId: 'shared-id' })));

    const outcome = await intake.processEvent(fromSource('crm', aRegistration({ contractId: 'C-3', eventId: 'shared-id' })));

    expect(outcome).toEqual({ kind: 'applied' });
    expect(store.contracts.get('C-3')?.registeredBy).toMatchObject({ source: 'crm', eventId: 'shared-id' });
  });

  it('a registration redelivered with another body after its idempotency record expired is a conflicting duplicate', async () => {
    const registration = aRegistration();
    store.expireProcessedEvent(registration.eventId);
    const contractBefore = store.contracts.get('C-1');

    const sameBody = await intake.processEvent(registration);
    const otherBody = await intake.processEvent(anEvent({ ...registration, customer: { name: 'Someone else', email: 'other@example.com', locale: 'en' } }));

    expect(sameBody).toEqual({ kind: 'duplicate' });
    expect(otherBody).toEqual({ kind: 'rejected', reason: expect.stringMatching(/^conflicting duplicate/) as string });
    expect(store.contracts.get('C-1')).toBe(contractBefore);
    expect(store.noticesOfType('ops.event_rejected')).toHaveLength(1);
  });
});

describe('case events of an unregistered contract wait for it', () => {
  it('parks them, then applies them when the contract is registered', async () => {
    // Prepare
    clock.set(at(MINUTE));
    const opened = aCaseEvent('case.opened', { contractId: 'C-2', at: OPENED });
    const responded = aCaseEvent('case.responded', { contractId: 'C-2', at: at(5 * MINUTE) });

    // Act
    const outcomes = [await intake.processEvent(opened), await intake.processEvent(responded)];
    const parkedBefore = store.parked.size;
    const registered = await intake.processEvent(aRegistration({ contractId: 'C-2' }));

    // Assess
    expect(outcomes).toEqual([{ kind: 'parked' }, { kind: 'parked' }]);
    expect(parkedBefore).toBe(2);
    expect(registered).toEqual({ kind: 'applied' });
    expect(store.parked.size).toBe(0);
    expect(store.cases.get('C-2\u0000K-1')?.events.map((e) => e.type)).toEqual(['case.opened', 'case.responded']);
    expect(store.processedEvent(opened.eventId)?.outcome).toBe('applied');
  });

  it('still applies parked events when the registration is redelivered after a crash', async () => {
    clock.set(at(MINUTE));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'C-2', at: OPENED }));
    const registration = aRegistration({ contractId: 'C-2' });
    // The registration committed, the process died before draining the parked events.
    const crashed = makeIntake({ store: Object.assign(Object.create(store) as MemoryStore, { readParkedOf: () => Promise.reject(new Error('crash')) }), catalog: defaultCatalog(), clock });
    await expect(crashed.processEvent(registration)).rejects.toThrow('crash');
    expect(store.parked.size).toBe(1);

    const outcome = await intake.processEvent(registration);

    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(store.parked.size).toBe(0);
    expect(store.cases.has('C-2\u0000K-1')).toBe(true);
  });
});

describe('valid events the rules refuse are recorded as rejected', () => {
  it('rejects a case opened before the contract starts, with a record and an operations notice', async () => {
    const early = aCaseEvent('case.opened', { at: '2025-12-20T10:00:00+01:00' });
    clock.set('2025-12-20T09:01:00Z');

    const outcome = await intake.processEvent(early);

    expect(outcome.kind).toBe('rejected');
    expect(store.rejectedOf('C-1').map((r) => r.reason)).toEqual([expect.stringMatching(/active period/)]);
    expect(store.noticesOfType('ops.event_rejected').map((n) => n.id)).toEqual([
      `ops.event_rejected#default#${eventDigest(early)}#${early.eventId}`,
    ]);
    expect(store.cases.size).toBe(0);
  });

  it('rejects a second registration of a contract under another eventId', async () => {
    const outcome = await intake.processEvent(aRegistration({ eventId: 'crm-again' }));

    expect(outcome).toEqual({ kind: 'rejected', reason: 'contract C-1 is already registered' });
  });
});

describe('a breach books its credit, its ledger entry and its notice in one commit', () => {
  it('credits a first response given after its deadline: intake records it, the next sweep run books it in one commit', async () => {
    // Prepare
    clock.set(at(MINUTE));
    await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }));
    clock.set(at(21 * MINUTE));
    const commitsBefore = store.committed.length;

    // Act
    const outcome = await intake.processEvent(aCaseEvent('case.responded', { at: at(20 * MINUTE) }));
    const afterIntake = store.committed.length;
    clock.set(at(22 * MINUTE));
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();

    // Assess: the breach is a decision of time (an earlier answer may still be on its way while a source
    // delivers late), left to the sweep, which sees every batch of the instant: intake books nothing and
    // leaves the case due at once.
    expect(outcome).toEqual({ kind: 'applied' });
    const intakeCommits = store.committed.slice(commitsBefore, afterIntake);
    expect(intakeCommits).toHaveLength(1);
    expect(kinds(intakeCommits[0] ?? [])).toEqual(['case', 'processedEvent']);
    const booking = store.committed.slice(afterIntake).filter((commit) => commit.some((write) => write.kind === 'ledger'));
    expect(booking).toHaveLength(1);
    expect(kinds(booking[0] ?? [])).toEqual(['case', 'ledger', 'notice', 'year']);
    expect([...store.ledger.values()].map((e) => [e.amountMinor, e.bookedAt])).toEqual([[240_000, openedAt + 22 * MINUTE]]);
    const [issued] = store.noticesOfType('credit.issued');
    expect(issued?.id).toBe('credit.issued#C-1#1#K-1#firstResponse');
    expect(issued?.payload).toMatchObject({ creditMinor: 240_000, deadline: openedAt + 15 * MINUTE, metAt: openedAt + 20 * MINUTE });
    expect(issued?.to).toBe('drift@nordlys.example');
  });

  it('books a reversal and tells the customer when a late event shows a declared breach did not happen', async () => {
    // Prepare: the sweep declares the first-response breach; the response then arrives late.
    clock.set(at(MINUTE));
    await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }));
    clock.set(at(21 * MINUTE));
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();
    clock.set(at(30 * MINUTE));

    // Act: intake records the answer; the sweep's next run withdraws the breach
    await intake.processEvent(aCaseEvent('case.responded', { at: at(10 * MINUTE) }));
    expect([...store.ledger.values()]).toHaveLength(1);
    clock.set(at(31 * MINUTE));
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();

    // Assess
    expect([...store.ledger.values()].map((e) => [e.amountMinor, e.why])).toEqual([
      [240_000, 'breach_declared'],
      [-240_000, 'breach_withdrawn'],
    ]);
    const [adjusted] = store.noticesOfType('credit.adjusted');
    expect(adjusted?.payload).toMatchObject({
      changes: [{ caseId: 'K-1', kpi: 'firstResponse', amountMinor: -240_000 }],
      previousTotalMinor: 240_000,
      newTotalMinor: 0,
    });
    expect(store.noticesOfType('credit.issued')).toHaveLength(1);
  });
});

describe('the credit cap', () => {
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

  it('opens a termination right, told once, when credits reach the cap, and credits nothing past it', async () => {
    // Act: five late technicians at 5 % each; the cap is 20 %.
    for (const [index, caseId] of ['K-1', 'K-2', 'K-3', 'K-4', 'K-5'].entries()) await lateOnSite(caseId, index + 1);

    // Assess
    const capReached = store.noticesOfType('credit.cap_reached');
    expect(capReached).toHaveLength(1);
    const fourthDeadline = Date.parse('2026-03-04T08:00:00Z') + 24 * HOUR;
    expect(capReached[0]?.payload).toMatchObject({ rightSince: fourthDeadline, capMinor: 2_400_000 });
    expect(store.noticesOfType('credit.issued').map((n) => n.id)).not.toContain('credit.issued#C-1#1#K-5#onSite');
    expect([...netCredits(store).values()].reduce((a, b) => a + b, 0)).toBe(2_400_000);
  });

  it('accepts a termination for breach while the right is held, and refuses one without it', async () => {
    clock.set('2026-03-02T12:01:00Z');
    const refused = await intake.processEvent(
      aTerminationRequest({ eventId: 'early', reason: 'credit_cap_breach', occurredAt: '2026-03-02T12:00:00Z' }),
    );
    for (const [index, caseId] of ['K-1', 'K-2', 'K-3', 'K-4'].entries()) await lateOnSite(caseId, index + 1);
    clock.set('2026-03-10T12:01:00Z');

    const accepted = await intake.processEvent(
      aTerminationRequest({ eventId: 'held', reason: 'credit_cap_breach', occurredAt: '2026-03-10T12:00:00Z' }),
    );

    expect(refused.kind).toBe('rejected');
    expect(accepted).toEqual({ kind: 'applied' });
    expect(store.contracts.get('C-1')?.termination?.effectiveAt).toBe(Date.parse('2026-03-10T12:00:00Z'));
  });
});

describe('optimistic locking', () => {
  it('re-reads and re-applies when another writer changed the case in between', async () => {
    // Prepare
    clock.set(at(MINUTE));
    await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }));
    const competitor = aCaseEvent('case.onsite_requested', { at: at(2 * MINUTE) });
    store.beforeCommit = async () => {
      store.beforeCommit = null;
      await intake.processEvent(competitor);
    };

    // Act
    const outcome = await intake.processEvent(aCaseEvent('case.responded', { at: at(3 * MINUTE) }));

    // Assess
    expect(outcome).toEqual({ kind: 'applied' });
    expect(store.cases.get('C-1\u0000K-1')?.events.map((e) => e.type).sort()).toEqual([
      'case.onsite_requested',
      'case.opened',
      'case.responded',
    ]);
  });

  it('gives up after five lost races so SQS redelivers the event', async () => {
    clock.set(at(MINUTE));
    await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }));
    store.beforeCommit = () => {
      const key = 'C-1\u0000K-1';
      const current = store.cases.get(key);
      if (current !== undefined) store.cases.set(key, { ...current, version: current.version + 1 });
      return Promise.resolve();
    };

    await expect(intake.processEvent(aCaseEvent('case.responded', { at: at(3 * MINUTE) }))).rejects.toBeInstanceOf(
      ConcurrencyConflictError,
    );
    expect(store.cases.get('C-1\u0000K-1')?.events).toHaveLength(1);
  });
});

describe('breach warnings', () => {
  it('warns operations once when a clock reaches the warning percentage of its target', async () => {
    clock.set(at(MINUTE));
    await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }));
    clock.set(at(13 * MINUTE));
    const sweep = makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() });

    const first = await sweep.run();
    clock.set(at(14 * MINUTE));
    await intake.processEvent(aCaseEvent('case.onsite_requested', { at: at(14 * MINUTE) }));

    expect(first.warningsRaised).toBe(1);
    expect(store.noticesOfType('ops.breach_warning').map((n) => n.id)).toEqual(['ops.breach_warning#C-1#K-1#firstResponse']);
    expect(store.cases.get('C-1\u0000K-1')?.warned).toEqual(['firstResponse']);
  });
});
