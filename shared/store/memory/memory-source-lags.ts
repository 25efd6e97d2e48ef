/**
 * An in-memory SourceLagRepository with the DynamoDB adapter's semantics: a raise only ever increases
 * its minute (a lower or equal one changes nothing, not even the expired minutes), and counts as a write.
 */
import type { LatenessRaise, SourceLateness } from '#domain/source-lag.ts';
import type { SourceLagRepository } from '../source-lag-repository.ts';
import { compareKeys } from './attention-index.ts';

export class MemorySourceLags implements SourceLagRepository {
  private readonly sources = new Map<string, Map<number, number>>();
  /**
   * What `readAll` answers until a raise lands: every intake batch reads the whole state, and most change
   * nothing (on-time traffic raises nothing). Never changed in place: a raise drops it for the next read.
   */
  private snapshot: SourceLateness[] | null = null;
  /** Raises that changed the stored state (each one UpdateItem that landed). */
  writes = 0;
  reads = 0;

  readAll(): Promise<SourceLateness[]> {
    this.reads += 1;
    this.snapshot ??= this.sorted();
    return Promise.resolve(this.snapshot);
  }

  raise({ source, minute, latenessMs, expired }: LatenessRaise): Promise<void> {
    const minutes = this.sources.get(source) ?? new Map<number, number>();
    if ((minutes.get(minute) ?? -Infinity) >= latenessMs) return Promise.resolve();
    for (const old of expired) if (old !== minute) minutes.delete(old);
    minutes.set(minute, latenessMs);
    this.sources.set(source, minutes);
    this.snapshot = null;
    this.writes += 1;
    return Promise.resolve();
  }

  /** In sort-key order (SOURCE#<source>), as the Query over the SOURCES partition returns them. */
  private sorted(): SourceLateness[] {
    return [...this.sources]
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([source, minutes]) => ({
        source,
        minutes: [...minutes].sort(([a], [b]) => a - b).map(([minute, latenessMs]) => ({ minute, latenessMs })),
      }));
  }
}
