import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KPIS } from '#domain/model.ts';
import type { ContractRecord } from '#store/contract-repository.ts';
import type { YearBreach, YearRecord } from '#store/year-repository.ts';
import { bookYearChange, emptyYear, type YearBooking } from '#usecases/credit-booking.ts';
import { aContract, aServiceLevel } from '#test/support/factories/contracts.ts';

const START = Date.parse('2026-03-01T00:00:00Z');

const aBreach: fc.Arbitrary<YearBreach> = fc.record({
  caseId: fc.constantFrom('K-1', 'K-2', 'K-3', 'K-4', 'K-5', 'K-6', 'K-7', 'K-8'),
  kpi: fc.constantFrom(...KPIS),
  // A narrow range, so deadline ties (and their tie-breaks) happen often.
  deadline: fc.integer({ min: 0, max: 12 }).map((minute) => START + minute * 60_000),
  creditPercent: fc.constantFrom(0, 2, 2.5, 5, 7.25, 10),
  stoppedAt: fc.option(fc.constant(START + 3_600_000), { nil: null }),
});

/** One change of a year: the breaches withdrawn are taken from the year's own (at their stored form or moved). */
const aStep = fc.record({
  withdraw: fc.array(fc.nat(), { maxLength: 3 }),
  declare: fc.array(aBreach, { maxLength: 3 }),
  /** A fee change now and then: the year is recomputed afresh. */
  feeMinor: fc.constantFrom(12_000_000, 12_000_000, 12_000_000, 12_000_000, 3_000_000),
  capPercent: fc.constantFrom(20, 20, 20, 8),
});

interface StepValue {
  readonly withdraw: readonly number[];
  readonly declare: readonly YearBreach[];
  /** A breach of the year re-declared (withdrawn and declared again) with its `stoppedAt`, and maybe its deadline or percent, changed. */
  readonly redeclare?: { readonly at: number; readonly stoppedAt: number | null; readonly deadlineShift: number; readonly creditPercent?: number };
  readonly feeMinor: number;
  readonly capPercent: number;
}

function chain(steps: readonly StepValue[], remembered: boolean): YearBooking[] {
  const bookings: YearBooking[] = [];
  let year: YearRecord = emptyYear('C-1', 1);
  for (const [index, step] of steps.entries()) {
    const withdrawn = step.withdraw.flatMap((n) => (year.breaches.length === 0 ? [] : [year.breaches[n % year.breaches.length] as YearBreach]));
    const declared = [...step.declare];
    const { redeclare } = step;
    const stored = year.breaches[(redeclare?.at ?? 0) % Math.max(1, year.breaches.length)];
    if (redeclare !== undefined && stored !== undefined) {
      withdrawn.push(stored);
      declared.push({
        ...stored,
        stoppedAt: redeclare.stoppedAt,
        deadline: stored.deadline + redeclare.deadlineShift,
        creditPercent: redeclare.creditPercent ?? stored.creditPercent,
      });
    }
    const contract: ContractRecord = {
      terms: aContract({ annualFee: { minor: step.feeMinor, currency: 'NOK' } }),
      termination: null,
      registeredAt: START,
      registeredBy: { source: 'default', eventId: 'registered', digest: 'd' },
      lastAdvancedDate: null,
      nextLifecycleDate: null,
      version: 1,
    };
    const booking = bookYearChange({
      contract,
      level: aServiceLevel({ creditCapPercent: step.capPercent }),
      // Afresh: a copy, as another store reads it back; remembered: the record as written (the memory store).
      year: remembered ? year : structuredClone(year),
      change: { withdrawn, declared },
      now: START + index * 60_000,
      settleMs: 600_000,
    });
    bookings.push(booking);
    year = { ...booking.year, version: year.version + 1 };
  }
  return bookings;
}

describe('bookYearChange', () => {
  it('books the same whether or not it remembers the year it booked before', () => {
    fc.assert(
      fc.property(fc.array(aStep, { minLength: 1, maxLength: 30 }), (steps) => {
        // As text: the order of every list and of `booked`'s keys counts too.
        expect(JSON.stringify(chain(steps, true))).toBe(JSON.stringify(chain(steps, false)));
      }),
      { numRuns: 500 },
    );
  });

  it('books a long year the same when most changes only declare breaches it does not hold', () => {
    // Many cases, few withdrawals: the changes that take nothing out of the year (its breaches kept as they are).
    const aNewBreach = fc.record({
      caseId: fc.integer({ min: 1, max: 400 }).map((n) => `K-${n}`),
      kpi: fc.constantFrom(...KPIS),
      deadline: fc.integer({ min: 0, max: 600 }).map((minute) => START + minute * 60_000),
      creditPercent: fc.constantFrom(0, 2, 2.5, 5),
      stoppedAt: fc.option(fc.constant(START + 3_600_000), { nil: null }),
    });
    const aMostlyNewStep = fc.record({
      withdraw: fc.oneof({ weight: 9, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.nat(), { maxLength: 2 }) }),
      declare: fc.array(aNewBreach, { minLength: 1, maxLength: 2 }),
      feeMinor: fc.constant(12_000_000),
      capPercent: fc.constantFrom(20, 20, 20, 20, 8),
    });
    fc.assert(
      fc.property(fc.array(aMostlyNewStep, { minLength: 20, maxLength: 120 }), (steps) => {
        expect(JSON.stringify(chain(steps, true))).toBe(JSON.stringify(chain(steps, false)));
      }),
      { numRuns: 100 },
    );
  });

  it('books a long year the same when changes re-declare its breaches with only their stoppedAt changed', () => {
    // A late breach's clock met: the breach withdrawn and declared again, stopped; now and then moved or re-rated instead.
    const aNewBreach = fc.record({
      caseId: fc.integer({ min: 1, max: 200 }).map((n) => `K-${n}`),
      kpi: fc.constantFrom(...KPIS),
      deadline: fc.integer({ min: 0, max: 600 }).map((minute) => START + minute * 60_000),
      creditPercent: fc.constantFrom(0, 2, 2.5, 5),
      stoppedAt: fc.constant(null),
    });
    const aRedeclare = fc.record({
      at: fc.nat(),
      stoppedAt: fc.option(fc.integer({ min: 0, max: 900 }).map((minute) => START + minute * 60_000), { nil: null }),
      deadlineShift: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-60_000, 60_000) }),
      creditPercent: fc.option(fc.constantFrom(0, 2, 5), { nil: undefined, freq: 9 }),
    });
    const aStoppedStep = fc.record({
      withdraw: fc.oneof({ weight: 19, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.nat(), { maxLength: 1 }) }),
      declare: fc.oneof(fc.constant([]), fc.array(aNewBreach, { minLength: 1, maxLength: 2 })),
      redeclare: fc.option(aRedeclare, { nil: undefined }),
      feeMinor: fc.constant(12_000_000),
      capPercent: fc.constantFrom(20, 20, 20, 8, 1),
    });
    fc.assert(
      fc.property(fc.array(aStoppedStep, { minLength: 20, maxLength: 120 }), (steps) => {
        expect(JSON.stringify(chain(steps, true))).toBe(JSON.stringify(chain(steps, false)));
      }),
      { numRuns: 100 },
    );
  });
});
