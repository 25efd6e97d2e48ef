import { describe, expect, it } from 'vitest';
import type { AftercareEventV1 } from '#events/v1.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { MemorySourceLags } from '#test/support/memory-source-lags.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import {
  aCaseEvent,
  aRegistration,
  defaultCatalog,
  HOUR,
  MINUTE,
  seededRandom,
  shuffled,
  TestClock,
} from '#test/support/factories/events.ts';

const DAY = 24 * HOUR;
/** Tuesday 2026-02-10 00:00 UTC: the first day of the delivered cases. */
const DAY_ONE = Date.parse('2026-02-10T00:00:00Z');
const BATCH_SIZE = 10;
const iso = (instant: number): string => new Date(instant).toISOString();

interface Delivery {
  readonly event: AftercareEventV1;
  readonly arrivesAt: number;
}

/** What customers and the books end up with; timestamps left out (they differ with delivery). */
interface Outcome {
  readonly breaches: string[];
  readonly ledger: string[];
  readonly customerNotices: string[];
  readonly lateWrites: number;
}

/**
 * Three premium contracts, `casesPerDay` cases each per day over `days` days from DAY_ONE: opened,
 * responded after 2–30 min (target 15), technician or pause, resolved after 12–56 h (target 48).
 */
function cases(seed: number, days: number, casesPerDay: number): AftercareEventV1[] {
  const random = seededRandom(seed);
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low));
  const events: AftercareEventV1[] = [];
  for (const contractId of ['W-1', 'W-2', 'W-3']) {
    for (let k = 0; k < days * casesPerDay; k += 1) {
      const spec = (at: number) => ({ contractId, caseId: `${contractId}-K${String(k)}`, at: iso(at) });
      const opened = DAY_ONE + Math.floor(k / casesPerDay) * DAY + between(0, 24 * 60) * MINUTE;
      const onSite = random() < 0.4;
      events.push(aCaseEvent('case.opened', { ...spec(opened), fields: { onSiteRequired: onSite } }));
      events.push(aCaseEvent('case.responded', spec(opened + between(2, 30) * MINUTE)));
      events.push(
        onSite
          ? aCaseEvent('case.technician_arrived', spec(opened + between(4, 30) * HOUR))
          : aCaseEvent('case.paused', { ...spec(opened + between(1, 10) * HOUR), fields: { reason: 'awaiting_customer' } }),
      );
      events.push(aCaseEvent('case.resolved', spec(opened + between(12, 56) * HOUR)));
    }
  }
  return events;
}

const onTime = (events: readonly AftercareEventV1[]): Delivery[] =>
  events.map((event) => ({ event, arrivesAt: Date.parse(event.occurredAt) + 20_000 }));

/**
 * Runs intake (batches of ten, lateness recorded per batch, as the handler does) and the sweep every
 * minute from the first arrival until every clock is decided.
 */
async function deliver(deliveries: readonly Delivery[], options: { holdLateSources?: boolean } = {}): Promise<Outcome> {
  const catalog = defaultCatalog();
  const store = new MemoryStore();
  const sourceLags = new MemorySourceLags();
  const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  const lags = options.holdLateSources === false ? {} : { sourceLags };
  const intake = makeIntake({ store, catalog, clock, ...lags });
  const sweep = makeSweep({ store, catalog, clock, notices: new MemoryNoticeRepository(), ...lags });
  for (const contractId of ['W-1', 'W-2', 'W-3']) await intake.processEvent(aRegistration({ contractId, eventId: `reg-${contractId}` }));

  const queue = [...deliveries].sort((a, b) => a.arrivesAt - b.arrivesAt);
  const first = Math.floor((queue[0]?.arrivesAt ?? DAY_ONE) / MINUTE) * MINUTE;
  const last = (queue.at(-1)?.arrivesAt ?? DAY_ONE) + 3 * DAY;
  let next = 0;
  for (let minute = first; minute <= last; minute += MINUTE) {
    while (next < queue.length && (queue[next]?.arrivesAt ?? Infinity) < minute + MINUTE) {
      const batch = queue.slice(next, next + BATCH_SIZE).filter((delivery) => delivery.arrivesAt < minute + MINUTE);
      next += batch.length;
      clock.at = Math.max(clock.at, ...batch.map((delivery) => delivery.arrivesAt));
      const batchLags = await intake.recordArrivals(batch.map((delivery) => delivery.event));
      for (const { event } of batch) await intake.processEvent(event, batchLags);
    }
    clock.at = Math.max(clock.at, minute + MINUTE - 1);
    await sweep.run();
  }
  return {
    breaches: [...store.years.values()].flatMap((year) => year.breaches.map((b) => `${b.caseId} ${b.kpi} ${iso(b.deadline)}`)).sort(),
    ledger: [...store.ledger.values()].map((e) => `${e.contractId} ${String(e.yearIndex)} ${e.caseId} ${e.kpi} ${String(e.amountMinor)} ${e.why}`).sort(),
    customerNotices: [...store.notices.values()].filter((n) => n.audience === 'customer').map((n) => n.id).sort(),
    lateWrites: sourceLags.writes,
  };
}

