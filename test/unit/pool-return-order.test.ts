/**
 * A `loan.returned` (contracts queue) taken before the draw it ends (cases queue) is received again,
 * not refused (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools); a second return of
 * a unit already back is still refused with its reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '#events/parse.ts';
import type { AftercareEventV1 } from '#events/schemas.ts';
import { makeIntake } from '#usecases/intake.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { defaultCatalog, TestClock } from '#test/support/factories/events.ts';
import { LoanNotArrivedError } from '../../shared/errors.ts';

const demo = readFileSync(new URL('../../examples/demo-pools.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line): AftercareEventV1 => {
    const parsed = parseEvent(line);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.event;
  });
const byId = (eventId: string): AftercareEventV1 => {
  const event = demo.find((e) => e.eventId === eventId);
  if (event === undefined) throw new Error(eventId);
  return event;
};

describe('a loan return taken before its draw', () => {
  it('is retried until the draw has come, then ends the loan; a second return is refused', async () => {
    // Prepare: the pools and contracts, case K-2001 opened; its return comes before its request and delivery
    const store = new MemoryStore();
    const clock = new TestClock(Date.parse('2026-03-20T12:00:00Z'));
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock, pools: store });
    for (const event of demo.slice(0, 5)) await intake.processEvent(event);
    await intake.processEvent(byId('hd-K-2001-opened'));
    const early = byId('crm-LX-0007-back-1');

    // Act
    const first = intake.processEvent(early);
    await expect(first).rejects.toThrow(LoanNotArrivedError);
    await intake.processEvent(byId('hd-K-2001-replacement_requested'));
    await intake.processEvent(byId('hd-K-2001-replacement_delivered'));
    await intake.processEvent(early);
    await intake.processEvent({ ...early, eventId: 'crm-LX-0007-back-1-again' });

    // Assess
    const loans = [...store.pools.loans.values()].filter((loan) => loan.unitId === 'LX-0007');
    expect(loans.map((loan) => [loan.caseId, loan.endedBy])).toEqual([['K-2001', 'returned']]);
    expect([...store.pools.rejected.values()].map((r) => r.reason)).toEqual(['unit LX-0007 of pool POOL-OSLO-1 is not out on loan']);
  });

  it('a delivery taken after the return of the unit it delivered draws nothing more', async () => {
    // Prepare: request (reserves SC2-01), the return, and only then the delivery that names SC2-01
    const store = new MemoryStore();
    const clock = new TestClock(Date.parse('2026-05-20T12:00:00Z'));
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock, pools: store });
    for (const event of demo.slice(0, 5)) await intake.processEvent(event);
    for (const eventId of ['hd-K-2002-opened', 'hd-K-2002-responded', 'hd-K-2002-replacement_requested', 'crm-SC2-01-back-1']) {
      await intake.processEvent(byId(eventId));
    }

    // Act
    await intake.processEvent(byId('hd-K-2002-replacement_delivered'));

    // Assess
    const loans = [...store.pools.loans.values()].filter((loan) => loan.unitId === 'SC2-01');
    expect(loans.map((loan) => [loan.caseId, loan.endedBy])).toEqual([['K-2002', 'returned']]);
    expect([...store.pools.units.values()].find((unit) => unit.unitId === 'SC2-01')?.status).toBe('available');
  });
});
