import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES, KPIS, PRIORITIES } from '#domain/model.ts';
import { sizeBound, sizeOf } from '#store/overflow.ts';
import type { CaseRecord, LedgerRecord, NoticeRecord, ProcessedEventRecord, StoredCaseEvent, StoreWrite, YearBreach, YearRecord } from '#store/store.ts';
import { assertCommitWithinLimits, carryBreachesBound, carryNoticedBound, writeBound } from '#store/transaction-bounds.ts';
import { assertWithinTransactionLimits, planWrites } from '#store/transaction.ts';

// Any text, escapes, control characters and lone surrogates included: the bounds must hold for every string.
const text = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.stringMatching(/^[A-Z]-[0-9]{1,6}$/),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u001f', '"', '\\', '\ud800', 'é', '𝄞'), maxLength: 12 }),
);
const source = fc.oneof(fc.constant('default'), fc.stringMatching(/^[a-z0-9._-]{1,64}$/));
const instant = fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 });
const number = fc.oneof(fc.integer(), fc.double({ noNaN: false }), fc.constantFrom(-1.234567890123456e-300, -0.000001234567890123));

const anEvent: fc.Arbitrary<StoredCaseEvent> = fc
  .record({
    eventId: text,
    source: fc.option(source, { nil: undefined }),
    caseId: text,
    occurredAt: instant,
    digest: fc.option(text, { nil: undefined }),
    type: fc.constantFrom(...CASE_EVENT_TYPES),
    priority: fc.option(fc.constantFrom(...PRIORITIES), { nil: undefined }),
    flag: fc.option(fc.boolean(), { nil: undefined }),
    reason: fc.constantFrom('awaiting_customer' as const, 'force_majeure' as const),
    costMinor: fc.integer(),
  })
  .map(({ type, priority, flag, reason, costMinor, source: from, digest, ...base }): StoredCaseEvent => {
    const common = { ...base, ...(from === undefined ? {} : { source: from }), ...(digest === undefined ? {} : { digest }) };
    if (type === 'case.opened') {
      return { ...common, type, ...(priority === undefined ? {} : { priority }), ...(flag === undefined ? {} : { onSiteRequired: flag, replacementRequired: !flag }) };
    }
    if (type === 'case.paused') return { ...common, type, reason };
    if (type === 'case.visit_reported') return { ...common, type, visit: { costMinor } as never };
    return { ...common, type };
  });

const aCase: fc.Arbitrary<CaseRecord> = fc.record({
  contractId: text,
  caseId: text,
  events: fc.array(anEvent, { maxLength: 12 }),
  warned: fc.subarray([...KPIS]),
  decided: fc.dictionary(
    fc.constantFrom(...KPIS),
    fc.record({ deadline: number, breached: fc.boolean(), stoppedAt: fc.option(number, { nil: null }), creditPercent: number }),
  ),
  nextAttentionAt: fc.option(instant, { nil: null }),
  sources: fc.array(source, { maxLength: 3 }),
  version: fc.nat(),
});

const aBreach: fc.Arbitrary<YearBreach> = fc.record({
  caseId: text,
  kpi: fc.constantFrom(...KPIS),
  deadline: number,
  creditPercent: number,
  stoppedAt: fc.option(number, { nil: null }),
});

const aYear: fc.Arbitrary<YearRecord> = fc.record({
  contractId: text,
  yearIndex: fc.integer({ min: 0, max: 100_000 }),
  breaches: fc.array(aBreach, { maxLength: 12 }),
  booked: fc.dictionary(text, number, { maxKeys: 12 }),
  ledgerSeq: fc.nat(),
  creditNoticesIssued: fc.array(text, { maxLength: 12 }),
  rightsNotified: fc.array(number, { maxLength: 3 }),
  changedAt: fc.option(number, { nil: null }),
  version: fc.nat(),
});

