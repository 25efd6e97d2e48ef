/**
 * docs/design.md#12-contract-changes-and-billing: `contract.amended` changes the contact at once, the fee and the service level
 * from a contract year that has not begun (a case follows the level in force when it opened), renewal terms
 * for the terms ahead; a change to a year that has begun is refused with the reason.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addDays, HOUR_MS, startOfLocalDate } from '#domain/time.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { makeLifecycle } from '#usecases/lifecycle.ts';
import { readStatement } from '#usecases/statement.ts';
import { addressHash } from '#store/feedback-items.ts';
import { contractAmendedSchema } from '#events/schemas.ts';
import { MemoryDeliveryFeedback } from '#test/support/memory-delivery-feedback.ts';
import { MemoryLifecycleRepository } from '#test/support/memory-lifecycle-repository.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, anEvent, aTerminationRequest, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { makeSweep } from '#usecases/sweep.ts';

const OSLO = 'Europe/Oslo';

let store: MemoryStore;
let clock: TestClock;
let feedback: MemoryDeliveryFeedback;
let intake: Intake;

beforeEach(() => {
  store = new MemoryStore();
  clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  feedback = new MemoryDeliveryFeedback(new MemoryNoticeRepository());
  intake = makeIntake({ store, catalog: defaultCatalog(), clock, suppressions: feedback });
});

function anAmendment(occurredAt: string, fields: Record<string, unknown>, eventId = `crm-C-1-amended-${occurredAt}`) {
  return anEvent({ eventId, type: 'contract.amended', occurredAt, contractId: 'C-1', ...fields });
}

async function amend(occurredAt: string, fields: Record<string, unknown>, eventId?: string) {
  clock.at = Date.parse(occurredAt) + MINUTE;
  return intake.processEvent(anAmendment(occurredAt, fields, eventId));
}

async function runDaily(from: string, through: string): Promise<void> {
  const lifecycle = makeLifecycle({ store, contracts: new MemoryLifecycleRepository(store), catalog: defaultCatalog(), clock });
  for (let date = from; date <= through; date = addDays(date, 1)) {
    clock.at = startOfLocalDate(date, OSLO) + 6 * HOUR_MS;
    await lifecycle.run();
  }
}

/** A case opened at `openedAt` (UTC) whose first response comes `lateBy` after the 15-minute premium target. */
async function aLateResponse(caseId: string, openedAt: string, respondAfterMinutes: number): Promise<void> {
  const opened = Date.parse(openedAt);
  clock.at = opened + MINUTE;
  await intake.processEvent(aCaseEvent('case.opened', { caseId, at: new Date(opened).toISOString() }));
  const responded = opened + respondAfterMinutes * MINUTE;
  clock.at = responded + MINUTE;
  await intake.processEvent(aCaseEvent('case.responded', { caseId, at: new Date(responded).toISOString() }));
  // The breach is the sweep's to declare (its run of the same minute).
  await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();
}

const statement = async (asOf: string) => {
  const found = await readStatement(store, defaultCatalog(), 'C-1', Date.parse(asOf));
  if (found === null) throw new Error('C-1 is not registered');
  return found;
};

describe('a change of the annual fee', () => {
  it('applies from the year it names: the renewal reminder and the year statement use the next year’s own fee', async () => {
    // Prepare: 120 000 NOK, reminders 120 and 30 days before the term end 2027-01-01
    await intake.processEvent(aRegistration());
    await aLateResponse('K-1', '2026-03-02T08:00:00Z', 30); // first response breach: 2 % of 120 000 = 2 400

    // Act: indexed 3 % from year 2
    const outcome = await amend('2026-06-01T10:00:00+02:00', { fromYear: 2, annualFee: { amount: '123600.00', currency: 'NOK' } });
    await runDaily('2026-01-01', '2027-01-01');

    // Assess
    expect(outcome).toEqual({ kind: 'applied' });
    const reminder = store.noticesOfType('renewal.reminder').find((n) => n.id.endsWith('#30'));
    expect(reminder?.payload).toMatchObject({ nextFeeMinor: 12_360_000, creditsDeductedMinor: 240_000, amountDueMinor: 12_120_000 });
    const [yearStatement] = store.noticesOfType('year.statement');
    expect(yearStatement?.payload).toMatchObject({
      year: { index: 1, feeMinor: 12_000_000, creditsMinor: 240_000, nextYearFeeMinor: 12_360_000, amountDueNextYearMinor: 12_120_000 },
    });
    const years = (await statement('2027-02-01T00:00:00Z')).years;
    expect(years.map((y) => [y.index, y.feeMinor, y.amountDueNextYearMinor])).toEqual([
      [1, 12_000_000, 12_120_000],
      [2, 12_360_000, 12_360_000],
    ]);
  });

  it('is refused for a year that has begun, with the reason, and the fee stays', async () => {
    // Prepare
    await intake.processEvent(aRegistration());

    // Act: in March 2026, a new fee for year 1
    const outcome = await amend('2026-03-01T10:00:00+01:00', { fromYear: 1, annualFee: { amount: '150000.00', currency: 'NOK' } });

    // Assess
    expect(outcome).toEqual({
      kind: 'rejected',
      reason:
        'contract year 1 began on 2026-01-01: the fee, service level and renewal terms change only from a year that has not begun ' +
        '(year 2, from 2027-01-01, or later)',
    });
    expect((await statement('2026-03-02T00:00:00Z')).years[0]?.feeMinor).toBe(12_000_000);
    expect(store.noticesOfType('ops.event_rejected')).toHaveLength(1);
  });

  it('in another currency is refused', async () => {
    await intake.processEvent(aRegistration());

    const outcome = await amend('2026-03-01T10:00:00+01:00', { fromYear: 2, annualFee: { amount: '10000.00', currency: 'EUR' } });

    expect(outcome).toEqual({ kind: 'rejected', reason: "the fee's currency EUR is not the contract's currency NOK" });
  });

  it('of two amendments arriving out of order, the later occurrence wins for the years it covers', async () => {
    // Prepare
    await intake.processEvent(aRegistration());

    // Act: the June amendment (from year 2) arrives before the May one (from year 3)
    await amend('2026-06-01T10:00:00+02:00', { fromYear: 2, annualFee: { amount: '130000.00', currency: 'NOK' } }, 'june');
    clock.set('2026-06-02T08:00:00Z');
    await intake.processEvent(anAmendment('2026-05-01T10:00:00+02:00', { fromYear: 3, annualFee: { amount: '140000.00', currency: 'NOK' } }, 'may'));

    // Assess: June says "from year 2 on 130 000", so it overrides May's year 3 as well
    const years = (await statement('2028-06-01T00:00:00Z')).years;
    expect(years.map((y) => y.feeMinor)).toEqual([12_000_000, 13_000_000, 13_000_000]);
  });
});

