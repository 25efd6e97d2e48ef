/**
 * docs/design.md#12-contract-changes-and-billing and docs/design.md#5-cases-clocks-breaches-credits, for every history of fee
 * amendments: the amount due for year k+1 is the fee of year k+1 less the credits of year k, never below zero —
 * in the statement and in the renewal reminder alike — and a fee amendment arriving in any order gives the same fees.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAmendment } from '#domain/amendments.ts';
import { planDay } from '#domain/lifecycle.ts';
import { KPIS, type ContractTerms } from '#domain/model.ts';
import { buildStatement } from '#domain/statement.ts';
import { contractEndsAt, contractYear } from '#domain/terms.ts';
import { addDays } from '#domain/time.ts';
import { aContract, aServiceLevel, aStatementInput } from '#test/support/factories/contracts.ts';

const RUNS = { numRuns: 300 };
const YEARS = 4;
const START = contractYear(aContract(), 1).startsAt;
const END = contractYear(aContract(), YEARS + 1).startsAt;

const anAmendment = fc.record({
  eventId: fc.uuid(),
  occurredAt: fc.integer({ min: START - 30 * 86_400_000, max: END - 1 }),
  fromYear: fc.integer({ min: 1, max: YEARS + 1 }),
  feeMinor: fc.integer({ min: 0, max: 50_000_000 }),
});
type Amendment = typeof anAmendment extends fc.Arbitrary<infer T> ? T : never;

const aBreach = fc.record({
  caseId: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'),
  kpi: fc.constantFrom(...KPIS),
  deadline: fc.integer({ min: START, max: END - 1 }),
  creditPercent: fc.integer({ min: 0, max: 40 }),
});

const history = fc.record({
  registeredFeeMinor: fc.integer({ min: 0, max: 50_000_000 }),
  capPercent: fc.integer({ min: 0, max: 100 }),
  amendments: fc.array(anAmendment, { maxLength: 8 }),
  breaches: fc.uniqueArray(aBreach, { selector: (b) => `${b.caseId}#${b.kpi}#${b.deadline}`, maxLength: 30 }),
});

/** Applies the amendments in the given order through the rule; returns the terms and the accepted ones. */
function amended(base: ContractTerms, amendments: readonly Amendment[]): { terms: ContractTerms; accepted: Amendment[] } {
  let terms = base;
  const accepted: Amendment[] = [];
  for (const a of amendments) {
    const decision = decideAmendment({
      terms,
      termination: null,
      contractEndsAt: contractEndsAt(terms, null),
      request: { source: 'crm', eventId: a.eventId, occurredAt: a.occurredAt, fromYear: a.fromYear, annualFee: { minor: a.feeMinor, currency: 'NOK' } },
    });
    if (decision.accepted) {
      terms = decision.terms;
      accepted.push(a);
    }
  }
  return { terms, accepted };
}

/** The reference: the fee of year j is set by the latest-occurring accepted amendment from year j or earlier. */
function referenceFee(registered: number, accepted: readonly Amendment[], year: number): number {
  const covering = accepted.filter((a) => a.fromYear <= year).sort((a, b) => (a.occurredAt !== b.occurredAt ? a.occurredAt - b.occurredAt : a.eventId < b.eventId ? -1 : 1));
  return covering.at(-1)?.feeMinor ?? registered;
}

describe('the amount due after amendments', () => {
  it('is the next year’s own fee less this year’s credits, never below zero, in statements and renewal reminders', () => {
    fc.assert(
      fc.property(history, ({ registeredFeeMinor, capPercent, amendments, breaches }) => {
        // Prepare
        const base = aContract({ annualFee: { minor: registeredFeeMinor, currency: 'NOK' } });
        const { terms, accepted } = amended(base, amendments);
        const level = aServiceLevel({ creditCapPercent: capPercent });

        // Act
        const statement = buildStatement(aStatementInput({ terms, level, breaches, asOf: END + 86_400_000 }));

        // Assess
        for (const year of statement.years) {
          expect(year.feeMinor).toBe(referenceFee(registeredFeeMinor, accepted, year.index));
          const next = referenceFee(registeredFeeMinor, accepted, year.index + 1);
          expect(year.nextYearFeeMinor).toBe(next);
          expect(year.amountDueNextYearMinor).toBe(Math.max(0, next - year.creditsMinor));
          expect(year.amountDueNextYearMinor).toBeGreaterThanOrEqual(0);
          expect(year.creditsMinor).toBeLessThanOrEqual(year.capMinor);

          const reminderDay = addDays(year.end, -30);
          const reminder = planDay({ terms, level, termination: null, breaches, outcomes: [] }, reminderDay).occurrences.find(
            (o) => o.kind === 'renewalReminder',
          );
          expect(reminder).toMatchObject({ nextFeeMinor: next, creditsDeductedMinor: year.creditsMinor, amountDueMinor: Math.max(0, next - year.creditsMinor) });
        }
      }),
      RUNS,
    );
  });

  it('does not depend on the order the accepted fee amendments arrive in', () => {
    fc.assert(
      fc.property(history, fc.infiniteStream(fc.nat()), ({ registeredFeeMinor, amendments }, order) => {
        // Prepare: the amendments the rule accepts, then the same ones shuffled
        const base = aContract({ annualFee: { minor: registeredFeeMinor, currency: 'NOK' } });
        const { terms, accepted } = amended(base, amendments);
        const keys = [...accepted.keys()].map((i) => [order.next().value as number, i] as const).sort(([a], [b]) => a - b);
        const shuffled = amended(base, keys.map(([, i]) => accepted[i] as Amendment)).terms;

        // Assess
        const fees = [terms, shuffled].map((t) => buildStatement(aStatementInput({ terms: t, asOf: END })).years.map((y) => y.feeMinor));
        expect(shuffled.changes?.length ?? 0).toBe(accepted.length);
        expect(fees[1]).toEqual(fees[0]);
      }),
      RUNS,
    );
  });
});
