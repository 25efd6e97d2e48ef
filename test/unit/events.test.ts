import { describe, expect, it } from 'vitest';
import { compile } from 'zod/mini';
import { EVENT_TYPES } from '#domain/model.ts';
import { parseEvent, type ParseEventResult } from '#events/parse.ts';
import { eventV1 } from '#events/schemas.ts';
import { aCaseEvent, aCaseOpened, aContractAmended, aContractRegistered, aPoolEvent, aTerminationRequested, bodyOf } from '#test/support/factories/event-bodies.ts';

function refusal(result: ParseEventResult): { path: string; message: string } {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.event)}`);
  return result.error;
}

describe('the v1 event contract', () => {
  it('compiles whole (z.compile), so the intake parses valid events on generated code', () => {
    // Act / Assess: strict, the compiler throws instead of handing back the interpreted schema.
    expect(() => compile(eventV1, { strict: true })).not.toThrow();
  });

  it('knows exactly the event types of design §6, in tie-break order', () => {
    // Act
    const types = eventV1.def.options.map((option) => option.shape.type.def.values[0]);

    // Assess
    expect(types).toEqual([...EVENT_TYPES]);
  });

  it.each([...EVENT_TYPES])('accepts a minimal valid %s', (type) => {
    // Prepare
    const event =
      type === 'contract.registered'
        ? aContractRegistered()
        : type === 'contract.termination_requested'
          ? aTerminationRequested()
          : type === 'contract.amended'
            ? aContractAmended()
            : type.startsWith('pool.') || type.startsWith('loan.')
              ? aPoolEvent(type)
            : aCaseEvent(type);

    // Act
    const result = parseEvent(bodyOf(event));

    // Assess
    expect(result).toMatchObject({ ok: true, event: { type } });
  });

  it('applies the contract defaults: Europe/Oslo, one binding year, auto-renewal, 90 days notice', () => {
    // Act
    const result = parseEvent(bodyOf(aContractRegistered()));

    // Assess
    expect(result).toMatchObject({
      ok: true,
      event: { timeZone: 'Europe/Oslo', bindingYears: 1, autoRenew: true, noticeDays: 90 },
    });
  });

  it.each(['2026-03-02T09:00:00Z', '2026-03-02T10:00:00+01:00', '2026-03-02T10:00:00.250+01:00'])(
    'accepts occurredAt %s with an offset',
    (occurredAt) => {
      expect(parseEvent(bodyOf(aCaseOpened({ occurredAt }))).ok).toBe(true);
    },
  );

  it.each(['2026-03-02T10:00:00', '2026-03-02', '2026-02-30T10:00:00Z', 'yesterday'])(
    'refuses occurredAt %s (no offset or no real instant)',
    (occurredAt) => {
      expect(refusal(parseEvent(bodyOf(aCaseOpened({ occurredAt }))))).toMatchObject({ path: 'occurredAt' });
    },
  );
});

describe('what the contract refuses, named by field path', () => {
  it('refuses a body that is not JSON at path $', () => {
    // Act
    const error = refusal(parseEvent('{"eventId": '));

    // Assess
    expect(error.path).toBe('$');
    expect(error.message).toMatch(/^body is not JSON: /);
  });

  it.each([['"just a string"'], ['[]'], ['null'], ['42']])('refuses %s, which is not an event object', (body) => {
    expect(refusal(parseEvent(body)).path).toMatch(/^(\$|type)$/);
  });

  it('refuses an unknown event type at path type', () => {
    expect(refusal(parseEvent(bodyOf(aCaseEvent('case.reopened'))))).toMatchObject({ path: 'type' });
  });

  it('refuses an unknown top-level field with its path', () => {
    // Prepare
    const event = aCaseOpened({ prioritty: 'high' });

    // Act
    const error = refusal(parseEvent(bodyOf(event)));

    // Assess
    expect(error).toMatchObject({ path: 'prioritty', message: 'unknown field "prioritty"' });
  });

  it('refuses an unknown nested field with its dotted path', () => {
    // Prepare
    const event = aContractRegistered({
      customer: { name: 'Nordlys', email: 'drift@nordlys.example', locale: 'nb', phone: '+47 22 00 00 00' },
    });

    // Act & Assess
    expect(refusal(parseEvent(bodyOf(event)))).toMatchObject({ path: 'customer.phone' });
  });

  it('keeps every issue, not only the first', () => {
    // Prepare
    const event = aContractRegistered({ bindingYears: 9, noticeDays: -1, extra: true });

    // Act
    const result = parseEvent(bodyOf(event));

    // Assess
    expect(result.ok ? [] : result.error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['bindingYears', 'noticeDays', 'extra']),
    );
  });

  it('refuses a customer email that is not an address', () => {
    // Prepare
    const event = aContractRegistered({ customer: { name: 'Nordlys', email: 'drift at nordlys', locale: 'nb' } });

    // Act & Assess
    expect(refusal(parseEvent(bodyOf(event)))).toMatchObject({ path: 'customer.email' });
  });

  it('refuses a locale other than nb or en', () => {
    const event = aContractRegistered({ customer: { name: 'Nordlys', email: 'drift@nordlys.example', locale: 'sv' } });
    expect(refusal(parseEvent(bodyOf(event)))).toMatchObject({ path: 'customer.locale' });
  });

  it.each(['nok', 'NO', 'NOKK', 'ABC'])('refuses currency %s, which is not ISO 4217', (currency) => {
    // Prepare
    const event = aContractRegistered({ annualFee: { amount: '1000', currency } });

    // Act & Assess
    expect(refusal(parseEvent(bodyOf(event)))).toMatchObject({ path: 'annualFee.currency' });
  });

  it.each([
    ['1234.567', /at most 2 decimals/],
    [1234.567, /at most 2 decimals/],
    ['-5', /decimal/],
    [-5, /negative/],
    [1e21, /./],
    [0.001, /at most 2 decimals/],
    ['1e3', /decimal/],
    ['01.50', /decimal/],
    ['12,50', /decimal/],
    ['', /decimal/],
  ])('refuses the annual fee amount %j', (amount, message) => {
    // Prepare
    const event = aContractRegistered({ annualFee: { amount, currency: 'NOK' } });

    // Act
    const error = refusal(parseEvent(bodyOf(event)));

    // Assess
    expect(error.path).toBe('annualFee.amount');
    expect(error.message).toMatch(message);
  });

  it.each(['1234.50', 1234.5, '0', 0, '120000', 120000])('accepts the annual fee amount %j', (amount) => {
    expect(parseEvent(bodyOf(aContractRegistered({ annualFee: { amount, currency: 'NOK' } }))).ok).toBe(true);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-1-1', '2026-01-01T00:00:00Z'])('refuses startDate %s', (startDate) => {
    expect(refusal(parseEvent(bodyOf(aContractRegistered({ startDate }))))).toMatchObject({ path: 'startDate' });
  });

  it('accepts a leap day as startDate only in a leap year', () => {
    expect(parseEvent(bodyOf(aContractRegistered({ startDate: '2028-02-29' }))).ok).toBe(true);
    expect(parseEvent(bodyOf(aContractRegistered({ startDate: '2027-02-29' }))).ok).toBe(false);
  });

  it.each(['Europe/Osloo', 'Mars/Olympus_Mons', '+01:00', 'CET+1', ''])('refuses time zone %j', (timeZone) => {
    expect(refusal(parseEvent(bodyOf(aContractRegistered({ timeZone }))))).toMatchObject({ path: 'timeZone' });
  });

  it.each(['America/New_York', 'UTC', 'Asia/Kolkata'])('accepts IANA time zone %s', (timeZone) => {
    expect(parseEvent(bodyOf(aContractRegistered({ timeZone }))).ok).toBe(true);
  });

  it.each([0, 6, 1.5])('refuses bindingYears %j outside 1–5 whole years', (bindingYears) => {
    expect(refusal(parseEvent(bodyOf(aContractRegistered({ bindingYears }))))).toMatchObject({ path: 'bindingYears' });
  });

  it.each([[[0]], [[30, -1]], [[30.5]]])('refuses reminderDays %j that are not positive whole days', (reminderDays) => {
    expect(refusal(parseEvent(bodyOf(aContractRegistered({ reminderDays }))))).toMatchObject({
      path: expect.stringMatching(/^reminderDays\.\d$/) as unknown,
    });
  });

  it('refuses an eventId longer than 128 characters and an empty one', () => {
    expect(refusal(parseEvent(bodyOf(aCaseOpened({ eventId: 'e'.repeat(129) }))))).toMatchObject({ path: 'eventId' });
    expect(refusal(parseEvent(bodyOf(aCaseOpened({ eventId: '' }))))).toMatchObject({ path: 'eventId' });
  });

  it('refuses a case event without caseId', () => {
    // Prepare
    const { caseId: _caseId, ...withoutCase } = aCaseEvent('case.responded');

    // Act & Assess
    expect(refusal(parseEvent(bodyOf(withoutCase)))).toMatchObject({ path: 'caseId' });
  });

  it('refuses a case summary over 500 characters and an unknown priority', () => {
    expect(refusal(parseEvent(bodyOf(aCaseOpened({ summary: 'x'.repeat(501) }))))).toMatchObject({ path: 'summary' });
    expect(refusal(parseEvent(bodyOf(aCaseOpened({ priority: 'urgent' }))))).toMatchObject({ path: 'priority' });
  });

  it('refuses a pause without a known reason', () => {
    expect(refusal(parseEvent(bodyOf(aCaseEvent('case.paused', { reason: 'lunch' }))))).toMatchObject({
      path: 'reason',
    });
  });

  it('refuses a termination with an unknown reason or an invalid effectiveDate', () => {
    expect(refusal(parseEvent(bodyOf(aTerminationRequested({ reason: 'boredom' }))))).toMatchObject({ path: 'reason' });
    expect(
      refusal(parseEvent(bodyOf(aTerminationRequested({ reason: 'credit_cap_breach', effectiveDate: '2026-06-31' })))),
    ).toMatchObject({ path: 'effectiveDate' });
  });
});