describe('a change of the service level', () => {
  it('applies to cases opened after it takes effect; a case opened before keeps the level it opened under', async () => {
    // Prepare: premium in year 1, standard from year 2 (first response 1 h on business hours, 2 %)
    await intake.processEvent(aRegistration());
    await amend('2026-06-01T10:00:00+02:00', { fromYear: 2, serviceLevel: 'standard' });

    // Act: a case opened on the last day of year 1 (premium: 15 min) and one opened in year 2 (standard: 1 business hour)
    await aLateResponse('K-OLD', '2026-12-31T07:00:00Z', 40); // premium breach, deadline in year 1
    await aLateResponse('K-NEW', '2027-01-04T08:00:00Z', 40); // Monday 09:00 Oslo: 40 minutes meets standard's hour

    // Assess
    const later = await statement('2027-01-05T00:00:00Z');
    expect(later.years.map((y) => [y.index, y.serviceLevel, y.breaches.firstResponse])).toEqual([
      [1, 'premium', 1],
      [2, 'standard', 0],
    ]);
    expect(later.serviceLevel).toBe('standard');
  });

  it('to a level the catalog does not know is refused', async () => {
    await intake.processEvent(aRegistration());

    const outcome = await amend('2026-06-01T10:00:00+02:00', { fromYear: 2, serviceLevel: 'platinum' });

    expect(outcome).toEqual({ kind: 'rejected', reason: 'service level "platinum" is not in the catalog' });
  });
});

describe('a change of the contact', () => {
  it('reaches the next notice at once and lifts the suppression of the new address', async () => {
    // Prepare: the new address bounced once before (a typo corrected since) and is suppressed
    await intake.processEvent(aRegistration());
    feedback.suppressions.set(addressHash('Innkjop@Nordlys.example'), { reason: 'permanent bounce', noticeId: 'n-1', contractId: 'C-1', since: 0 });

    // Act: mid-year, a new email; then a breach
    const outcome = await amend('2026-05-10T10:00:00+02:00', { customer: { email: 'innkjop@nordlys.example' } });
    await aLateResponse('K-1', '2026-05-11T08:00:00Z', 30);

    // Assess
    expect(outcome).toEqual({ kind: 'applied' });
    expect(await feedback.suppressionOf('innkjop@nordlys.example')).toBeNull();
    expect(store.noticesOfType('credit.issued').map((n) => [n.to, n.locale])).toEqual([['innkjop@nordlys.example', 'nb']]);
  });

  it('is accepted mid-year (contact details are not tied to a year) and keeps the fields it does not name', async () => {
    await intake.processEvent(aRegistration());

    await amend('2026-05-10T10:00:00+02:00', { customer: { locale: 'en' } });

    const contract = store.contracts.get('C-1');
    expect(contract?.terms.customer).toEqual({ name: 'Nordlys Logistikk AS', email: 'drift@nordlys.example', locale: 'en' });
  });

  it('redelivered is a duplicate and changes nothing', async () => {
    await intake.processEvent(aRegistration());
    await amend('2026-05-10T10:00:00+02:00', { customer: { email: 'a@nordlys.example' } }, 'same');

    const again = await amend('2026-05-10T10:00:00+02:00', { customer: { email: 'a@nordlys.example' } }, 'same');

    expect(again).toEqual({ kind: 'duplicate' });
    expect(store.contracts.get('C-1')?.terms.changes).toHaveLength(1);
  });

  it('after the contract ended is refused', async () => {
    await intake.processEvent(aRegistration({ autoRenew: false }));

    const outcome = await amend('2027-02-01T10:00:00+01:00', { customer: { email: 'late@nordlys.example' } });

    expect(outcome).toEqual({ kind: 'rejected', reason: 'contract ended on 2027-01-01: it can no longer be amended' });
  });
});

