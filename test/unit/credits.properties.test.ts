import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditYear } from '#domain/credits.ts';
import type { CreditYearInput } from '#domain/credits.ts';
import { KPIS } from '#domain/model.ts';

const RUNS = { numRuns: 1_000 };

const aBreach = fc.record({
  caseId: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
  kpi: fc.constantFrom(...KPIS),
  // A narrow range so deadline ties (and their tie-breaks) happen often.
  deadline: fc.integer({ min: 1_767_222_000_000, max: 1_767_222_000_020 }),
  creditPercent: fc.integer({ min: 0, max: 2_500 }).map((bp) => bp / 100),
});

/** At most one breach per (case, KPI), as the rules guarantee. */
const breachesOfAYear = fc.uniqueArray(aBreach, { selector: (b) => `${b.caseId}#${b.kpi}`, maxLength: 24 });

const aYear: fc.Arbitrary<CreditYearInput> = fc.record({
  feeMinor: fc.integer({ min: 0, max: 1_000_000_000 }),
  capPercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
  terminationWindowDays: fc.integer({ min: 1, max: 365 }),
  breaches: breachesOfAYear,
});

describe('credit properties', () => {
  it('never accrues more than the cap, and no breach earns a negative credit', () => {
    fc.assert(
      fc.property(aYear, (input) => {
        // Act
        const credits = creditYear(input);

        // Assess
        expect(credits.totalMinor).toBeLessThanOrEqual(credits.capMinor);
        expect(credits.breaches.every((b) => b.creditMinor >= 0)).toBe(true);
        expect(credits.breaches.reduce((sum, b) => sum + b.creditMinor, 0)).toBe(credits.totalMinor);
      }),
      RUNS,
    );
  });

  it('never lowers the year total when a breach is added', () => {
    fc.assert(
      fc.property(aYear, aBreach, (input, added) => {
        // Prepare
        const others = input.breaches.filter((b) => b.caseId !== added.caseId || b.kpi !== added.kpi);
        const before = creditYear({ ...input, breaches: others });

        // Act
        const after = creditYear({ ...input, breaches: [...others, added] });

        // Assess
        expect(after.totalMinor).toBeGreaterThanOrEqual(before.totalMinor);
        if (before.capReached) expect(after.capReached).toBe(true);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the breaches', () => {
    fc.assert(
      fc.property(
        aYear.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.breaches], { minLength: input.breaches.length }))),
        ([input, shuffled]) => {
          // Act
          const original = creditYear(input);
          const reordered = creditYear({ ...input, breaches: shuffled });

          // Assess
          expect(reordered).toEqual(original);
        },
      ),
      RUNS,
    );
  });
});
