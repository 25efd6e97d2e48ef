/**
 * docs/design.md#order-and-duplicates "What the customer is told is what happened": batches that reach
 * intake at the same instant are applied one after the other in no set order (concurrent invocations).
 * Whatever that order, the books and the notices must come out the same: what is decided is a function
 * of the events and when they were delivered, never of which batch happened to run first.
 */
import { describe, expect, it } from 'vitest';
import type { AftercareEventV1 } from '#events/schemas.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemorySourceLags } from '#test/support/memory-source-lags.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';

/** Premium: firstResponse 15 minutes (a late one credits 240 000 minor), warned at 80 % (12 minutes); grace 5 minutes. */
const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const at = (offsetMs: number): string => new Date(openedAt + offsetMs).toISOString();

/** What a run leaves behind: the ledger and every notice created (sent or not), in a stable order. */
interface Books {
  readonly ledger: string[];
  readonly notices: string[];
}

/**
 * The case opened at 09:00 (on time), then two batches of one instant `arrival` applied as the intake
 * handler applies a batch (lateness recorded first, then each event), in the given order; then the
 * sweep of the minute after (or of each of `sweepsAt`, offsets from 09:00).
 */
async function play(
  batches: readonly (readonly AftercareEventV1[])[],
  arrival: number,
  sweepsAt: readonly number[] = [arrival + MINUTE],
  sweepsBefore: readonly number[] = [],
): Promise<{ afterIntake: Books; afterSweep: Books }> {
  const catalog = defaultCatalog();
  const store = new MemoryStore();
  const sourceLags = new MemorySourceLags();
  const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  const intake = makeIntake({ store, catalog, clock, sourceLags });
  await intake.processEvent(aRegistration());
  clock.at = openedAt + 20_000;
  await intake.processEvent(aCaseEvent('case.opened', { at: OPENED }));
  const sweep = makeSweep({ store, catalog, clock, notices: new MemoryNoticeRepository(), sourceLags });
  for (const offset of sweepsBefore) {
    clock.at = openedAt + offset;
    await sweep.run();
  }
  clock.at = openedAt + arrival;
  for (const batch of batches) {
    const lags = await intake.recordArrivals(batch);
    for (const event of batch) await intake.processEvent(event, lags);
  }
  const books = (): Books => ({
    ledger: [...store.ledger.values()].map((entry) => `${String(entry.seq)} ${entry.caseId} ${entry.kpi} ${String(entry.amountMinor)} ${entry.why}`),
    notices: [...store.notices.values()].map((notice) => notice.id).sort(),
  });
  const afterIntake = books();
  for (const offset of sweepsAt) {
    clock.at = openedAt + offset;
    await sweep.run();
  }
  return { afterIntake, afterSweep: books() };
}

/** Both orders of two batches of one instant. */
async function bothOrders(
  first: readonly AftercareEventV1[],
  second: readonly AftercareEventV1[],
  arrival: number,
  sweepsAt?: readonly number[],
  sweepsBefore?: readonly number[],
) {
  return {
    forward: await play([first, second], arrival, sweepsAt, sweepsBefore),
    reverse: await play([second, first], arrival, sweepsAt, sweepsBefore),
  };
}

