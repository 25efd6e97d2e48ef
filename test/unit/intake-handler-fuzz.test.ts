/**
 * Fuzzing the event parser where it meets the queue: random and mutated SQS bodies through the intake
 * handler with the real intake use case (memory store). Every body must end accepted (applied,
 * duplicate, parked or rejected with a reason) or dead-lettered with a reason and its body untouched;
 * no body may fail its record, which SQS would redeliver until the DLQ took it without a reason.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES, EVENT_TYPES } from '#domain/model.ts';
import { makeIntakeHandler, type IntakeHandler } from '#functions/intake/app.ts';
import type { DeadLetterAttributes } from '#functions/intake/dead-letters.ts';
import { makeIntake } from '#usecases/intake.ts';
import type { EventOutcome } from '#usecases/ports.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aRegistration, defaultCatalog, TestClock } from '#test/support/factories/events.ts';
import { aCaseEvent, aCaseOpened, aContractRegistered, aTerminationRequested } from '#test/support/factories/event-bodies.ts';
import { aLambdaContext, anSqsRecord, QUEUE_ARNS } from '#test/support/factories/sqs.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';

/** 1,100 batches of 1–10 bodies per property: well over 10,000 bodies in all. */
const RUNS = 1_100;

type Body = Record<string, unknown>;

interface Fate {
  readonly accepted: EventOutcome[];
  readonly deadLettered: { body: string; attributes: DeadLetterAttributes }[];
}

let fate: Fate = { accepted: [], deadLettered: [] };
let handler: IntakeHandler;
let bodiesSeen = 0;

beforeAll(async () => {
  const store = new MemoryStore();
  const intake = makeIntake({ store, catalog: defaultCatalog(), clock: new TestClock(Date.parse('2026-11-28T09:00:00Z')) });
  // A registered contract, so mutated case events reach the rules instead of all being parked.
  await intake.processEvent(aRegistration());
  const logger = makeLogger('intake-fuzz');
  handler = makeIntakeHandler({
    intake: {
      recordArrivals: (events) => intake.recordArrivals(events),
      async processEvent(event, lags) {
        const outcome = await intake.processEvent(event, lags);
        fate.accepted.push(outcome);
        return outcome;
      },
    },
    deadLetters: {
      send(body, attributes) {
        fate.deadLettered.push({ body, attributes });
        return Promise.resolve();
      },
    },
    logger,
    metrics: makeMetrics('AftercareFuzz', 'intake', logger),
    queueArns: QUEUE_ARNS,
  });
});

const validBody: fc.Arbitrary<Body> = fc.oneof(
  fc.constant(aContractRegistered()),
  fc.constant(aTerminationRequested()),
  fc.constant(aCaseOpened({ priority: 'high', onSiteRequired: true, replacementRequired: true, summary: 'Scanner down' })),
  fc.constantFrom(...CASE_EVENT_TYPES).map((type) => aCaseEvent(type)),
);

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(...EVENT_TYPES, 'premium', 'nb', 'notice', 'credit_cap_breach', 'awaiting_customer', 'C-1', 'K-1'),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
);

/** One mutation of a valid event's text: a field changed, dropped or added, or the text itself damaged. */
const mutatedBody: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(validBody, fc.nat(), anyValue).map(([event, pick, value]) => JSON.stringify({ ...event, [fieldOf(event, pick)]: value })),
  fc.tuple(validBody, fc.nat()).map(([event, pick]) => {
    const { [fieldOf(event, pick)]: _dropped, ...rest } = event;
    return JSON.stringify(rest);
  }),
  fc.tuple(validBody, fc.string({ minLength: 1, maxLength: 12 }), anyValue).map(([event, field, value]) => JSON.stringify({ [field]: value, ...event })),
  fc.tuple(validBody, fc.nat()).map(([event, cut]) => {
    const text = JSON.stringify(event);
    return text.slice(0, cut % text.length);
  }),
  fc.tuple(validBody, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(([event, at, noise]) => {
    const text = JSON.stringify(event);
    const position = at % text.length;
    return `${text.slice(0, position)}${noise}${text.slice(position)}`;
  }),
  // Valid bodies with fresh ids: they must be accepted, often applied to the registered contract.
  fc.tuple(validBody, fc.uuid()).map(([event, id]) =>
    JSON.stringify({ ...event, eventId: `fuzz-${id}`, ...('caseId' in event ? { caseId: `K-${id.slice(0, 4)}` } : {}) }),
  ),
);

const randomBody: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.dictionary(fc.constantFrom('eventId', 'type', 'occurredAt', 'contractId', 'caseId', 'reason', 'x'), anyValue).map((o) => JSON.stringify(o)),
);

function fieldOf(event: Body, pick: number): string {
  const fields = Object.keys(event);
  return fields[pick % fields.length] ?? 'eventId';
}

/** Sends one batch; true when every body ended accepted or dead-lettered with a reason, exactly once. */
async function everyBodyHasAFate(bodies: readonly string[]): Promise<boolean> {
  fate = { accepted: [], deadLettered: [] };
  const batch = { Records: bodies.map((body) => anSqsRecord(body)) };
  const response = await handler(batch, aLambdaContext('intake-fuzz'));
  bodiesSeen += bodies.length;
  const reasoned = fate.deadLettered.every(
    ({ body, attributes }) => bodies.includes(body) && attributes.errorMessage.length > 0 && attributes.errorPath.length > 0,
  );
  const rejectionsReasoned = fate.accepted.every((outcome) => outcome.kind !== 'rejected' || outcome.reason.length > 0);
  return (
    response.batchItemFailures.length === 0 &&
    fate.accepted.length + fate.deadLettered.length === bodies.length &&
    reasoned &&
    rejectionsReasoned
  );
}

describe('the intake handler gives every body a fate and never fails a record', () => {
  it('for random bodies, JSON or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(randomBody, { minLength: 1, maxLength: 10 }), everyBodyHasAFate),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('for valid events mutated one field or one byte at a time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutatedBody, { minLength: 1, maxLength: 10 }), everyBodyHasAFate),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('sent at least 10,000 bodies through the handler', () => {
    expect(bodiesSeen).toBeGreaterThanOrEqual(10_000);
  });
});
