/**
 * docs/design.md#order-and-duplicates "What the customer is told is what happened": credit notices wait until their contract year
 * has settled, and are checked again when they are sent.
 */
import { terminationWindowEnd } from '#domain/credits.ts';
import { mockClient } from 'aws-sdk-client-mock';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { beforeEach, describe, expect, it } from 'vitest';
import { breachKey } from '#domain/credits.ts';
import type { Kpi } from '#domain/model.ts';
import { toIso } from '#domain/time.ts';
import type { NoticePayload } from '#notices/types.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import type { CreditYearState } from '#store/credit-state.ts';
import type { NoticeState, StoredNotice } from '#store/notice-repository.ts';
import type { NoticeRecord } from '#store/store.ts';
import { creditNoticeVerdict, type CreditPayload } from '#usecases/credit-notice-check.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeNoticeUpkeep } from '#usecases/notice-upkeep.ts';
import { MAX_NOTICE_LEASES, REDRIVE_AFTER_MS } from '#usecases/notice-timing.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryCreditState } from '#test/support/memory-credit-state.ts';
import { MemoryDeliveryFeedback } from '#test/support/memory-delivery-feedback.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aContract, aServiceLevel } from '#test/support/factories/contracts.ts';
import { aContractRecord, aCreditYear } from '#test/support/factories/credit-years.ts';
import { aCaseEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { aContractContext, aNotice } from '#test/support/factories/notices.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const at = (offsetMs: number): string => new Date(openedAt + offsetMs).toISOString();
const SETTLE = defaultCatalog().noticeSettleMinutes * MINUTE;
/** Premium in the default catalog: a late first response credits 2 % of 120 000,00 kr. */
const FIRST_RESPONSE_CREDIT = 240_000;

let store: MemoryStore;
let notices: MemoryNoticeRepository;
let clock: TestClock;
let ses: ReturnType<typeof mockClient>;

/** The outbox as the table's stream sees it: every notice a commit created, with its delivery bookkeeping. */
function syncOutbox(): void {
  for (const writes of store.committed) {
    for (const write of writes) {
      if (write.kind === 'notice' && notices.get({ contractId: write.notice.contractId, id: write.notice.id }) === undefined) {
        notices.add(write.notice);
      }
    }
  }
}

function delivery() {
  return makeNoticeDelivery({
    notices,
    sender: sesNoticeSender({ client: new SESv2Client({ region: 'eu-north-1' }), from: 'varsler@aftercare.example', configurationSetName: 'cs' }),
    clock,
    credits: new MemoryCreditState(store, notices),
    suppressions: new MemoryDeliveryFeedback(notices),
    catalog: defaultCatalog(),
    operatorEmail: 'drift@aftercare.example',
    sleep: () => Promise.resolve(),
  });
}

/** Every pending notice handed to the notifier at the clock's instant, as the stream or the sweep's re-drive would. */
async function deliverPending(): Promise<string[]> {
  syncOutbox();
  const outcomes: string[] = [];
  for (const notice of notices.all().filter((n) => n.state === 'pending')) {
    outcomes.push((await delivery().deliver({ contractId: notice.contractId, id: notice.id })).outcome.kind);
  }
  return outcomes;
}

const customerNotices = () => notices.all().filter((n) => n.audience === 'customer');
const sentSubjects = () => ses.commandCalls(SendEmailCommand).map((call) => (call.args[0].input as { Content?: { Simple?: { Subject?: { Data?: string } } } }).Content?.Simple?.Subject?.Data);

async function intakeOf(event: Parameters<ReturnType<typeof makeIntake>['processEvent']>[0]): Promise<void> {
  await makeIntake({ store, catalog: defaultCatalog(), clock }).processEvent(event);
}

/**
 * A first response of case `caseId` opened at `openedAt + offset`, answered 20 minutes later: a breach,
 * declared by the sweep's run at the clock's instant (intake leaves breaches to the sweep).
 */
async function aLateResponse(caseId: string, offset: number): Promise<void> {
  await intakeOf(aCaseEvent('case.opened', { caseId, at: at(offset) }));
  await intakeOf(aCaseEvent('case.responded', { caseId, at: at(offset + 20 * MINUTE) }));
  await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();
}

beforeEach(async () => {
  store = new MemoryStore();
  notices = new MemoryNoticeRepository();
  clock = new TestClock(openedAt - 60 * MINUTE);
  ses = mockClient(SESv2Client);
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  await intakeOf(aRegistration());
});

describe('credit notices wait until their contract year has settled', () => {
  it('are created not leasable before noticeSettleMinutes after the change, and the year records when it changed', async () => {
    // Prepare
    clock.set(at(21 * MINUTE));

    // Act
    await aLateResponse('K-1', 0);
    syncOutbox();

    // Assess
    const [year] = await store.readYears('C-1', [1]);
    expect(year?.changedAt).toBe(clock.now());
    expect(customerNotices().map((n) => [n.type, n.notBefore, n.redriveAt])).toEqual([['credit.issued', clock.now() + SETTLE, clock.now() + SETTLE]]);
    expect(await deliverPending()).toEqual(['skipped']);
    expect(customerNotices()[0]).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('a credit booked and reversed inside the settle time sends nothing: both notices end superseded', async () => {
    // Prepare: the sweep declares the running first response breached; a late event shows it was met.
    clock.set(at(MINUTE));
    await intakeOf(aCaseEvent('case.opened', { at: OPENED }));
    clock.set(at(21 * MINUTE));
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();
    clock.set(at(25 * MINUTE));
    await intakeOf(aCaseEvent('case.responded', { at: at(10 * MINUTE) }));
    // The sweep's run of the same minute withdraws it (intake leaves the withdrawal to the sweep).
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices }).run();

    // Act
    clock.set(at(36 * MINUTE));
    const whileSettling = await deliverPending();
    clock.set(at(25 * MINUTE) + SETTLE);
    const settled = await deliverPending();

    // Assess
    expect([...store.ledger.values()].map((e) => e.amountMinor)).toEqual([FIRST_RESPONSE_CREDIT, -FIRST_RESPONSE_CREDIT]);
    expect(whileSettling.sort()).toEqual(['deferred', 'skipped']);
    expect(settled).toEqual(['superseded', 'superseded']);
    expect(customerNotices().map((n) => [n.type, n.state]).sort()).toEqual([
      ['credit.adjusted', 'superseded'],
      ['credit.issued', 'superseded'],
    ]);
    expect(customerNotices().find((n) => n.type === 'credit.issued')?.outcomeReason).toBe('year 1 no longer books a credit for K-1 firstResponse');
    expect(notices.all().filter((n) => n.type.startsWith('ops.'))).toEqual([]);
    expect(sentSubjects()).toEqual([]);
  });

  it("a credit still booked after settling is sent with the year's figures as they are then", async () => {
    // Prepare: a second breach of the same year lands while the first credit settles.
    clock.set(at(21 * MINUTE));
    await aLateResponse('K-1', 0);
    clock.set(at(30 * MINUTE));
    await aLateResponse('K-2', 5 * MINUTE);

    // Act
    clock.set(at(30 * MINUTE) + SETTLE);
    const outcomes = await deliverPending();

    // Assess
    expect(outcomes).toEqual(['sent', 'sent']);
    const issued = customerNotices().filter((n) => n.type === 'credit.issued');
    expect(issued.map((n) => n.payload)).toEqual([
      expect.objectContaining({ caseId: 'K-1', creditMinor: FIRST_RESPONSE_CREDIT, yearTotalMinor: 2 * FIRST_RESPONSE_CREDIT }),
      expect.objectContaining({ caseId: 'K-2', creditMinor: FIRST_RESPONSE_CREDIT, yearTotalMinor: 2 * FIRST_RESPONSE_CREDIT }),
    ]);
    // The outbox keeps what was sent, not what the pipeline first guessed (the first said 2 400,00 in total).
    expect(store.noticesOfType('credit.issued')[0]?.payload).toMatchObject({ yearTotalMinor: FIRST_RESPONSE_CREDIT });
    expect(sentSubjects()).toHaveLength(2);
  });

  it('a deferral for settling uses no attempt, however often the year keeps changing', async () => {
    // Prepare
    clock.set(at(21 * MINUTE));
    await aLateResponse('K-1', 0);
    syncOutbox();
    const [issued] = customerNotices();
    const ref = { contractId: 'C-1', id: issued?.id ?? '' };

    // Act: the year changes again each time just before the notice comes due.
    const outcomes: string[] = [];
    for (let round = 1; round <= MAX_NOTICE_LEASES + 2; round += 1) {
      const dueAt = notices.get(ref)?.notBefore ?? 0;
      const [year] = await store.readYears('C-1', [1]);
      if (year !== undefined) await store.commit([{ kind: 'year', record: { ...year, changedAt: dueAt - MINUTE } }]);
      clock.at = dueAt;
      outcomes.push((await delivery().deliver(ref)).outcome.kind);
    }

    // Assess
    expect(outcomes).toEqual(Array<string>(MAX_NOTICE_LEASES + 2).fill('deferred'));
    expect(notices.get(ref)).toMatchObject({ state: 'pending', attempts: 0, outcomeReason: 'waiting for contract year 1 to settle' });
    clock.at = notices.get(ref)?.notBefore ?? 0;
    expect((await delivery().deliver(ref)).outcome.kind).toBe('sent');
    expect(notices.get(ref)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('the upkeep re-drives a notice once it has settled, not before', async () => {
    // Prepare
    clock.set(at(21 * MINUTE));
    await aLateResponse('K-1', 0);
    syncOutbox();
    const settlesAt = clock.now() + SETTLE;
    const upkeep = makeNoticeUpkeep({ notices });

    // Act
    const before = await upkeep.run(settlesAt - 1);
    const touchedBefore = [...notices.touched];
    const atSettle = await upkeep.run(settlesAt);

    // Assess
    expect(before.noticesRedriven).toBe(0);
    expect(touchedBefore).toEqual([]);
    expect(atSettle.noticesRedriven).toBe(1);
    expect(customerNotices()[0]?.redriveAt).toBe(settlesAt + REDRIVE_AFTER_MS);
    clock.at = settlesAt;
    expect(await deliverPending()).toEqual(['sent']);
  });
});

// The send-time rule on its own: a year and the year's notices as the check reads them.

const level = aServiceLevel();
const DEADLINE = Date.parse('2026-03-02T10:00:00Z');
const NOW = Date.parse('2026-04-01T10:00:00Z');
const context = aContractContext({ contractId: 'C-1' });

function stored(id: string, state: NoticeState, payload: NoticePayload): StoredNotice {
  const record: NoticeRecord = { id, contractId: 'C-1', type: payload.type, audience: 'customer', to: 'a@b.example', locale: 'nb', payload, createdAt: DEADLINE };
  return { ...record, state, attempts: 0, leaseUntil: null, notBefore: null, redriveAt: null, messageId: null, outcomeReason: null };
}

function issued(caseId: string, kpi: Kpi, creditMinor: number, state: NoticeState): StoredNotice {
  const payload = { ...aNotice('credit.issued', context), caseId, kpi, creditMinor } as NoticePayload;
  return stored(`credit.issued#C-1#1#${caseId}#${kpi}`, state, payload);
}

function adjusted(changes: { caseId: string; kpi: Kpi; amountMinor: number }[]): StoredNotice & { payload: CreditPayload } {
  const payload: CreditPayload = { type: 'credit.adjusted', contract: context, yearIndex: 1, changes, previousTotalMinor: 0, newTotalMinor: 0, capMinor: 2_400_000 };
  return { ...stored('credit.adjusted#C-1#1#9', 'sending', payload), payload };
}

/** A settled year booking `booked` (breach key → minor units) on first responses with deadlines a day apart. */
function yearState(booked: Record<string, number>, others: StoredNotice[]): CreditYearState {
  const breaches = Object.entries(booked).map(([key, bookedMinor], index) => {
    const [caseId = '', kpi = 'firstResponse'] = key.split('#') as [string, Kpi];
    return { caseId, kpi, deadline: DEADLINE + index * 86_400_000, creditPercent: 2, stoppedAt: null, bookedMinor };
  });
  return { contract: aContractRecord(aContract()), year: aCreditYear({ breaches, changedAt: DEADLINE }), notices: others };
}

const verdictOf = (notice: StoredNotice & { payload: CreditPayload }, state: CreditYearState, now = NOW) =>
  creditNoticeVerdict({ notice, state, level, now, settleMs: SETTLE });

const A = breachKey('K-A', 'firstResponse');
const B = breachKey('K-B', 'firstResponse');
const C = breachKey('K-C', 'firstResponse');

describe('a credit.adjusted is sent only for amounts the customer was told', () => {
  it('tells the reversal of a credit the customer was told, and leaves a credit whose own notice is still to come to that notice', () => {
    // Prepare: A and B were told; A is withdrawn and C booked while C's credit.issued waits.
    const notice = adjusted([{ caseId: 'K-A', kpi: 'firstResponse', amountMinor: -240_000 }]);
    const state = yearState({ [B]: 240_000, [C]: 240_000 }, [
      issued('K-A', 'firstResponse', 240_000, 'sent'),
      issued('K-B', 'firstResponse', 240_000, 'sent'),
      issued('K-C', 'firstResponse', 240_000, 'pending'),
      notice,
    ]);

    // Act
    const verdict = verdictOf(notice, state);

    // Assess
    expect(verdict).toEqual({
      kind: 'send',
      payload: { ...notice.payload, changes: [{ caseId: 'K-A', kpi: 'firstResponse', amountMinor: -240_000 }], previousTotalMinor: 480_000, newTotalMinor: 480_000 },
    });
  });

  it('is superseded when the amounts booked now are the amounts the customer was told', () => {
    // Prepare: A was told, withdrawn and declared again inside the settle time.
    const notice = adjusted([{ caseId: 'K-A', kpi: 'firstResponse', amountMinor: -240_000 }]);
    const state = yearState({ [A]: 240_000 }, [issued('K-A', 'firstResponse', 240_000, 'sent'), notice]);

    // Act
    const verdict = verdictOf(notice, state);

    // Assess
    expect(verdict).toEqual({ kind: 'superseded', reason: 'year 1: nothing differs from what the customer was told' });
  });

  it('counts what earlier adjustments told, and tells a credit whose first notice was superseded when it is booked again', () => {
    // Prepare: A told 240 000, then reduced by 100 000 in a sent adjustment; B's credit.issued was superseded.
    const earlier = { ...adjusted([{ caseId: 'K-A', kpi: 'firstResponse', amountMinor: -100_000 }]), id: 'credit.adjusted#C-1#1#3', state: 'sent' as const };
    const notice = adjusted([]);
    const state = yearState({ [A]: 240_000, [B]: 240_000 }, [
      issued('K-A', 'firstResponse', 240_000, 'sent'),
      earlier,
      issued('K-B', 'firstResponse', 240_000, 'superseded'),
      notice,
    ]);

    // Act
    const verdict = verdictOf(notice, state);

    // Assess
    expect(verdict).toMatchObject({
      kind: 'send',
      payload: {
        changes: [
          { caseId: 'K-A', kpi: 'firstResponse', amountMinor: 100_000 },
          { caseId: 'K-B', kpi: 'firstResponse', amountMinor: 240_000 },
        ],
        previousTotalMinor: 140_000,
        newTotalMinor: 480_000,
      },
    });
  });
});

describe('a credit.cap_reached is sent only while the right it announces still holds', () => {
  // Four late on-site visits at 5 % of 120 000,00 kr reach the 20 % cap with the fourth.
  const onSites = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      caseId: `K-${index + 1}`,
      kpi: 'onSite' as const,
      deadline: DEADLINE + index * 86_400_000,
      creditPercent: 5,
      stoppedAt: null,
      bookedMinor: 600_000,
    }));
  const rightSince = DEADLINE + 3 * 86_400_000;
  // The window is 90 calendar days, ending at midnight in the contract's zone (docs/design.md#5-cases-clocks-breaches-credits).
  const rightUntil = terminationWindowEnd(rightSince, 90, aContract().timeZone);
  const capReached = (): StoredNotice & { payload: CreditPayload } => {
    const payload: CreditPayload = { type: 'credit.cap_reached', contract: context, yearIndex: 1, capMinor: 2_400_000, rightSince, rightUntil };
    return { ...stored('credit.cap_reached#C-1#1#since', 'sending', payload), payload };
  };
  const stateWith = (count: number): CreditYearState => ({
    contract: aContractRecord(aContract()),
    year: aCreditYear({ breaches: onSites(count), changedAt: DEADLINE }),
    notices: [],
  });

  it('is sent while the right holds', () => {
    expect(verdictOf(capReached(), stateWith(4))).toEqual({ kind: 'send', payload: capReached().payload });
  });

  it('is superseded when a reversal took the year back under the cap and withdrew the right', () => {
    expect(verdictOf(capReached(), stateWith(3))).toEqual({
      kind: 'superseded',
      reason: `the termination right since ${toIso(rightSince)} was withdrawn`,
    });
  });

  it('is superseded when the right has expired before it could be sent', () => {
    const until = rightUntil;
    expect(verdictOf(capReached(), stateWith(4), until)).toMatchObject({ kind: 'superseded', reason: expect.stringMatching(/expired/) as unknown });
    expect(verdictOf(capReached(), stateWith(4), until - 1)).toMatchObject({ kind: 'send' });
  });

  it('waits while the year has changed less than the settle time ago', () => {
    const state = { ...stateWith(4), year: aCreditYear({ breaches: onSites(4), changedAt: NOW - SETTLE + 1 }) };
    expect(verdictOf(capReached(), state)).toEqual({ kind: 'unsettled', settlesAt: NOW + 1 });
  });
});

describe('a breach warning is checked again when it is sent', () => {
  // Premium first response: 15 minutes, warned at 80 % (12 minutes). The sweep at 13 minutes raises it.
  async function aWarningRaisedAt13Minutes(): Promise<void> {
    clock.at = openedAt + MINUTE;
    await intakeOf(aCaseEvent('case.opened', { caseId: 'K-W', at: at(0) }));
    clock.at = openedAt + 13 * MINUTE;
    await makeSweep({ store, catalog: defaultCatalog(), clock }).run();
  }

  it('is sent while its clock is still running', async () => {
    // Prepare
    await aWarningRaisedAt13Minutes();

    // Act
    const outcomes = await deliverPending();

    // Assess
    expect(outcomes).toEqual(['sent']);
    expect(notices.all().map((n) => [n.type, n.state])).toEqual([['ops.breach_warning', 'sent']]);
  });

  it('is superseded when its clock was decided before it could be sent: the answer came in meanwhile', async () => {
    // Prepare: the answer arrives at the same instant, before the notifier picks the warning up
    await aWarningRaisedAt13Minutes();
    syncOutbox();
    await intakeOf(aCaseEvent('case.responded', { caseId: 'K-W', at: at(13 * MINUTE) }));

    // Act
    const outcomes = await deliverPending();

    // Assess
    expect(outcomes).toEqual(['superseded']);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});