describe('batches of one instant give the same books in any order', () => {
  it('a warning is raised on every event of the instant: a pause in the other batch means none', async () => {
    // Prepare: at 13 minutes (past the 12-minute warning point) one batch brings an on-site request, the
    // other the force-majeure pause of 11 minutes that stopped the first-response clock short of it.
    const onsite = aCaseEvent('case.onsite_requested', { at: at(13 * MINUTE) });
    const paused = aCaseEvent('case.paused', { at: at(11 * MINUTE), fields: { reason: 'force_majeure' } });

    // Act
    const { forward, reverse } = await bothOrders([onsite], [paused], 13 * MINUTE);

    // Assess: no warning, whichever batch ran first (the paused clock never reached 80 %).
    expect(forward).toEqual(reverse);
    expect(forward.afterSweep.notices.filter((id) => id.startsWith('ops.breach_warning'))).toEqual([]);
  });

  it('a warning still comes when nothing in the instant stops the clock short of it', async () => {
    const onsite = aCaseEvent('case.onsite_requested', { at: at(13 * MINUTE) });
    const note = aCaseEvent('case.onsite_requested', { caseId: 'K-2', at: at(13 * MINUTE) });

    const { forward, reverse } = await bothOrders([onsite], [note], 13 * MINUTE);

    expect(forward).toEqual(reverse);
    expect(forward.afterSweep.notices.filter((id) => id.startsWith('ops.breach_warning'))).toEqual(['ops.breach_warning#C-1#K-1#firstResponse']);
  });

  it('a running clock past its deadline is not declared on one batch while the other brings its answer in time', async () => {
    // Prepare: at 21 minutes (deadline 15 + grace 5 passed) one batch brings an on-site request, the other
    // the response of 14 minutes, 7 minutes late (its source now runs late).
    const onsite = aCaseEvent('case.onsite_requested', { at: at(21 * MINUTE) });
    const responded = aCaseEvent('case.responded', { at: at(14 * MINUTE) });

    // Act
    const { forward, reverse } = await bothOrders([onsite], [responded], 21 * MINUTE);

    // Assess: the response was in time: nothing booked, nothing told, in either order.
    expect(forward).toEqual(reverse);
    expect(forward.afterSweep).toEqual({ ledger: [], notices: [] });
  });

  it('a resolution after the deadline is not taken for a late answer while the answer in time is in the other batch', async () => {
    // Prepare: at 21 minutes one batch brings the resolution of 20 minutes (which stops an unanswered
    // first-response clock late), the other the response of 14 minutes, 7 minutes late.
    const resolved = aCaseEvent('case.resolved', { at: at(20 * MINUTE) });
    const responded = aCaseEvent('case.responded', { at: at(14 * MINUTE) });

    // Act
    const { forward, reverse } = await bothOrders([resolved], [responded], 21 * MINUTE);

    // Assess
    expect(forward).toEqual(reverse);
    expect(forward.afterSweep).toEqual({ ledger: [], notices: [] });
  });

  it('a late answer is credited by the sweep of the minute after, whatever the other batch holds', async () => {
    const responded = aCaseEvent('case.responded', { at: at(20 * MINUTE) });
    const other = aCaseEvent('case.opened', { caseId: 'K-2', at: at(21 * MINUTE) });

    const { forward, reverse } = await bothOrders([responded], [other], 21 * MINUTE);

    expect(forward).toEqual(reverse);
    expect(forward.afterIntake.ledger).toEqual([]);
    expect(forward.afterSweep.ledger).toEqual(['1 K-1 firstResponse 240000 breach_declared']);
    expect(forward.afterSweep.notices).toContain('credit.issued#C-1#1#K-1#firstResponse');
  });

  it('a late answer is not credited on one batch while the other shows its source delivers later still', async () => {
    // Prepare: at 21 minutes one batch brings the response of 20 minutes (5 minutes late, its deadline
    // 15), the other an event of the same source 10 minutes late: an earlier response, as late, would
    // only arrive by 25 minutes. Seen in the soak (seed 20261128): applied first, the response was
    // credited at once; applied second, held until its source caught up — the same credit, booked and
    // told at other instants.
    const responded = aCaseEvent('case.responded', { at: at(20 * MINUTE) });
    const late = aCaseEvent('case.opened', { caseId: 'K-2', at: at(11 * MINUTE) });

    // Act: a sweep while the source's lateness holds the answer, then one after it.
    const held = await bothOrders([responded], [late], 21 * MINUTE, [22 * MINUTE]);
    const decided = await bothOrders([responded], [late], 21 * MINUTE, [22 * MINUTE, 26 * MINUTE]);

    // Assess: nothing booked while held, in either order; credited once the hold lapsed.
    expect(held.forward).toEqual(held.reverse);
    expect(held.forward.afterSweep).toEqual({ ledger: [], notices: [] });
    expect(decided.forward).toEqual(decided.reverse);
    expect(decided.forward.afterSweep.ledger).toEqual(['1 K-1 firstResponse 240000 breach_declared']);
  });

  it('a declared breach is not withdrawn on a cancellation while the late answer that keeps it is in the other batch', async () => {
    // Prepare: the sweep of 21 minutes declared the unanswered first response; at 40 minutes one batch
    // brings the cancellation of 35 minutes, the other the response of 30 minutes (late, before it). Seen
    // in the soak (seed 20261128, SOAK20261128-051 K34): the cancellation applied first withdrew the
    // credit, the customer was told nothing of it and then an adjustment; applied second, nothing changed.
    const cancelled = aCaseEvent('case.cancelled', { at: at(35 * MINUTE) });
    const responded = aCaseEvent('case.responded', { at: at(30 * MINUTE) });

    // Act
    const { forward, reverse } = await bothOrders([cancelled], [responded], 40 * MINUTE, [41 * MINUTE], [21 * MINUTE]);

    // Assess: still the one credit, told once, in either order.
    expect(forward).toEqual(reverse);
    expect(forward.afterSweep.ledger).toEqual(['1 K-1 firstResponse 240000 breach_declared']);
    expect(forward.afterSweep.notices.filter((id) => id.startsWith('credit.'))).toEqual(['credit.issued#C-1#1#K-1#firstResponse']);
  });

  it('a running clock past its deadline is still declared, by the sweep, when no answer came', async () => {
    const onsite = aCaseEvent('case.onsite_requested', { at: at(21 * MINUTE) });
    const other = aCaseEvent('case.opened', { caseId: 'K-2', at: at(21 * MINUTE) });

    const { forward, reverse } = await bothOrders([onsite], [other], 21 * MINUTE);

    expect(forward).toEqual(reverse);
    expect(forward.afterSweep.ledger).toEqual(['1 K-1 firstResponse 240000 breach_declared']);
    expect(forward.afterSweep.notices).toContain('credit.issued#C-1#1#K-1#firstResponse');
  });
});