const aLedgerEntry: fc.Arbitrary<LedgerRecord> = fc.record({
  contractId: text,
  yearIndex: fc.integer({ min: 0, max: 3 }),
  seq: fc.nat(),
  caseId: text,
  kpi: fc.constantFrom(...KPIS),
  amountMinor: number,
  bookedAt: number,
  why: fc.constantFrom('breach_declared' as const, 'breach_withdrawn' as const, 'recomputed' as const),
});

const aProcessed: fc.Arbitrary<ProcessedEventRecord> = fc.record({
  source,
  eventId: text,
  digest: fc.option(text, { nil: null }),
  contractId: fc.option(text, { nil: null }),
  outcome: fc.constantFrom('applied' as const, 'parked' as const, 'rejected' as const),
  reason: fc.option(text, { nil: null }),
  at: instant,
});

const aNotice: fc.Arbitrary<NoticeRecord> = fc.record(
  {
    id: text,
    contractId: fc.option(text, { nil: null }),
    type: fc.constantFrom('credit.issued' as const, 'credit.adjusted' as const, 'ops.event_rejected' as const),
    audience: fc.constantFrom('customer' as const, 'operations' as const),
    to: fc.option(text, { nil: null }),
    locale: fc.constantFrom('nb' as const, 'en' as const, null),
    payload: fc.dictionary(text, fc.oneof(text, number, fc.array(text))) as fc.Arbitrary<never>,
    createdAt: instant,
    sendFrom: instant,
  },
  { requiredKeys: ['id', 'contractId', 'type', 'audience', 'to', 'locale', 'payload', 'createdAt'] },
);

const aWrite: fc.Arbitrary<StoreWrite> = fc.oneof(
  aCase.map((record): StoreWrite => ({ kind: 'case', record })),
  aYear.map((record): StoreWrite => ({ kind: 'year', record })),
  aLedgerEntry.map((entry): StoreWrite => ({ kind: 'ledger', entry })),
  aProcessed.map((record): StoreWrite => ({ kind: 'processedEvent', record, replaces: 'nothing' })),
  aNotice.map((notice): StoreWrite => ({ kind: 'notice', notice })),
  text.map((contractId): StoreWrite => ({ kind: 'contractAbsent', contractId })),
  fc.record({ contractId: text, caseId: text }).map((ref): StoreWrite => ({ kind: 'unattend', entry: { kind: 'case', ...ref } })),
);

const itemOf = (planned: ReturnType<typeof planWrites>[number]): unknown =>
  planned.item.Put?.Item ?? planned.item.Delete?.Key ?? planned.item.Update?.Key ?? planned.item.ConditionCheck?.Key;

