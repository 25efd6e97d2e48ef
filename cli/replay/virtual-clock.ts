/** Replay's clock: it only moves when the replay moves it, and never backwards. */
import { toIso, type Instant } from '#domain/time.ts';
import type { Clock } from '#usecases/ports.ts';

export class VirtualClock implements Clock {
  constructor(private current: Instant) {}

  now(): Instant {
    return this.current;
  }

  advanceTo(instant: Instant): void {
    if (instant < this.current) throw new RangeError(`the virtual clock cannot go back from ${toIso(this.current)} to ${toIso(instant)}`);
    this.current = instant;
  }
}
