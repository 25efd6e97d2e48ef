/**
 * `aftercare send` takes the demo files as they are: a replay line `{ deliverAt, event }` (docs/design.md#9-running-it) sends its
 * event, instead of being refused for a missing `type`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventDocuments } from '#cli/input/lines.ts';
import { validateEventLines } from '#cli/send/validate.ts';

const demoYear = readFileSync(new URL('../../examples/demo-year.jsonl', import.meta.url), 'utf8');

describe('validating a file to send', () => {
  it('accepts every line of examples/demo-year.jsonl, its replay line unwrapped to the event it carries', () => {
    // Act
    const { events, bad } = validateEventLines(eventDocuments(demoYear));

    // Assess
    expect(bad).toEqual([]);
    const unwrapped = events.filter((event) => event.fromReplayLine);
    expect(unwrapped).toHaveLength(1);
    expect(JSON.parse(unwrapped[0]?.body ?? '{}')).not.toHaveProperty('deliverAt');
    expect(JSON.parse(unwrapped[0]?.body ?? '{}')).toHaveProperty('type');
  });

  it('names the event’s field when a replay line carries an invalid event', () => {
    const line = JSON.stringify({ deliverAt: '2026-03-01T10:00:00Z', event: { eventId: 'e', type: 'case.opened', contractId: 'C' } });

    const { bad } = validateEventLines([{ lineNumber: 1, text: line, where: 'line 1' }]);

    expect(bad).toEqual([{ where: 'line 1', reason: expect.stringMatching(/^event\./) as unknown }]);
  });

  it('still refuses an event with a stray deliverAt field', () => {
    const line = JSON.stringify({ eventId: 'e', type: 'case.resumed', occurredAt: '2026-03-01T10:00:00Z', contractId: 'C', caseId: 'K', deliverAt: 'x' });

    const { bad } = validateEventLines([{ lineNumber: 1, text: line, where: 'line 1' }]);

    expect(bad).toHaveLength(1);
  });
});
