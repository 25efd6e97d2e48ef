/**
 * Applying `case.visit_reported` (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract) over the memory store: priced at
 * intake in the contract's currency, applied once per visit id, refused with the reason on an ended
 * contract, for another visit's figures under the same id, or when an amount cannot be converted.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AftercareEventV1 } from '#events/schemas.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { readStatement } from '#usecases/statement.ts';
import { readPortfolioEconomics } from '#usecases/economics.ts';
import { MemoryContractDirectory } from '#test/support/memory-contract-directory.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, defaultCatalog, TestClock } from '#test/support/factories/events.ts';

let store: MemoryStore;
let clock: TestClock;
let intake: Intake;

/** A visit on case K-1 of C-1 at `at`, with the default catalog's example rates (NOK). */
function aVisitReport(at: string, fields: Record<string, unknown> = {}, eventId?: string): AftercareEventV1 {
  return aCaseEvent('case.visit_reported', {
    at,
    ...(eventId === undefined ? {} : { eventId }),
    fields: { visitId: 'V-1', hoursOnSite: 2, travelHours: 1.5, kilometres: 120, ...fields },
  });
}

function applyAt(event: AftercareEventV1): ReturnType<Intake['processEvent']> {
  clock.set(event.occurredAt);
  return intake.processEvent(event);
}

beforeEach(() => {
  store = new MemoryStore();
  clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  intake = makeIntake({ store, catalog: defaultCatalog(), clock });
});

describe('a reported visit', () => {
  it('is priced when applied, at the catalog’s rates, and kept in its case', async () => {
    // Prepare
    await intake.processEvent(aRegistration());
    await applyAt(aCaseEvent('case.opened', { at: '2026-03-02T08:00:00+01:00' }));

    // Act
    const outcome = await applyAt(aVisitReport('2026-03-02T12:00:00+01:00'));

    // Assess: 2 h × 950 + 1.5 h × 750 + 120 km × 3.50 + 1 started day × 1 012 = 1 900 + 1 125 + 420 + 1 012 = 4 457 kr.
    // (Evaluated at 12:00, the case's unanswered first response is declared breached on the way.)
    expect(outcome).toMatchObject({ kind: 'applied' });
    const [stored] = [...store.cases.values()];
    expect(stored?.events.find((e) => e.type === 'case.visit_reported')).toMatchObject({ visit: { visitId: 'V-1', costMinor: 445_700 } });
  });

  it('is applied once per visit id: the same visit under another event id is a duplicate', async () => {
    await intake.processEvent(aRegistration());
    await applyAt(aVisitReport('2026-03-02T12:00:00+01:00', {}, 'ft-1'));

    const again = await applyAt(aVisitReport('2026-03-02T12:00:00+01:00', {}, 'ft-1-resent'));

    expect(again).toEqual({ kind: 'duplicate' });
    const statement = await readStatement(store, defaultCatalog(), 'C-1', Date.parse('2026-06-01T00:00:00Z'));
    expect(statement?.years[0]?.economics.visits.count).toBe(1);
  });

  it('is refused with the reason when a report of the same visit id gives other figures', async () => {
    await intake.processEvent(aRegistration());
    await applyAt(aVisitReport('2026-03-02T12:00:00+01:00', {}, 'ft-1'));

    const other = await applyAt(aVisitReport('2026-03-02T12:00:00+01:00', { hoursOnSite: 5 }, 'ft-2'));

    expect(other).toEqual({ kind: 'rejected', reason: 'visit V-1 was already reported (event ft-1) with other figures: a visit is applied once' });
    expect(store.rejectedOf('C-1').map((r) => r.eventId)).toEqual(['ft-2']);
  });

  it('on an ended contract is rejected, recorded with its reason', async () => {
    // Prepare: one year, no renewal: the contract ends at midnight 2027-01-01 in Oslo.
    await intake.processEvent(aRegistration({ autoRenew: false }));

    // Act
    const outcome = await applyAt(aVisitReport('2027-01-05T10:00:00+01:00'));

    // Assess
    const reason = 'visit V-1 took place after the contract ended (2026-12-31T23:00:00Z)';
    expect(outcome).toEqual({ kind: 'rejected', reason });
    expect(store.rejectedOf('C-1')).toMatchObject([{ type: 'case.visit_reported', reason }]);
  });

  it('before the contract started is rejected too', async () => {
    await intake.processEvent(aRegistration());
    const outcome = await applyAt(aVisitReport('2025-12-20T10:00:00+01:00'));
    expect(outcome).toEqual({ kind: 'rejected', reason: 'visit V-1 took place before the contract started (2026-01-01)' });
  });

  it('is rejected when its contract’s currency has no exchange rate in the catalog, saying so', async () => {
    await intake.processEvent(aRegistration({ annualFee: { amount: '12000.00', currency: 'USD' } }));
    const outcome = await applyAt(aVisitReport('2026-03-02T12:00:00+01:00'));
    expect(outcome).toEqual({
      kind: 'rejected',
      reason: 'visit V-1 cannot be priced: costs are in NOK and the catalog states no exchange rate for USD (costs.exchangeRates)',
    });
  });

  it('in EUR on a EUR contract is converted by the catalog’s rate', async () => {
    await intake.processEvent(aRegistration({ annualFee: { amount: '10000.00', currency: 'EUR' } }));
    // 4 457 kr + a 20.00 EUR toll (233 kr) = 4 690 kr = 402.575… EUR → 402.58 EUR.
    await applyAt(aVisitReport('2026-03-02T12:00:00+01:00', { otherCosts: [{ description: 'toll', amount: 20, currency: 'EUR' }] }));
    const statement = await readStatement(store, defaultCatalog(), 'C-1', Date.parse('2026-06-01T00:00:00Z'));
    expect(statement?.years[0]?.economics.visits.costMinor).toBe(40_258);
  });

  it('changes no clock: the case’s breaches are the same with and without it', async () => {
    await intake.processEvent(aRegistration());
    await applyAt(aCaseEvent('case.opened', { at: '2026-03-02T08:00:00+01:00', fields: { onSiteRequired: true } }));
    await applyAt(aVisitReport('2026-03-02T12:00:00+01:00'));
    await applyAt(aCaseEvent('case.technician_arrived', { at: '2026-03-02T12:00:00+01:00' }));
    await applyAt(aCaseEvent('case.responded', { at: '2026-03-02T08:05:00+01:00' }));
    await applyAt(aCaseEvent('case.resolved', { at: '2026-03-02T16:00:00+01:00' }));
    const statement = await readStatement(store, defaultCatalog(), 'C-1', Date.parse('2026-06-01T00:00:00Z'));
    expect(statement?.years[0]?.breaches).toEqual({ firstResponse: 0, onSite: 0, replacement: 0, resolution: 0 });
    expect(statement?.years[0]?.clocks.onSite).toEqual({ decided: 1, breached: 0 });
  });
});