describe('intake and sweep hold running clocks while a source catches up after an outage', () => {
  it('the 06:00/06:05 case delivered 2.5 h late books nothing', async () => {
    // Prepare: opened 06:00, answered 06:05 (inside the 15 minutes); both reach us 2.5 h late, minutes apart.
    const opened = aCaseEvent('case.opened', { contractId: 'W-1', caseId: 'K-0600', at: '2026-02-10T06:00:00Z' });
    const responded = aCaseEvent('case.responded', { contractId: 'W-1', caseId: 'K-0600', at: '2026-02-10T06:05:00Z' });
    const resolved = aCaseEvent('case.resolved', { contractId: 'W-1', caseId: 'K-0600', at: '2026-02-10T09:00:00Z' });

    // Act
    const outcome = await deliver([
      { event: opened, arrivesAt: Date.parse('2026-02-10T08:30:00Z') },
      { event: responded, arrivesAt: Date.parse('2026-02-10T08:34:00Z') },
      { event: resolved, arrivesAt: Date.parse('2026-02-10T09:00:20Z') },
    ]);

    // Assess
    expect(outcome).toMatchObject({ breaches: [], ledger: [], customerNotices: [] });
  });

  it('without per-source lateness the same late case earns a credit and its reversal (the rule bites)', async () => {
    const opened = aCaseEvent('case.opened', { contractId: 'W-1', caseId: 'K-0600', at: '2026-02-10T06:00:00Z' });
    const responded = aCaseEvent('case.responded', { contractId: 'W-1', caseId: 'K-0600', at: '2026-02-10T06:05:00Z' });
    const resolved = aCaseEvent('case.resolved', { contractId: 'W-1', caseId: 'K-0600', at: '2026-02-10T09:00:00Z' });

    const outcome = await deliver(
      [
        { event: opened, arrivesAt: Date.parse('2026-02-10T08:30:00Z') },
        { event: responded, arrivesAt: Date.parse('2026-02-10T08:34:00Z') },
        { event: resolved, arrivesAt: Date.parse('2026-02-10T09:00:20Z') },
      ],
      { holdLateSources: false },
    );

    expect(outcome.ledger).toEqual(['W-1 1 K-0600 firstResponse -240000 breach_withdrawn', 'W-1 1 K-0600 firstResponse 240000 breach_declared']);
  });

  it('a day delivered next morning in a burst (shuffled) books exactly the breaches of on-time delivery', async () => {
    // Prepare: what happened on day one reaches us at 08:00 the next morning, in any order; later events on time.
    const events = cases(12, 1, 8);
    const outageEnds = DAY_ONE + DAY + 8 * HOUR;
    const held = shuffled(
      events.filter((event) => Date.parse(event.occurredAt) < outageEnds),
      seededRandom(7),
    );
    const burst: Delivery[] = [
      ...held.map((event, index) => ({ event, arrivesAt: outageEnds + Math.floor(index / BATCH_SIZE) * 200 })),
      ...onTime(events.filter((event) => Date.parse(event.occurredAt) >= outageEnds)),
    ];

    // Act
    const expected = await deliver(onTime(events));
    const actual = await deliver(burst);

    // Assess
    expect(expected.breaches.length).toBeGreaterThan(3);
    expect(actual.breaches).toEqual(expected.breaches);
    expect(actual.ledger).toEqual(expected.ledger);
    expect(actual.customerNotices).toEqual(expected.customerNotices);
    expect(expected.lateWrites).toBe(0);
  });

  it('a week drained over two hours with the sweep every minute books exactly the breaches of on-time delivery, ledger equal', async () => {
    // Prepare: a week's events queue up during an outage, then drain oldest first over two hours, while
    // events occurring during the drain arrive on time, interleaved with the backlog.
    const events = cases(21, 7, 2);
    const drainStarts = DAY_ONE + 7 * DAY + 8 * HOUR;
    const backlog = events
      .filter((event) => Date.parse(event.occurredAt) < drainStarts)
      .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    const drained: Delivery[] = [
      ...backlog.map((event, index) => ({ event, arrivesAt: drainStarts + Math.floor((index / backlog.length) * 2 * HOUR) })),
      ...onTime(events.filter((event) => Date.parse(event.occurredAt) >= drainStarts)),
    ];

    // Act
    const expected = await deliver(onTime(events));
    const actual = await deliver(drained);

    // Assess
    expect(expected.breaches.length).toBeGreaterThan(5);
    expect(actual.breaches).toEqual(expected.breaches);
    expect(actual.ledger).toEqual(expected.ledger);
    expect(actual.customerNotices).toEqual(expected.customerNotices);
    // One write per source per minute of late arrivals at most, against hundreds of events.
    expect(actual.lateWrites).toBeLessThanOrEqual(2 * 60 + 1);
  }, 60_000);

  it('a source that goes silent for an hour still has its breaches declared on time', async () => {
    // Prepare: the source drains a 3 h backlog until 09:00, then stops; a case it opened on time at 08:55
    // is never answered.
    const backlog = Array.from({ length: 30 }, (_, index) => ({
      event: aCaseEvent('case.opened', { contractId: 'W-2', caseId: `OLD-${String(index)}`, at: iso(DAY_ONE + 5 * HOUR + index * MINUTE) }),
      arrivesAt: DAY_ONE + 8 * HOUR + 30 * MINUTE + index * MINUTE,
    }));
    const unanswered = aCaseEvent('case.opened', { contractId: 'W-1', caseId: 'K-0855', at: iso(DAY_ONE + 8 * HOUR + 55 * MINUTE) });
    const lastLateArrival = DAY_ONE + 8 * HOUR + 59 * MINUTE;

    // Act
    const outcome = await deliverAndWatch([...backlog, { event: unanswered, arrivesAt: Date.parse(unanswered.occurredAt) + 20_000 }], {
      caseId: 'K-0855',
      until: DAY_ONE + 10 * HOUR,
    });

    // Assess: held while the backlog arrived, declared once the source has been quiet for sourceIdleMinutes.
    expect(outcome.declaredAt).not.toBeNull();
    expect(outcome.declaredAt ?? Infinity).toBeGreaterThan(DAY_ONE + 9 * HOUR + 15 * MINUTE);
    expect(outcome.declaredAt ?? Infinity).toBeLessThanOrEqual(lastLateArrival + 30 * MINUTE + 5 * MINUTE);
  });

  it('a source that goes silent for an hour with nothing late holds nothing: the breach comes at deadline + grace', async () => {
    const unanswered = aCaseEvent('case.opened', { contractId: 'W-1', caseId: 'K-0855', at: iso(DAY_ONE + 8 * HOUR + 55 * MINUTE) });

    const outcome = await deliverAndWatch([{ event: unanswered, arrivesAt: Date.parse(unanswered.occurredAt) + 20_000 }], {
      caseId: 'K-0855',
      until: DAY_ONE + 10 * HOUR,
    });

    expect(outcome.declaredAt).toBe(DAY_ONE + 9 * HOUR + 16 * MINUTE - 1);
  });
});

