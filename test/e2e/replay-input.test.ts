/**
 * Replay's rules of time (docs/design.md#9-running-it), without the emulators: the order lines are delivered in, the
 * lifecycle's 06:00 Europe/Oslo across daylight saving, and the sweep's view of what is due next.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifecycleRunAtOrAfter, minuteAtOrAfter, nextLifecycleRun } from '#cli/local/schedules.ts';
import { AttentionMirror } from '#cli/replay/attention-mirror.ts';
import { deliveriesOf } from '#cli/replay/input.ts';
import type { InputLine } from '#cli/input/lines.ts';
import type { CaseRecord, ContractRecord, StoreWrite } from '#store/store.ts';
import { emptyYear } from '#usecases/credit-booking.ts';
import { aContract } from '#test/support/factories/contracts.ts';

const SETTLE_MS = 15 * 60_000;
const RETENTION_MS = 30 * 86_400_000;

const lines = (...texts: string[]): InputLine[] => texts.map((text, index) => ({ lineNumber: index + 1, text, where: `line ${index + 1}` }));
const anEvent = (eventId: string, occurredAt: string): string =>
  JSON.stringify({ eventId, type: 'case.responded', occurredAt, contractId: 'C-1', caseId: 'K-1' });
const late = (deliverAt: string, event: string): string => `{"deliverAt": "${deliverAt}", "event": ${event}}`;
const caseWrite = (caseId: string, nextAttentionAt: number | null): StoreWrite => ({
  kind: 'case',
  record: { contractId: 'C-1', caseId, events: [], warned: [], decided: {}, nextAttentionAt, sources: [], version: 0 } satisfies CaseRecord,
});

describe('replay delivers lines in deliverAt order', () => {
  it('defaults deliverAt to occurredAt and honours a late delivery', () => {
    // Prepare
    const input = lines(
      anEvent('E-1', '2026-01-01T10:00:00Z'),
      late('2026-01-01T12:00:00Z', anEvent('E-2', '2026-01-01T09:00:00Z')),
      anEvent('E-3', '2026-01-01T11:00:00Z'),
    );

    // Act
    const order = deliveriesOf(input).map((delivery) => delivery.lineNumber);

    // Assess
    expect(order).toEqual([1, 3, 2]);
  });

  it('sends a late event unwrapped, exactly as its event', () => {
    const event = anEvent('E-1', '2026-01-01T09:00:00Z');
    const [delivery] = deliveriesOf(lines(late('2026-01-01T12:00:00Z', event)));
    expect(JSON.parse(delivery?.body ?? '')).toEqual(JSON.parse(event));
    expect(delivery?.deliverAt).toBe(Date.parse('2026-01-01T12:00:00Z'));
  });

  it('keeps a poison line where it stands in the file, its body untouched', () => {
    // Prepare
    const input = lines(anEvent('E-1', '2026-01-01T10:00:00Z'), '{not json', anEvent('E-2', '2026-01-01T09:00:00Z'));

    // Act
    const deliveries = deliveriesOf(input);

    // Assess: the poison goes with the line before it (10:00), after E-2 (09:00)
    expect(deliveries.map((d) => d.lineNumber)).toEqual([3, 1, 2]);
    expect(deliveries[2]?.body).toBe('{not json');
  });

  it('orders by deliverAt, file order for ties, for any file', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 }), (hours) => {
        // Prepare
        const input = lines(...hours.map((hour, i) => anEvent(`E-${i}`, new Date(Date.UTC(2026, 0, 1, hour)).toISOString())));

        // Act
        const deliveries = deliveriesOf(input);

        // Assess
        for (let i = 1; i < deliveries.length; i += 1) {
          const before = deliveries[i - 1];
          const after = deliveries[i];
          if (before === undefined || after === undefined) continue;
          expect(before.deliverAt <= after.deliverAt).toBe(true);
          if (before.deliverAt === after.deliverAt) expect(before.lineNumber < after.lineNumber).toBe(true);
        }
        expect(deliveries).toHaveLength(hours.length);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('the schedules replay keeps', () => {
  it('runs the lifecycle at 06:00 Oslo time: 05:00Z in winter, 04:00Z in summer', () => {
    expect(new Date(lifecycleRunAtOrAfter(Date.parse('2026-01-15T12:00:00Z'))).toISOString()).toBe('2026-01-16T05:00:00.000Z');
    expect(new Date(lifecycleRunAtOrAfter(Date.parse('2026-07-15T03:00:00Z'))).toISOString()).toBe('2026-07-15T04:00:00.000Z');
    // The night clocks go forward (2026-03-29): one run a day, each at 06:00 local.
    const saturday = lifecycleRunAtOrAfter(Date.parse('2026-03-28T00:00:00Z'));
    expect([saturday, nextLifecycleRun(saturday), nextLifecycleRun(nextLifecycleRun(saturday))].map((at) => new Date(at).toISOString())).toEqual([
      '2026-03-28T05:00:00.000Z',
      '2026-03-29T04:00:00.000Z',
      '2026-03-30T04:00:00.000Z',
    ]);
  });

  it('runs the sweep on minute boundaries', () => {
    expect(minuteAtOrAfter(Date.parse('2026-01-01T10:00:00Z'))).toBe(Date.parse('2026-01-01T10:00:00Z'));
    expect(minuteAtOrAfter(Date.parse('2026-01-01T10:00:00.001Z'))).toBe(Date.parse('2026-01-01T10:01:00Z'));
  });
});

describe('what the sweep has to look at next', () => {
  it('is the earliest attention instant any commit left, and nothing once cases need none', () => {
    // Prepare
    const mirror = new AttentionMirror(SETTLE_MS, RETENTION_MS);

    // Act
    mirror.observe([caseWrite('K-1', 1_000), caseWrite('K-2', 500)]);
    const both = mirror.nextDue();
    mirror.observe([caseWrite('K-2', null)]);
    const one = mirror.nextDue();
    mirror.observe([caseWrite('K-1', null)]);

    // Assess
    expect(both).toBe(500);
    expect(one).toBe(1_000);
    expect(mirror.nextDue()).toBeNull();
  });

  it('does not come back to what a sweep already looked at, unless a later commit makes it due again', () => {
    // Prepare: a case the sweep at 1 000 left due (nothing changed for it)
    const mirror = new AttentionMirror(SETTLE_MS, RETENTION_MS);
    mirror.observe([caseWrite('K-1', 900), caseWrite('K-2', 5_000)]);
    mirror.swept(1_000);

    // Act
    const afterSweep = mirror.nextDue();
    mirror.observe([caseWrite('K-3', 800)]);

    // Assess
    expect(afterSweep).toBe(5_000);
    expect(mirror.nextDue()).toBe(800);
  });
});

describe('when credit notices come due in replay', () => {
  const yearWrite = (changedAt: number | null): StoreWrite => ({
    kind: 'year',
    record: { ...emptyYear('C-1', 1), changedAt },
  });

  it('is when a contract year has settled after its last change, so the sweep then re-drives its credit notices', () => {
    // Prepare
    const mirror = new AttentionMirror(SETTLE_MS, RETENTION_MS);

    // Act
    mirror.observe([yearWrite(1_000)]);
    const first = mirror.nextDue();
    mirror.observe([yearWrite(4_000)]);

    // Assess
    expect(first).toBe(1_000 + SETTLE_MS);
    expect(mirror.nextDue()).toBe(4_000 + SETTLE_MS);
    mirror.swept(4_000 + SETTLE_MS);
    expect(mirror.nextDue()).toBeNull();
  });

  it('is nothing for a year that never changed since changes were recorded', () => {
    const mirror = new AttentionMirror(SETTLE_MS, RETENTION_MS);
    mirror.observe([yearWrite(null)]);
    expect(mirror.nextDue()).toBeNull();
  });
});

describe('when the sweep next meets a parked event', () => {
  const parked = (kind: 'park' | 'unpark'): StoreWrite => ({
    kind,
    record: { contractId: 'C-9', source: 'default', eventId: 'E-9', caseId: 'K-9', occurredAt: Date.parse('2026-01-05T10:00:00Z'), event: {}, receivedAt: Date.parse('2026-01-05T10:00:00Z') },
  });

  it('is a day after it came, then the start of the UTC day it expires on, and never once it is unparked', () => {
    // Prepare
    const mirror = new AttentionMirror(SETTLE_MS, RETENTION_MS);
    mirror.observe([parked('park')]);

    // Act
    const overdue = mirror.nextDue();
    mirror.swept(overdue ?? 0);
    const expiry = mirror.nextDue();
    const again = new AttentionMirror(SETTLE_MS, RETENTION_MS);
    again.observe([parked('park')]);
    again.observe([parked('unpark')]);

    // Assess: 30 days after 5 January 10:00 is 4 February 10:00; the sweep expires it from 5 February 00:00 UTC.
    expect(overdue).toBe(Date.parse('2026-01-06T10:00:00Z'));
    expect(expiry).toBe(Date.parse('2026-02-05T00:00:00Z'));
    expect(again.nextDue()).toBeNull();
  });
});

describe('whether the daily lifecycle run has work', () => {
  const contractWrite = (nextLifecycleDate: string | null): StoreWrite => ({
    kind: 'contract',
    record: {
      terms: aContract(),
      termination: null,
      registeredAt: Date.parse('2025-12-15T09:00:00Z'),
      registeredBy: { source: 'default', eventId: 'reg-1', digest: null },
      lastAdvancedDate: null,
      nextLifecycleDate,
      version: 1,
    } satisfies ContractRecord,
  });

  it('has work from the morning of a contract\'s next lifecycle date, and none after the contract ended', () => {
    // Prepare
    const mirror = new AttentionMirror(SETTLE_MS, RETENTION_MS);
    mirror.observe([contractWrite('2026-03-10')]);

    // Act / Assess
    expect(mirror.lifecycleHasWorkAt(Date.parse('2026-03-09T05:00:00Z'))).toBe(false);
    expect(mirror.lifecycleHasWorkAt(Date.parse('2026-03-10T05:00:00Z'))).toBe(true);
    mirror.observe([contractWrite(null)]);
    expect(mirror.lifecycleHasWorkAt(Date.parse('2026-03-10T05:00:00Z'))).toBe(false);
  });
});
