import { describe, expect, it } from 'vitest';
import { ConcurrencyConflictError } from '../../shared/errors.ts';
import { MAX_CONFLICT_ROUNDS, retryOnConflict, type Attempt } from '#usecases/conflict-retry.ts';

const done = (value: string): Attempt<string> => ({ kind: 'done', value });
const conflict: Attempt<string> = { kind: 'conflict' };

describe('retrying on a lost optimistic-locking race', () => {
  it('gives the first round’s value, attempting once', async () => {
    // Arrange
    let attempts = 0;

    // Act
    const value = await retryOnConflict('test', () => {
      attempts += 1;
      return Promise.resolve(done('first'));
    });

    // Assess
    expect(value).toBe('first');
    expect(attempts).toBe(1);
  });

  it('re-attempts after conflicts until one round is done', async () => {
    // Arrange
    let attempts = 0;

    // Act
    const value = await retryOnConflict('test', () => {
      attempts += 1;
      return Promise.resolve(attempts < 3 ? conflict : done(`round ${attempts}`));
    });

    // Assess
    expect(value).toBe('round 3');
    expect(attempts).toBe(3);
  });

  it('hands back a conflict error after the last round lost', async () => {
    // Arrange
    let attempts = 0;

    // Act
    const retried = retryOnConflict('case C-1/K-1', () => {
      attempts += 1;
      return Promise.resolve(conflict);
    });

    // Assess
    await expect(retried).rejects.toThrow(ConcurrencyConflictError);
    await expect(retried).rejects.toThrow(`case C-1/K-1: lost ${MAX_CONFLICT_ROUNDS} optimistic-locking races in a row`);
    expect(attempts).toBe(MAX_CONFLICT_ROUNDS);
  });

  it('rejects, never throws, when the attempt throws or rejects', async () => {
    // Arrange
    const failure = new Error('store down');

    // Act
    const thrown = retryOnConflict('test', () => {
      throw failure;
    });
    const rejected = retryOnConflict('test', () => Promise.reject(failure));

    // Assess
    await expect(thrown).rejects.toBe(failure);
    await expect(rejected).rejects.toBe(failure);
  });
});
