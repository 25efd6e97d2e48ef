import { describe, expect, it } from 'vitest';
import {
  CatalogError,
  ConcurrencyConflictError,
  ConfigurationError,
  ItemSizeLimitError,
  PoisonMessageError,
  RuleRefusalError,
  TransactionLimitError,
  TransientDependencyError,
  UnknownCalendarError,
} from '../../shared/errors.ts';
import { outcomeOfFailure } from '../../shared/outcomes.ts';

const LAST = { attempt: 5, maxAttempts: 5 };
const EARLY = { attempt: 2, maxAttempts: 5 };

describe('one mapping turns every error into an outcome', () => {
  it('dead-letters poison with its field path and reason, whatever the attempt', () => {
    expect(outcomeOfFailure(new PoisonMessageError('caseId', 'Required'), LAST)).toEqual({
      kind: 'dead-letter',
      code: 'POISON_MESSAGE',
      path: 'caseId',
      reason: 'Required',
    });
  });

  it('rejects a valid event the rules refuse, with the reason', () => {
    expect(outcomeOfFailure(new RuleRefusalError('a case may hold at most 2000 events'))).toEqual({
      kind: 'reject',
      code: 'RULE_REFUSAL',
      reason: 'a case may hold at most 2000 events',
    });
  });

  it.each([
    ['a lost optimistic-locking race', new ConcurrencyConflictError('lost 5 races'), 'CONCURRENCY_CONFLICT'],
    ['throttling', new TransientDependencyError('DynamoDB: ThrottlingException'), 'TRANSIENT_DEPENDENCY'],
  ])('retries %s as transient while attempts are left, then quarantines it', (_label, error, code) => {
    expect(outcomeOfFailure(error, EARLY)).toMatchObject({ kind: 'retry', code, transient: true });
    expect(outcomeOfFailure(error)).toMatchObject({ kind: 'retry', transient: true });
    expect(outcomeOfFailure(error, LAST)).toMatchObject({ kind: 'quarantine', code });
  });

  it.each([
    ['a configuration fault', new ConfigurationError('service level "gold" is not in the catalog'), 'CONFIGURATION'],
    ['an invalid catalog', new CatalogError('CATALOG_INVALID', ['levels.gold: missing']), 'CATALOG_INVALID'],
    ['a calendar the catalog lacks', new UnknownCalendarError('oslo'), 'UNKNOWN_CALENDAR'],
    ['a commit past 100 transaction items', new TransactionLimitError('a commit of 101 transaction items'), 'TransactionLimitError'],
    ['an overflow leaf past its size', new ItemSizeLimitError('overflow leaf 01 would hold 400000 bytes'), 'ItemSizeLimitError'],
  ])('quarantines %s at once: retrying the same input cannot fix it', (_label, error, code) => {
    expect(outcomeOfFailure(error, EARLY)).toMatchObject({ kind: 'quarantine', code });
    expect(outcomeOfFailure(error)).toMatchObject({ kind: 'quarantine', code });
  });

  it('retries an error nobody named (not transient) until the last attempt, then quarantines it with the count', () => {
    const error = new RangeError('corrupt case event: 9|x||e');
    expect(outcomeOfFailure(error, EARLY)).toEqual({ kind: 'retry', code: 'RangeError', reason: 'RangeError: corrupt case event: 9|x||e', transient: false });
    expect(outcomeOfFailure(error, LAST)).toEqual({
      kind: 'quarantine',
      code: 'RangeError',
      reason: 'RangeError: corrupt case event: 9|x||e (failed 5 times)',
    });
    expect(outcomeOfFailure('a string', EARLY)).toMatchObject({ kind: 'retry', code: 'UNEXPECTED', reason: 'thrown value: a string' });
  });

  it('bounds the reason it carries', () => {
    const outcome = outcomeOfFailure(new Error('x'.repeat(5_000)));
    expect(outcome.kind === 'retry' && outcome.reason.length).toBe(500);
  });
});
