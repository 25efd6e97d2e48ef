/**
 * The schedules of the CDK stack, as instants: the sweep at every minute boundary, the lifecycle at
 * 06:00 Europe/Oslo every day (infra/constructs/lifecycle.ts).
 */
import { addDays, instantOfWallTime, localDateAt, MINUTE_MS, type Instant } from '#domain/time.ts';

export const LIFECYCLE_ZONE = 'Europe/Oslo';
export const LIFECYCLE_MINUTE_OF_DAY = 6 * 60;

/** The first minute boundary at or after `instant`. */
export function minuteAtOrAfter(instant: Instant): Instant {
  return Math.ceil(instant / MINUTE_MS) * MINUTE_MS;
}

/** The first daily lifecycle run at or after `instant`. */
export function lifecycleRunAtOrAfter(instant: Instant): Instant {
  const today = localDateAt(instant, LIFECYCLE_ZONE);
  const run = instantOfWallTime(today, LIFECYCLE_MINUTE_OF_DAY, LIFECYCLE_ZONE);
  return run >= instant ? run : instantOfWallTime(addDays(today, 1), LIFECYCLE_MINUTE_OF_DAY, LIFECYCLE_ZONE);
}

/** The lifecycle run the day after the one at `run`. */
export function nextLifecycleRun(run: Instant): Instant {
  return lifecycleRunAtOrAfter(run + 1);
}
