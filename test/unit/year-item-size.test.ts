import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KPIS } from '#domain/model.ts';
import { knownItemSize, yearItems } from '#store/items.ts';
import { MAIN_ENTRY_BUDGET, sizeOf } from '#store/overflow.ts';
import type { YearBreach, YearRecord } from '#store/year-repository.ts';

// Any text, escapes and characters outside ASCII included: the size summed from parts must be JSON's.
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^[A-Z]-[0-9]{1,6}$/), fc.string({ unit: 'binary', maxLength: 8 }));
const aBreach: fc.Arbitrary<YearBreach> = fc.record({
  caseId: text,
  kpi: fc.constantFrom(...KPIS),
  deadline: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  creditPercent: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(2.5, 7.25, 0.01)),
  stoppedAt: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: null }),
});
const aYear: fc.Arbitrary<YearRecord> = fc.record({
  contractId: text,
  yearIndex: fc.integer({ min: 1, max: 30 }),
  breaches: fc.array(aBreach, { maxLength: 20 }),
  booked: fc.dictionary(text, fc.integer({ min: -1_000_000, max: 1_000_000_000 }), { maxKeys: 12 }),
  ledgerSeq: fc.nat(),
  creditNoticesIssued: fc.array(text, { maxLength: 12 }),
  rightsNotified: fc.array(fc.nat(), { maxLength: 3 }),
  changedAt: fc.option(fc.nat(), { nil: null }),
  version: fc.nat({ max: 1000 }),
});

describe('year items', () => {
  it('know the size of a year kept in its main item: exactly the JSON size sizeOf measures', () => {
    fc.assert(
      fc.property(aYear, (year) => {
        const { main, leaves } = yearItems(year, year.version + 1);
        expect(leaves).toEqual([]);
        expect(knownItemSize(main)).toBe(sizeOf(main));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keep entries of exactly the budget in the main item, and move one byte more to leaves (planOverflow\'s rule)', () => {
    const breaches: YearBreach[] = Array.from({ length: 3_000 }, (_, i) => ({
      caseId: `K-${String(i).padStart(6, '0')}`,
      kpi: 'resolution',
      deadline: 1_767_225_600_000,
      creditPercent: 5,
      stoppedAt: null,
    }));
    // Each entry counts its JSON (["b",<tuple>] or ["n",<key>]) and one separator.
    const used = breaches.reduce((sum, b) => sum + JSON.stringify(['b', [b.caseId, b.kpi, b.deadline, b.creditPercent, b.stoppedAt]]).length + 1, 0);
    const keyOf = (bytes: number): string => 'x'.repeat(bytes - JSON.stringify(['n', '']).length - 1);
    const year = (noticed: string): YearRecord => ({
      contractId: 'C-1',
      yearIndex: 1,
      breaches,
      booked: {},
      ledgerSeq: 0,
      creditNoticesIssued: [noticed],
      rightsNotified: [],
      changedAt: null,
      version: 1,
    });
    const atBudget = yearItems(year(keyOf(MAIN_ENTRY_BUDGET - used)), 2);
    expect(atBudget.main.ov).toBeUndefined();
    expect(knownItemSize(atBudget.main)).toBe(sizeOf(atBudget.main));
    const past = yearItems(year(keyOf(MAIN_ENTRY_BUDGET - used + 1)), 2);
    expect(past.main.ov).toBeDefined();
    expect(knownItemSize(past.main)).toBeUndefined();
  });
});
