/**
 * A replay lets idempotency records go past their TTL when no later line can read them (memory-store.ts,
 * ProcessedRecords): an eventId delivered once is read only by that delivery and its retries, a parked
 * record waits for its release, and a repeated eventId keeps its record to the end. No output may change.
 */
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { deliveriesOf, repeatedEventIdsOf, type Delivery } from '#cli/replay/input.ts';
import { runReplay } from '#cli/replay/run-replay.ts';
import { DAY_MS } from '#store/keys.ts';
import type { ProcessedEventRecord } from '#store/store.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { generateSoak } from '#test/support/generators/soak-events.ts';
import { asDeliveries } from '#test/support/replay-deliveries.ts';

const T0 = Date.parse('2026-03-01T09:00:00Z');

const record = (eventId: string, at: number, outcome: ProcessedEventRecord['outcome'] = 'applied'): ProcessedEventRecord => ({
  source: 'default',
  eventId,
  digest: `digest-${eventId}`,
  contractId: 'C-1',
  outcome,
  reason: null,
  at,
});

describe('idempotency records in a replay that knows its lines', () => {
  it('lets a record of an eventId delivered once go after its 30-day TTL, and keeps parked and repeated ones', () => {
    // Prepare
    const store = new MemoryStore({ repeatedEventIds: new Set(['E-repeated']) });
    store.processed.set(record('E-once', T0));
    store.processed.set(record('E-repeated', T0));
    store.processed.set(record('E-parked', T0, 'parked'));
    store.processed.set(record('E-recent', T0 + 20 * DAY_MS));

    // Act
    store.processed.set(record('E-later', T0 + 31 * DAY_MS));

    // Assess
    expect(store.processedEvent('E-once')).toBeUndefined();
    expect(store.processedEvent('E-repeated')).toEqual(record('E-repeated', T0));
    expect(store.processedEvent('E-parked')).toEqual(record('E-parked', T0, 'parked'));
    expect(store.processedEvent('E-recent')).toEqual(record('E-recent', T0 + 20 * DAY_MS));
    expect(store.processedEvent('E-later')).toEqual(record('E-later', T0 + 31 * DAY_MS));
  });

  it('keeps every record when the lines are not known', () => {
    // Prepare
    const store = new MemoryStore();
    store.processed.set(record('E-once', T0));

    // Act
    store.processed.set(record('E-later', T0 + 400 * DAY_MS));

    // Assess
    expect(store.processedEvent('E-once')).toEqual(record('E-once', T0));
  });

  it('uses an expired slot again for a new record, which reads back whole', () => {
    // Prepare
    const store = new MemoryStore({ repeatedEventIds: new Set() });
    store.processed.set({ ...record('E-pooled', T0), poolId: 'POOL-1' });
    store.processed.set({ ...record('E-rejected', T0), outcome: 'rejected', reason: 'unknown contract' });

    // Act
    store.processed.set(record('E-new', T0 + 31 * DAY_MS));
    store.processed.set(record('E-newer', T0 + 31 * DAY_MS));

    // Assess
    expect([...store.processed.entries()].map(([, kept]) => kept)).toEqual([record('E-new', T0 + 31 * DAY_MS), record('E-newer', T0 + 31 * DAY_MS)]);
  });

  it('counts the eventIds of the lines, late deliveries and all; a line without one counts for none', () => {
    // Prepare
    const lines = [
      '{"eventId":"E-1","type":"case.opened","occurredAt":"2026-03-01T09:00:00Z"}',
      '{"deliverAt":"2026-03-02T09:00:00Z","event":{"eventId":"E-1","type":"case.opened","occurredAt":"2026-03-01T09:00:00Z"}}',
      '{"eventId":"E-2","type":"case.opened","occurredAt":"2026-03-01T10:00:00Z"}',
      'not json',
      '{"eventId":7,"occurredAt":"2026-03-01T11:00:00Z"}',
    ].map((text, index) => ({ lineNumber: index + 1, text, where: `line ${index + 1}` }));

    // Act
    const deliveries = deliveriesOf(lines);

    // Assess
    expect(deliveries.map((delivery) => delivery.eventId)).toEqual(['E-1', 'E-2', null, null, 'E-1']);
    expect(repeatedEventIdsOf(deliveries)).toEqual(new Set(['E-1']));
    expect(repeatedEventIdsOf([...deliveries, { lineNumber: 6, deliverAt: T0, body: '{}' }])).toBeNull();
  });

  it('replays a soak year with redeliveries long after their TTL to the same output as when every record is kept', async () => {
    // Prepare: every 7th valid event sent again 45 days later, every 11th with another body (a conflicting duplicate).
    const scenario = generateSoak({ seed: 18, contracts: 4, events: 300 });
    const late = scenario.events.flatMap((body, index): { deliverAt: number; body: string }[] => {
      const event = JSON.parse(body) as { occurredAt: string };
      const deliverAt = Date.parse(event.occurredAt) + 45 * DAY_MS;
      if (index % 11 === 0) return [{ deliverAt, body: JSON.stringify({ ...JSON.parse(body), occurredAt: new Date(deliverAt).toISOString() }) }];
      return index % 7 === 0 ? [{ deliverAt, body }] : [];
    });
    const sent = [...scenario.deliveries, ...late].sort((a, b) => a.deliverAt - b.deliverAt);
    const unknown: Delivery[] = asDeliveries(sent);
    const known: Delivery[] = unknown.map((delivery) => ({ ...delivery, eventId: eventIdOfBody(delivery.body) }));
    const catalog = loadDefaultCatalog();
    const until = scenario.asOf + 60 * DAY_MS;

    // Act
    const kept = await runReplay({ catalog, deliveries: unknown, until });
    const expiring = await runReplay({ catalog, deliveries: known, until });

    // Assess
    expect(JSON.stringify(expiring.output)).toBe(JSON.stringify(kept.output));
    expect(kept.output.notices.length).toBeGreaterThan(0);
  });
});

function eventIdOfBody(body: string): string | null {
  try {
    const { eventId } = JSON.parse(body) as { eventId?: unknown };
    return typeof eventId === 'string' ? eventId : null;
  } catch {
    return null;
  }
}
