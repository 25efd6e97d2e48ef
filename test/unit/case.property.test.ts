import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCase } from '#domain/case.ts';
import type { CaseView } from '#domain/case.ts';
import { KPIS } from '#domain/model.ts';
import type { CaseEvent, Kpi, ServiceLevel } from '#domain/model.ts';
import { HOUR_MS, MINUTE_MS } from '#domain/time.ts';
import type { Instant } from '#domain/time.ts';
import {
  arbitraryCaseEvents,
  arbitraryContractEnd,
  arbitraryNow,
  businessHoursLevel,
  caseInput,
  casePaused,
  premiumLevel,
} from '#test/support/factories/case-events.ts';

const RUNS = { numRuns: 1_000 };

interface Situation {
  readonly events: CaseEvent[];
  readonly now: Instant;
  readonly contractEndsAt: Instant | null;
  readonly level: ServiceLevel;
  readonly graceMs: number;
  readonly warned: Kpi[];
}

const arbitrarySituation: fc.Arbitrary<Situation> = fc.record({
  events: arbitraryCaseEvents,
  now: arbitraryNow,
  contractEndsAt: arbitraryContractEnd,
  level: fc.constantFrom(premiumLevel(), businessHoursLevel()),
  graceMs: fc.integer({ min: 0, max: 10 * MINUTE_MS }),
  warned: fc.subarray([...KPIS]),
});

function evaluate(situation: Situation, events: readonly CaseEvent[] = situation.events): CaseView {
  const { level, graceMs, contractEndsAt, warned } = situation;
  return evaluateCase(caseInput(events, situation.now, { level, graceMs, contractEndsAt, warned: new Set(warned) }));
}

/** Copies of some of the events as a queue redelivers them; a copy may carry another occurredAt (a source that corrected itself). */
const arbitraryRedeliveries = (events: readonly CaseEvent[]): fc.Arbitrary<{ exact: CaseEvent[]; corrected: CaseEvent[] }> =>
  fc
    .array(fc.record({ index: fc.nat(), shift: fc.option(fc.integer({ min: -HOUR_MS, max: HOUR_MS }), { freq: 2, nil: 0 }) }), { maxLength: 6 })
    .map((repeats) => {
      const picked = repeats.flatMap(({ index, shift }) => {
        const original = events[index % events.length];
        return original === undefined ? [] : [{ original, shift }];
      });
      return {
        exact: picked.map(({ original }) => ({ ...original })),
        corrected: picked.map(({ original, shift }) => ({ ...original, occurredAt: original.occurredAt + shift })),
      };
    });

const anyOrder = (events: readonly CaseEvent[]): fc.Arbitrary<CaseEvent[]> => fc.shuffledSubarray([...events], { minLength: events.length });

/** Anywhere, or just before one of the case's events: where an added pause changes the most. */
const arbitraryPauseInstant = (events: readonly CaseEvent[]): fc.Arbitrary<Instant> =>
  fc.oneof(
    arbitraryNow,
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 * HOUR_MS })).map(([index, before]) => (events[index % events.length]?.occurredAt ?? 0) - before),
  );

describe('case evaluation properties', () => {
  it('is independent of arrival order and of redeliveries', () => {
    const arbitraryArrivals = arbitrarySituation.chain((situation) =>
      arbitraryRedeliveries(situation.events).chain(({ exact, corrected }) =>
        fc.record({
          situation: fc.constant(situation),
          withRepeats: anyOrder([...situation.events, ...exact]),
          withCorrections: anyOrder([...situation.events, ...corrected]),
          withCorrectionsAgain: anyOrder([...situation.events, ...corrected]),
        }),
      ),
    );
    fc.assert(
      fc.property(arbitraryArrivals, ({ situation, withRepeats, withCorrections, withCorrectionsAgain }) => {
        expect(evaluate(situation, withRepeats)).toEqual(evaluate(situation));
        expect(evaluate(situation, withCorrections)).toEqual(evaluate(situation, withCorrectionsAgain));
      }),
      RUNS,
    );
  });

  it('never moves a deadline earlier when a pause is added', () => {
    fc.assert(
      fc.property(arbitrarySituation.chain((situation) => fc.tuple(fc.constant(situation), arbitraryPauseInstant(situation.events))), ([situation, pausedAt]) => {
        const before = evaluate(situation);
        const after = evaluate(situation, [...situation.events, casePaused(pausedAt, 'force_majeure', 'added-pause')]);

        for (const kpi of KPIS) {
          const original = before.clocks[kpi];
          const paused = after.clocks[kpi];
          expect(paused === undefined).toBe(original === undefined);
          if (original === undefined || paused === undefined || paused.deadline === null) continue;
          expect(original.deadline).not.toBeNull();
          expect(paused.deadline).toBeGreaterThanOrEqual(original.deadline ?? Number.POSITIVE_INFINITY);
        }
      }),
      RUNS,
    );
  });

  it('never counts more time than has elapsed since the start', () => {
    fc.assert(
      fc.property(arbitrarySituation, (situation) => {
        const view = evaluate(situation);

        for (const clock of Object.values(view.clocks)) {
          const elapsed = Math.max(0, Math.min(situation.now, clock.stoppedAt ?? situation.now) - clock.startedAt);
          expect(clock.countedMs).toBeGreaterThanOrEqual(0);
          expect(clock.countedMs).toBeLessThanOrEqual(elapsed);
        }
      }),
      RUNS,
    );
  });

  it('declares only breaches, and a met clock stopped no later than its deadline', () => {
    fc.assert(
      fc.property(arbitrarySituation, (situation) => {
        const view = evaluate(situation);

        for (const clock of Object.values(view.clocks)) {
          if (clock.breachDeclared) expect(clock.state).toBe('breached');
          if (clock.state === 'met') expect(clock.stoppedAt).toBeLessThanOrEqual(clock.deadline ?? Number.NEGATIVE_INFINITY);
          if (clock.state === 'breached') expect(clock.deadline).toBeLessThan(clock.stoppedAt ?? situation.now);
        }
        if (view.nextAttentionAt !== null) expect(view.nextAttentionAt).toBeGreaterThan(situation.now);
      }),
      RUNS,
    );
  });
});