describe('transaction bounds', () => {
  it('bound every item a write plans: never fewer bytes than sizeOf measures, and one item where they bound it', () => {
    fc.assert(
      fc.property(aWrite, (write) => {
        const bound = writeBound(write);
        if (bound === null) return;
        const planned = planWrites('memory', [write]);
        expect(planned).toHaveLength(1);
        expect(sizeOf(itemOf(planned[0] as never))).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 3_000 },
    );
  });

  it('bound sizeOf from above without JSON.stringify, or leave it to JSON.stringify (what it cannot measure among it)', () => {
    const anyValue = fc.anything({
      maxDepth: 4,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withObjectString: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    });
    const measure = (value: unknown): number | null => {
      try {
        return sizeOf(value);
      } catch {
        return null;
      }
    };
    fc.assert(
      fc.property(fc.oneof(anyValue, aNotice, aProcessed, text, number), (value) => {
        const bound = sizeBound(value);
        if (bound === null) return;
        expect(measure(value)).not.toBeNull();
        expect(measure(value)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 3_000 },
    );
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { cycle };
    expect(sizeBound(cycle)).toBeNull();
    expect(sizeBound({ at: new Date(0) })).toBeNull();
    expect(sizeBound([new Number(1e21)])).toBeNull();
    expect(sizeBound({ n: 1n })).toBeNull();
    expect(sizeBound(undefined)).toBeNull();
  });

  it('settle a commit as the exact planning does: the same error, or none', () => {
    const outcome = (check: () => void): string => {
      try {
        check();
        return 'within';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    fc.assert(
      fc.property(fc.array(aWrite, { maxLength: 120 }), (writes) => {
        expect(outcome(() => assertCommitWithinLimits('memory', writes))).toBe(
          outcome(() => assertWithinTransactionLimits(planWrites('memory', writes))),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('carry the bound of a year from one version to the next, never below the bytes its item takes', () => {
    // Versions of one year as bookings make them: some breaches taken out (re-declared, at times with another form), others put in, keys notified.
    const aVersion = fc.record({
      drop: fc.array(fc.nat(), { maxLength: 3 }),
      redeclare: fc.boolean(),
      add: fc.array(aBreach, { maxLength: 3 }),
      notify: fc.array(text, { maxLength: 2 }),
      booked: fc.option(fc.dictionary(text, number, { maxKeys: 6 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(aYear, fc.array(aVersion, { maxLength: 25 }), (first, versions) => {
        let year = first;
        writeBound({ kind: 'year', record: year }); // its lists measured, so the next versions' are carried
        for (const version of versions) {
          const at = new Set(year.breaches.length === 0 ? [] : version.drop.map((n) => n % year.breaches.length));
          const dropped = year.breaches.filter((_, i) => at.has(i));
          const added = [...(version.redeclare ? dropped.map((b) => ({ ...b, stoppedAt: 0 })) : []), ...version.add];
          const breaches = [...year.breaches.filter((_, i) => !at.has(i)), ...added];
          carryBreachesBound(breaches, year.breaches, dropped, added);
          const creditNoticesIssued = version.notify.length === 0 ? year.creditNoticesIssued : [...year.creditNoticesIssued, ...version.notify];
          if (version.notify.length > 0) carryNoticedBound(creditNoticesIssued, year.creditNoticesIssued, version.notify);
          year = { ...year, breaches, creditNoticesIssued, booked: version.booked ?? year.booked, version: year.version + 1 };
          const write: StoreWrite = { kind: 'year', record: year };
          const bound = writeBound(write);
          // As measured afresh (a copy: no list of it carried), and as planned.
          const measured = writeBound({ kind: 'year', record: structuredClone(year) });
          if (bound === null) continue;
          expect(measured).not.toBeNull();
          expect(bound).toBeGreaterThanOrEqual(measured as number);
          const planned = planWrites('memory', [write]);
          expect(planned).toHaveLength(1);
          expect(sizeOf(itemOf(planned[0] as never))).toBeLessThanOrEqual(bound);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuse what DynamoDB refuses: over 100 items, an item over 400 KB, a commit over 4 MB', () => {
    const caseOf = (caseId: string, eventIdBytes: number): StoreWrite => ({
      kind: 'case',
      record: {
        contractId: 'C-1',
        caseId,
        events: [{ eventId: 'e'.repeat(eventIdBytes), caseId, occurredAt: 0, type: 'case.responded' }],
        warned: [],
        decided: {},
        nextAttentionAt: null,
        sources: ['default'],
        version: 0,
      },
    });
    const many = Array.from({ length: 101 }, (_, i) => caseOf(`K-${i}`, 1));
    expect(() => assertCommitWithinLimits('memory', many)).toThrow(/101 transaction items/);
    expect(() => assertCommitWithinLimits('memory', [caseOf('K-1', 190_000), { kind: 'notice', notice: bigNotice(450_000) }])).toThrow(
      /past DynamoDB's 400 KB item limit/,
    );
    const heavy = Array.from({ length: 11 }, (_, i): StoreWrite => ({ kind: 'notice', notice: { ...bigNotice(390_000), id: `N-${i}` } }));
    expect(() => assertCommitWithinLimits('memory', heavy)).toThrow(/exceeds the 4 MB limit/);
  });
});

function bigNotice(bytes: number): NoticeRecord {
  return {
    id: 'N-1',
    contractId: 'C-1',
    type: 'credit.adjusted',
    audience: 'customer',
    to: null,
    locale: 'en',
    payload: { note: 'x'.repeat(bytes) } as never,
    createdAt: 0,
  };
}
