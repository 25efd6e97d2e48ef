/**
 * The clock of notice delivery, shared by the notifier and the sweep (docs/notices-delivery.md).
 */
import type { Instant } from '#domain/time.ts';

/** Longer than the notifier's timeout (30 s), so a live invocation never loses its lease. */
export const LEASE_MS = 120_000;

/** SendEmail tries within one invocation when SES throttles or fails with a 5xx. */
export const SEND_TRIES = 3;
const FIRST_RETRY_MS = 250;

/** Leases a notice may take before it is given up as failed. */
export const MAX_NOTICE_LEASES = 8;
const FIRST_DEFERRAL_MS = 60_000;
const MAX_DEFERRAL_MS = 30 * 60_000;

/** A pending notice the stream has not delivered after this long is re-driven by the sweep. */
export const REDRIVE_AFTER_MS = 120_000;

/** Wait before send try `tryNumber + 1` inside an invocation: 250 ms, 500 ms, … */
export function retryDelayMs(tryNumber: number): number {
  return FIRST_RETRY_MS * 2 ** (tryNumber - 1);
}

/** When a released lease may be taken again: 1, 2, 4 … minutes after attempt `attempt`, at most 30. */
export function nextAttemptAt(now: Instant, attempt: number): Instant {
  return now + Math.min(FIRST_DEFERRAL_MS * 2 ** (attempt - 1), MAX_DEFERRAL_MS);
}
