/**
 * An in-memory SourceLagRepository with the DynamoDB adapter's semantics: a raise only ever increases
 * its minute (a lower or equal one changes nothing, not even the expired minutes), and counts as a write.
 */
import type { LatenessRaise, SourceLateness } from '#domain/source-lag.ts';
import type { SourceLagRepository } from '../source-lag-repository.ts';
import { compareKeys } from './attention-index.ts';

export class MemorySourceLags implements SourceLagRepository {
  readonly sources = new Map<string, Map<number, number>>();
  /** Raises that changed the stored state (each one UpdateItem that landed). */
  writes = 0;
  reads = 0;

  readAll(): Promise<SourceLateness[]> {
    this.reads += 1;
    return Promise.resolve(
      // In sort-key order (SOURCE#<source>), as the Query over the SOURCES partition returns them.
      [...this.sources]
        .sort(([a], [b]) => compareKeys(a, b))
        .map(([source, minutes]) => ({
          source,
          minutes: [...minutes].sort(([a], [b]) => a - b).map(([minute, latenessMs]) => ({ minute, latenessMs })),
        })),
    );
  }

  raise({ source, minute, latenessMs, expired }: LatenessRaise): Promise<void> {
    const minutes = this.sources.get(source) ?? new Map<number, number>();
    if ((minutes.get(minute) ?? -Infinity) >= latenessMs) return Promise.resolve();
    for (const old of expired) if (old !== minute) minutes.delete(old);
    minutes.set(minute, latenessMs);
    this.sources.set(source, minutes);
    this.writes += 1;
    return Promise.resolve();
  }
}
