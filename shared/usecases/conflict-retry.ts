/**
 * Optimistic locking: an attempt that lost a race re-reads and re-applies, a few times, before the
 * record is handed back to SQS for redelivery.
 */
import { ConcurrencyConflictError } from '../errors.ts';
import { rejectedWith } from '../promises.ts';

/** Rounds of read, apply and commit before a lost race is handed back (not notice-timing.ts's leases). */
export const MAX_CONFLICT_ROUNDS = 5;

export type Attempt<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'conflict' };

/**
 * The first round chains onto the attempt's promise instead of awaiting it in an async function: it
 * succeeds for nearly every event, and an async frame per event is garbage the replay pays for. A
 * conflict goes on to the rounds that follow; a throw is still a rejection.
 */
export function retryOnConflict<T>(what: string, attempt: () => Promise<Attempt<T>>): Promise<T> {
  let first: Promise<Attempt<T>>;
  try {
    first = attempt();
  } catch (error: unknown) {
    return rejectedWith(error);
  }
  return first.then((result) => (result.kind === 'done' ? result.value : retryAfterConflict(what, attempt)));
}

/** Rounds 2 onwards, after the first lost its race. */
async function retryAfterConflict<T>(what: string, attempt: () => Promise<Attempt<T>>): Promise<T> {
  for (let round = 2; round <= MAX_CONFLICT_ROUNDS; round += 1) {
    // Jitter (growing with the rounds lost) so two writers that collided do not collide again in lockstep.
    const lost = round - 1;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * lost));
    const result = await attempt();
    if (result.kind === 'done') return result.value;
  }
  throw new ConcurrencyConflictError(`${what}: lost ${MAX_CONFLICT_ROUNDS} optimistic-locking races in a row`);
}