describe('a change of the renewal terms', () => {
  it('turning auto-renewal off from year 2 ends the contract after the term of year 2, with expiry reminders before it', async () => {
    // Prepare
    await intake.processEvent(aRegistration());

    // Act
    await amend('2026-06-01T10:00:00+02:00', { fromYear: 2, autoRenew: false });

    // Assess
    const later = await statement('2027-06-01T00:00:00Z');
    expect(later.status).toBe('ending');
    expect(later.terms.endsAt).toBe(startOfLocalDate('2028-01-01', OSLO));
  });

  it('a shorter notice period applies to the terms ahead only: the running term keeps its deadline', async () => {
    // Prepare: 90 days notice
    await intake.processEvent(aRegistration());

    // Act: 30 days from year 2
    await amend('2026-06-01T10:00:00+02:00', { fromYear: 2, noticeDays: 30 });

    // Assess: the term ending 2027-01-01 keeps 90 days; the one ending 2028-01-01 has 30, and default reminders follow
    const now = await statement('2026-06-02T00:00:00Z');
    expect(now.terms.noticeDeadline).toBe('2026-10-03');
    const next = await statement('2027-06-02T00:00:00Z');
    expect(next.terms.noticeDeadline).toBe('2027-12-02');
    expect(store.contracts.get('C-1')?.terms.changes?.[0]?.reminderDays).toEqual([60, 30]);
  });

  it('a notice given after a shorter notice period took effect ends the contract at the nearer term end', async () => {
    await intake.processEvent(aRegistration());
    await amend('2026-06-01T10:00:00+02:00', { fromYear: 2, noticeDays: 30 });

    // 15 November 2027: 30 days before the end of the year-2 term
    clock.set('2027-11-15T12:00:00Z');
    const outcome = await intake.processEvent(aTerminationRequest({ occurredAt: '2027-11-15T12:00:00+01:00' }));

    expect(outcome).toEqual({ kind: 'applied' });
    expect(store.contracts.get('C-1')?.termination?.effectiveAt).toBe(startOfLocalDate('2028-01-01', OSLO));
  });

  it('with a year after the contract’s end is refused', async () => {
    await intake.processEvent(aRegistration({ autoRenew: false }));

    const outcome = await amend('2026-06-01T10:00:00+02:00', { fromYear: 3, noticeDays: 30 });

    expect(outcome).toEqual({ kind: 'rejected', reason: 'contract year 3 would begin on 2028-01-01, after the contract ends on 2027-01-01' });
  });
});

describe('pool entitlements', () => {
  it('are stored on the contract at once, replacing the list', async () => {
    await intake.processEvent(aRegistration());

    await amend('2026-05-10T10:00:00+02:00', { pools: ['POOL-OSL', 'POOL-BGO', 'POOL-OSL'] });

    expect(store.contracts.get('C-1')?.terms.pools).toEqual(['POOL-OSL', 'POOL-BGO']);
  });

  it('newly named pools count the contract as entitled (their risk includes it), as at a registration', async () => {
    const pooled = makeIntake({ store, catalog: defaultCatalog(), clock, pools: store });
    await pooled.processEvent(aRegistration({ pools: ['POOL-OSL'] }));

    clock.set('2026-05-10T08:01:00Z');
    await pooled.processEvent(anAmendment('2026-05-10T10:00:00+02:00', { pools: ['POOL-OSL', 'POOL-BGO'] }));

    expect((await store.readPool('POOL-BGO')).entitled.map((e) => e.contractId)).toEqual(['C-1']);
    expect((await store.readPool('POOL-OSL')).entitled.map((e) => e.contractId)).toEqual(['C-1']);
  });
});

describe('the event contract', () => {
  it.each([
    [{ annualFee: { amount: '1.00', currency: 'NOK' } }, 'fromYear', 'is required with annualFee'],
    [{}, '$', 'changes nothing'],
    [{ customer: {} }, 'customer', 'names no field'],
  ])('refuses %j at %s', (fields, path, message) => {
    const result = eventBody(fields);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path.length === 0 ? '$' : issue?.path.join('.')).toBe(path);
    expect(issue?.message).toContain(message);
  });
});

function eventBody(fields: Record<string, unknown>) {
  return contractAmendedSchema.safeParse({ eventId: 'x', type: 'contract.amended', occurredAt: '2026-05-10T10:00:00+02:00', contractId: 'C-1', ...fields });
}
