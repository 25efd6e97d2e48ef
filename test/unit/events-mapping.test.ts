import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventObject } from '#events/parse.ts';
import { toCaseEvent, toContractTerms, toDigestedCaseEvent, toMoneyMinor } from '#events/mapping.ts';
import type { AftercareEventV1, CaseEventV1, ContractRegisteredV1 } from '#events/schemas.ts';
import { aCaseEvent, aCaseOpened, aContractRegistered } from '#test/support/factories/event-bodies.ts';

function parsed(body: Record<string, unknown>): AftercareEventV1 {
  const result = parseEventObject(body);
  if (!result.ok) throw new Error(`factory event is invalid: ${result.error.path} ${result.error.message}`);
  return result.event;
}

const registered = (overrides: Record<string, unknown> = {}) =>
  parsed(aContractRegistered(overrides)) as ContractRegisteredV1;
const caseEvent = (body: Record<string, unknown>) => parsed(body) as CaseEventV1;

/** Minor units up to 15 digits: the largest amount the contract accepts. */
const minorUnits = fc.integer({ min: 0, max: 999_999_999_999_999 });

function decimalText(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

describe('money enters the domain as exact minor units', () => {
  it.each([
    ['1234.50', 123450],
    [1234.5, 123450],
    ['1234.5', 123450],
    ['0.07', 7],
    [0.07, 7],
    ['120000', 12000000],
    [0, 0],
  ])('%j → %i minor units', (amount, minor) => {
    expect(toMoneyMinor(amount, 'NOK')).toBe(minor);
  });

  it('reads every two-decimal string exactly', () => {
    fc.assert(
      fc.property(minorUnits, (minor) => {
        expect(toMoneyMinor(decimalText(minor), 'NOK')).toBe(minor);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads every number with at most two decimals by its decimal text, never by float multiplication', () => {
    fc.assert(
      fc.property(minorUnits, (minor) => {
        expect(toMoneyMinor(minor / 100, 'NOK')).toBe(minor);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each(['1.005', 1.005, '-1', 1e21, 'abc'])('throws for %j, which the contract refuses', (amount) => {
    expect(() => toMoneyMinor(amount, 'NOK')).toThrow(RangeError);
  });
});

describe('a registration becomes contract terms', () => {
  it('carries the fee in minor units and the defaults of design §4', () => {
    // Act
    const terms = toContractTerms(registered());

    // Assess
    expect(terms).toEqual({
      contractId: 'C-1',
      customer: { name: 'Nordlys Logistikk AS', email: 'drift@nordlys.example', locale: 'nb' },
      serviceLevel: 'premium',
      annualFee: { minor: 12_000_000, currency: 'NOK' },
      startDate: '2026-01-01',
      timeZone: 'Europe/Oslo',
      bindingYears: 1,
      autoRenew: true,
      noticeDays: 90,
      reminderDays: [120, 30],
    });
  });

  it('defaults the reminders to noticeDays + 30 and 30 days before the term end', () => {
    expect(toContractTerms(registered({ noticeDays: 60 })).reminderDays).toEqual([90, 30]);
  });

  it('keeps reminders the integration chose, even none', () => {
    expect(toContractTerms(registered({ reminderDays: [45] })).reminderDays).toEqual([45]);
    expect(toContractTerms(registered({ reminderDays: [] })).reminderDays).toEqual([]);
  });
});

describe('a case event becomes the domain case event', () => {
  it('turns occurredAt into epoch ms, whatever the offset', () => {
    // Prepare
    const inOslo = caseEvent(aCaseOpened({ occurredAt: '2026-02-09T09:00:00+01:00' }));
    const inUtc = caseEvent(aCaseOpened({ occurredAt: '2026-02-09T08:00:00Z' }));

    // Act & Assess
    expect(toCaseEvent(inOslo).occurredAt).toBe(Date.UTC(2026, 1, 9, 8, 0, 0));
    expect(toCaseEvent(inUtc).occurredAt).toBe(toCaseEvent(inOslo).occurredAt);
  });

  it('keeps what the clocks need from case.opened and drops the rest', () => {
    // Prepare
    const event = caseEvent(aCaseOpened({ priority: 'high', onSiteRequired: true, summary: 'Band 3 stopped' }));

    // Act
    const domainEvent = toCaseEvent(event);

    // Assess
    expect(domainEvent).toEqual({
      eventId: 'hd-1-opened',
      caseId: 'K-1',
      occurredAt: Date.UTC(2026, 1, 9, 8, 0, 0),
      type: 'case.opened',
      priority: 'high',
      onSiteRequired: true,
    });
  });

  it('keeps the reason of a pause', () => {
    expect(toCaseEvent(caseEvent(aCaseEvent('case.paused', { reason: 'force_majeure' })))).toMatchObject({
      type: 'case.paused',
      reason: 'force_majeure',
    });
  });

  it('maps a stop event to its type and instant only', () => {
    expect(toCaseEvent(caseEvent(aCaseEvent('case.resolved')))).toEqual({
      eventId: 'hd-1-case.resolved',
      caseId: 'K-1',
      occurredAt: Date.UTC(2026, 1, 9, 9, 0, 0),
      type: 'case.resolved',
    });
  });

  it('builds the stored case event as the case event with its digest last, field for field and in order', () => {
    // Prepare: every shape, each from the default source (absent or named) and from another one.
    const bodies = [
      aCaseOpened({ priority: 'high', onSiteRequired: false }),
      aCaseOpened(),
      aCaseOpened({ onSiteRequired: true }),
      aCaseOpened({ onSiteRequired: true, replacementRequired: true }),
      aCaseEvent('case.paused', { reason: 'awaiting_customer' }),
      aCaseEvent('case.visit_reported', { visitId: 'V-1', hoursOnSite: 2, otherCosts: [{ description: 'ferry', amount: '120.50', currency: 'NOK' }], country: 'NO' }),
      aCaseEvent('case.replacement_requested', { poolId: 'P-1' }),
      aCaseEvent('case.resolved'),
    ];
    const events = bodies.flatMap((body) => [body, { ...body, source: 'default' }, { ...body, source: 'zendesk' }]).map(caseEvent);

    for (const event of events) {
      // Act
      const stored = toDigestedCaseEvent(event, 'digest', 1234);

      // Assess
      expect(JSON.stringify(stored)).toBe(JSON.stringify({ ...toCaseEvent(event, 1234), digest: 'digest' }));
    }
  });
});
