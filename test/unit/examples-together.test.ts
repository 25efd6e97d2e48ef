/**
 * The single contract and case examples in examples/ tell one story: C-DEMO-1 is registered, its case K-2001 is opened, answered,
 * visited, served and resolved in time, the contact and next year's fee are amended, notice is given. Sent in
 * order, every event is applied (case.cancelled is the alternative ending to case.resolved: it changes nothing after it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '#domain/time.ts';
import { makeIntake } from '#usecases/intake.ts';
import { readStatement } from '#usecases/statement.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { anEvent, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';

const dir = new URL('../../examples/', import.meta.url);
const examples = readdirSync(dir)
  .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'))
  .map((name) => anEvent(JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Record<string, unknown>))
  // The pool and loan examples tell the pools' own story (examples/demo-pools.jsonl).
  .flatMap((event) => ('contractId' in event ? [event] : []))
  .sort((a, b) => parseInstant(a.occurredAt) - parseInstant(b.occurredAt));

describe('the single examples', () => {
  it('share one contract and one case, and are all applied in order with no breach', async () => {
    // Prepare
    const store = new MemoryStore();
    const clock = new TestClock(0);
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock });

    // Act
    const outcomes = [];
    for (const event of examples) {
      clock.at = parseInstant(event.occurredAt) + MINUTE;
      outcomes.push([event.type, (await intake.processEvent(event)).kind]);
    }

    // Assess
    expect(new Set(examples.map((event) => event.contractId))).toEqual(new Set(['C-DEMO-1']));
    expect(new Set(examples.flatMap((event) => ('caseId' in event ? [event.caseId] : [])))).toEqual(new Set(['K-2001']));
    expect(outcomes.filter(([, kind]) => kind !== 'applied')).toEqual([]);
    const statement = await readStatement(store, defaultCatalog(), 'C-DEMO-1', Date.parse('2026-12-01T00:00:00Z'));
    expect(statement?.years[0]?.breaches).toEqual({ firstResponse: 0, onSite: 0, replacement: 0, resolution: 0 });
    expect(statement?.terms.endsAt).toBe(Date.parse('2026-12-31T23:00:00Z'));
    expect(store.contracts.get('C-DEMO-1')?.terms.customer.email).toBe('servicedesk@nordlys-logistikk.example');
  });
});