describe('visits that waited for their contract', () => {
  it('are priced when the contract registers: each visit once, one after the end rejected', async () => {
    // Prepare: the field tool reports before the CRM registers the contract (one year, no renewal).
    clock.set('2027-02-01T12:00:00+01:00');
    const outcomes = [
      await intake.processEvent(aVisitReport('2026-03-02T12:00:00+01:00', {}, 'ft-1')),
      await intake.processEvent(aVisitReport('2026-03-02T12:00:00+01:00', {}, 'ft-1-again')),
      await intake.processEvent(aVisitReport('2027-01-20T12:00:00+01:00', { visitId: 'V-late' }, 'ft-late')),
    ];

    // Act
    const registered = await intake.processEvent(aRegistration({ autoRenew: false }));

    // Assess: V-1 once (4 457 kr), V-late refused with its reason.
    expect(outcomes.map((o) => o.kind)).toEqual(['parked', 'parked', 'parked']);
    expect(registered).toEqual({ kind: 'applied' });
    expect(store.parked.size).toBe(0);
    const statement = await readStatement(store, defaultCatalog(), 'C-1', Date.parse('2027-02-01T12:00:00Z'));
    expect(statement?.years[0]?.economics.visits).toMatchObject({ count: 1, costMinor: 445_700 });
    expect(statement?.rejected).toEqual([
      { eventId: 'ft-late', type: 'case.visit_reported', reason: 'visit V-late took place after the contract ended (2026-12-31T23:00:00Z)' },
    ]);
  });
});

describe('the portfolio’s economics over the memory store', () => {
  it('reads every registered contract and sums them per level', async () => {
    await intake.processEvent(aRegistration());
    await intake.processEvent(aRegistration({ contractId: 'C-2', serviceLevel: 'basic' }));
    await applyAt(aVisitReport('2026-03-02T12:00:00+01:00'));

    const { statements, levels } = await readPortfolioEconomics({
      directory: new MemoryContractDirectory(store),
      store,
      pools: store,
      catalog: defaultCatalog(),
      asOf: Date.parse('2026-06-01T00:00:00Z'),
    });

    expect(statements.map((s) => s.contractId)).toEqual(['C-1', 'C-2']);
    // Premium: 120 000 kr less the visit's 4 457 kr; basic: its fee.
    expect(levels.map((l) => [l.level, l.contracts, l.costsMinor, l.marginMinor])).toEqual([
      ['basic', 1, 0, 12_000_000],
      ['premium', 1, 445_700, 12_000_000 - 445_700],
    ]);
  });
});
