import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '#domain/model.ts';
import { parseEvent, parseEventObject } from '#events/parse.ts';
import { contractIdOfEvent } from '#events/owners.ts';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
// `*.expected.json` files are replay outputs checked by the e2e tests, not events.
const exampleFiles = readdirSync(examplesDir).filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'));
const demoYearLines = readFileSync(`${examplesDir}demo-year.jsonl`, 'utf8').split('\n').filter((line) => line !== '');

/** A replay line is an event, or `{ deliverAt, event }` for an event that reaches the queue late (docs/design.md#9-running-it). */
function eventOfReplayLine(line: string): unknown {
  const value = JSON.parse(line) as Record<string, unknown>;
  return 'deliverAt' in value ? value.event : value;
}

describe('the published examples', () => {
  it('has one example file per event type', () => {
    expect(exampleFiles.map((name) => name.replace(/\.json$/, '')).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(exampleFiles)('%s is a valid event of the type it is named after', (name) => {
    // Act
    const result = parseEvent(readFileSync(`${examplesDir}${name}`, 'utf8'));

    // Assess
    expect(result).toMatchObject({ ok: true, event: { type: name.replace(/\.json$/, '') } });
  });

  it('demo-pools.jsonl holds valid pool, loan, contract and case events, each identity once', () => {
    // Act
    const lines = readFileSync(`${examplesDir}demo-pools.jsonl`, 'utf8').split('\n').filter((line) => line !== '');
    const results = lines.map((line) => parseEvent(line));

    // Assess
    expect(results.filter((result) => !result.ok)).toEqual([]);
    const events = results.flatMap((result) => (result.ok ? [result.event] : []));
    expect(new Set(events.map((event) => `${event.source ?? 'default'}#${event.eventId}`)).size).toBe(events.length);
    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set([...EVENT_TYPES].filter((type) => !['contract.termination_requested', 'contract.amended', 'case.onsite_requested', 'case.paused', 'case.resumed', 'case.technician_arrived', 'case.cancelled', 'case.visit_reported'].includes(type))),
    );
  });

  it('demo-year.jsonl is a year of valid events for C-DEMO-1', () => {
    // Act
    const results = demoYearLines.map((line) => parseEventObject(eventOfReplayLine(line)));

    // Assess
    expect(results.filter((result) => !result.ok)).toEqual([]);
    const events = results.flatMap((result) => (result.ok ? [result.event] : []));
    expect(new Set(events.map((event) => contractIdOfEvent(event)))).toEqual(new Set(['C-DEMO-1']));
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
    expect(events.filter((event) => event.type === 'case.opened').length).toBeGreaterThanOrEqual(15);
    expect(events.filter((event) => event.type === 'case.paused')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'case.cancelled')).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'contract.registered',
      serviceLevel: 'premium',
      startDate: '2026-01-01',
      annualFee: { amount: '120000.00', currency: 'NOK' },
    });
  });

  it('demo-year.jsonl has a late delivery line whose deliverAt is after the event occurred', () => {
    // Prepare
    const lateLines = demoYearLines
      .map((line) => JSON.parse(line) as { deliverAt?: string; event?: { occurredAt: string } })
      .filter((line) => line.deliverAt !== undefined);

    // Assess
    expect(lateLines).toHaveLength(1);
    const [late] = lateLines;
    expect(Date.parse(late?.deliverAt ?? '')).toBeGreaterThan(Date.parse(late?.event?.occurredAt ?? ''));
  });
});
