/**
 * Optimistic locking: an attempt that lost a race re-reads and re-applies, a few times, before the
 * record is handed back to SQS for redelivery.
 */
import { ConcurrencyConflictError } from '../errors.ts';

/** Rounds of read, apply and commit before a lost race is handed back (not notice-timing.ts's leases). */
export const MAX_CONFLICT_ROUNDS = 5;

export type Attempt<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'conflict' };

export async function retryOnConflict<T>(what: string, attempt: () => Promise<Attempt<T>>): Promise<T> {
  for (let round = 1; round <= MAX_CONFLICT_ROUNDS; round += 1) {
    const result = await attempt();
    if (result.kind === 'done') return result.value;
    // Jitter so two writers that collided do not collide again in lockstep.
    if (round < MAX_CONFLICT_ROUNDS) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * round));
  }
  throw new ConcurrencyConflictError(`${what}: lost ${MAX_CONFLICT_ROUNDS} optimistic-locking races in a row`);
}