/** Like `deliver`, until `until`, reporting when the first breach of `caseId` was booked. */
async function deliverAndWatch(deliveries: readonly Delivery[], watch: { caseId: string; until: number }): Promise<{ declaredAt: number | null }> {
  const catalog = defaultCatalog();
  const store = new MemoryStore();
  const sourceLags = new MemorySourceLags();
  const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
  const intake = makeIntake({ store, catalog, clock, sourceLags });
  const sweep = makeSweep({ store, catalog, clock, notices: new MemoryNoticeRepository(), sourceLags });
  for (const contractId of ['W-1', 'W-2']) await intake.processEvent(aRegistration({ contractId, eventId: `reg-${contractId}` }));
  const queue = [...deliveries].sort((a, b) => a.arrivesAt - b.arrivesAt);
  for (let minute = Math.floor((queue[0]?.arrivesAt ?? 0) / MINUTE) * MINUTE; minute <= watch.until; minute += MINUTE) {
    for (const delivery of queue.filter((d) => d.arrivesAt >= minute && d.arrivesAt < minute + MINUTE)) {
      clock.at = delivery.arrivesAt;
      await intake.processEvent(delivery.event);
    }
    clock.at = minute + MINUTE - 1;
    await sweep.run();
  }
  const booked = [...store.ledger.values()].filter((entry) => entry.caseId === watch.caseId).map((entry) => entry.bookedAt);
  return { declaredAt: booked.length === 0 ? null : Math.min(...booked) };
}
