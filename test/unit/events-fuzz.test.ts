import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CASE_EVENT_TYPES, EVENT_TYPES } from '#domain/model.ts';
import { parseEvent, type ParseEventResult } from '#events/parse.ts';
import { aCaseEvent, aCaseOpened, aContractRegistered, aTerminationRequested } from '#test/support/factories/event-bodies.ts';

const RUNS = 10_000;

type Body = Record<string, unknown>;

/** Valid events with only required fields, so dropping any field must be refused. */
const validEvent: fc.Arbitrary<Body> = fc.oneof(
  fc.constant(aContractRegistered()),
  fc.constant(aTerminationRequested()),
  fc.constant(aCaseOpened()),
  fc.constantFrom(...CASE_EVENT_TYPES).map((type) => aCaseEvent(type)),
);

// Plain predicates rather than expect() inside the properties: 10,000 runs stay fast.
function isOkOrNamedError(result: ParseEventResult): boolean {
  return result.ok || (result.error.path.length > 0 && result.error.message.length > 0 && result.error.issues.length > 0);
}

function refusedAt(result: ParseEventResult, field: string): boolean {
  return !result.ok && isOkOrNamedError(result) && result.error.issues.some((issue) => issue.path === field);
}

describe('parseEvent never throws and always names what is wrong', () => {
  it('for arbitrary strings, JSON or not', () => {
    const body = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(body, (text) => isOkOrNamedError(parseEvent(text))),
      { numRuns: RUNS },
    );
  });

  it('refuses a valid event with one field dropped, naming that field', () => {
    const dropped = fc.tuple(validEvent, fc.nat()).map(([event, pick]) => ({ event, field: fieldOf(event, pick) }));
    fc.assert(
      fc.property(dropped, ({ event, field }) => {
        // Prepare
        const { [field]: _dropped, ...rest } = event;

        // Act
        const result = parseEvent(JSON.stringify(rest));

        // Assess
        return refusedAt(result, field) && !result.ok && result.error.path === field;
      }),
      { numRuns: RUNS },
    );
  });

  it('answers ok or a named error when a field (the type too) changes to any other value', () => {
    const changed = fc
      .tuple(validEvent, fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom<unknown>(...EVENT_TYPES)))
      .map(([event, pick, value]) => ({ event, field: fieldOf(event, pick), value }));
    fc.assert(
      fc.property(changed, ({ event, field, value }) =>
        isOkOrNamedError(parseEvent(JSON.stringify({ ...event, [field]: value }))),
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses a valid event with an unknown field added, naming that field', () => {
    const added = fc
      .record({ event: validEvent, field: fc.string({ minLength: 1, maxLength: 20 }), value: fc.jsonValue({ maxDepth: 2 }) })
      .filter(({ event, field }) => !Object.hasOwn(event, field) && !knownOptional(field));
    fc.assert(
      fc.property(added, ({ event, field, value }) => {
        // Act
        const result = parseEvent(JSON.stringify({ ...event, [field]: value }));

        // Assess
        return refusedAt(result, field);
      }),
      { numRuns: RUNS },
    );
  });
});

function fieldOf(event: Body, pick: number): string {
  const fields = Object.keys(event);
  return fields[pick % fields.length] ?? 'eventId';
}

/** Optional fields some event type knows; adding one may be valid, so it is not "unknown". */
function knownOptional(name: string): boolean {
  return [
    'timeZone',
    'bindingYears',
    'autoRenew',
    'noticeDays',
    'reminderDays',
    'effectiveDate',
    'priority',
    'onSiteRequired',
    'replacementRequired',
    'summary',
  ].includes(name);
}
