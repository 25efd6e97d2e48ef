/**
 * Billing is told (docs/design.md#12-contract-changes-and-billing): an outbox item's events go to the bus in
 * batches of at most 10, refused entries (FailedEntryCount) are put again and only they, the item is
 * marked published once all were accepted, and a published item is not put again.
 */
import { describe, expect, it } from 'vitest';
import { creditEvent, type BillingEvent } from '#events/billing.ts';
import type { BillingEventBus, RefusedEntry } from '#events/billing-bus.ts';
import type { BillingSourceRef } from '#store/billing-outbox-repository.ts';
import { BILLING_PUT_TRIES, makeBillingPublisher } from '#usecases/publish-billing.ts';
import { MemoryBillingOutbox } from '#store/memory/memory-billing-outbox.ts';
import { BillingNotPublishedError } from '../../shared/errors.ts';

const REF: BillingSourceRef = { kind: 'credits', contractId: 'C-1', yearIndex: 1, firstSeq: 1 };
const NOW = Date.parse('2026-03-01T10:00:00Z');

function credits(count: number): BillingEvent[] {
  return Array.from({ length: count }, (_, index) =>
    creditEvent({ contractId: 'C-1', yearIndex: 1, seq: index + 1, caseId: `CASE-${index + 1}`, kpi: 'onSite', amountMinor: 100, bookedAt: NOW, why: 'breach_declared' }, 'NOK'),
  );
}

/** A bus that records every put and refuses what `refuse` says, put by put. */
class RecordingBus implements BillingEventBus {
  readonly puts: (readonly BillingEvent[])[] = [];
  constructor(private readonly refuse: (put: number, events: readonly BillingEvent[]) => readonly RefusedEntry[] | Error = () => []) {}

  put(events: readonly BillingEvent[]): Promise<readonly RefusedEntry[]> {
    this.puts.push(events);
    const answer = this.refuse(this.puts.length, events);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }

  get ids(): string[] {
    return this.puts.flat().map((event) => event.detail.id);
  }
}

function publisherWith(bus: BillingEventBus, outbox = new MemoryBillingOutbox()) {
  return { outbox, publisher: makeBillingPublisher({ outbox, bus, clock: { now: () => NOW }, sleep: () => Promise.resolve() }) };
}

describe('the billing publisher', () => {
  it('puts 23 events in batches of 10, 10 and 3, and marks the item published', async () => {
    // Prepare
    const bus = new RecordingBus();
    const { outbox, publisher } = publisherWith(bus);
    outbox.add(REF, credits(23));
    // Act
    const report = await publisher.publish(REF);
    // Assess
    expect(bus.puts.map((put) => put.length)).toEqual([10, 10, 3]);
    expect(bus.ids).toEqual(credits(23).map((event) => event.detail.id));
    expect(report).toEqual({ outcome: 'published', sourceId: 'credits#C-1#1#1', events: 23, puts: 3, recorded: true });
    expect(await outbox.pending(REF)).toBeNull();
  });

  it('puts again only the entries the bus refused, until all are accepted', async () => {
    // Prepare: the first put refuses entries 2 and 7 (FailedEntryCount 2), the second accepts them.
    const bus = new RecordingBus((put) => (put === 1 ? [{ index: 2, code: 'ThrottlingException' }, { index: 7, code: 'InternalFailure' }] : []));
    const { outbox, publisher } = publisherWith(bus);
    outbox.add(REF, credits(10));
    // Act
    await publisher.publish(REF);
    // Assess
    expect(bus.puts[1]?.map((event) => event.detail.id)).toEqual(['credit.booked#C-1#1#3', 'credit.booked#C-1#1#8']);
    expect(await outbox.pending(REF)).toBeNull();
  });

  it('retries a put that threw (throttled call) and then succeeds', async () => {
    const bus = new RecordingBus((put) => (put === 1 ? Object.assign(new Error('slow down'), { name: 'ThrottlingException' }) : []));
    const { outbox, publisher } = publisherWith(bus);
    outbox.add(REF, credits(2));
    await publisher.publish(REF);
    expect(bus.puts).toHaveLength(2);
    expect(await outbox.pending(REF)).toBeNull();
  });

  it('leaves the item pending and throws when an entry is refused through every try, so the stream retries it', async () => {
    // Prepare
    const bus = new RecordingBus((_, events) => events.map((_event, index) => ({ index, code: 'InternalFailure' })).slice(0, 1));
    const { outbox, publisher } = publisherWith(bus);
    outbox.add(REF, credits(3));
    // Act
    const publishing = publisher.publish(REF);
    // Assess
    await expect(publishing).rejects.toBeInstanceOf(BillingNotPublishedError);
    await expect(publisher.publish(REF)).rejects.toThrow(/1 of 3 billing events not accepted after 4 tries \(InternalFailure\)/);
    expect(bus.puts.length).toBe(2 * BILLING_PUT_TRIES);
    expect(await outbox.pending(REF)).not.toBeNull();
  });

  it('puts nothing for an item already published: a stream record seen again is harmless', async () => {
    // Prepare
    const bus = new RecordingBus();
    const { outbox, publisher } = publisherWith(bus);
    outbox.add(REF, credits(1));
    await publisher.publish(REF);
    // Act
    const again = await publisher.publish(REF);
    // Assess
    expect(again).toEqual({ outcome: 'skipped', sourceId: 'credits#C-1#1#1' });
    expect(bus.puts).toHaveLength(1);
  });
});
