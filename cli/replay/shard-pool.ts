/**
 * A replay in shards (docs/design.md#9-running-it): the lines split into groups that cannot touch one another
 * (shards.ts), each shard replayed by the real handlers on its own memory engine in a worker thread, and the
 * parts handed back for run-replay.ts to merge. On a machine with more than one core a portfolio's year takes
 * about its time divided by the shards; the output is the one-engine run's.
 */
import { Worker } from 'node:worker_threads';
import type { Catalog } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import { repeatedEventIdsOf, type Delivery } from './input.ts';
import { replayPart, takenInOrder, type ReplayPart, type ReplayProgress } from './run-replay.ts';
import { shardPayload, transferablesOf, type ShardMessage, type ShardPayload } from './shard-payload.ts';
import { shardsOf } from './shards.ts';

export interface ShardedReplayOptions {
  readonly catalog: Catalog;
  /** Handed over: emptied once the shards are packed. */
  readonly deliveries: Delivery[];
  readonly jobs: number;
  readonly start: Instant;
  readonly until: Instant;
  /** Every contract the lines name, sorted. */
  readonly contractIds: readonly string[];
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export async function replayInShards(options: ShardedReplayOptions): Promise<ReplayPart[]> {
  const { deliveries, catalog, start, until } = options;
  const shards = shardsOf(deliveries, options.jobs);
  if (shards.length <= 1) {
    // One group links every line (a shared pool, a late source…): nothing to run beside it.
    const repeatedEventIds = repeatedEventIdsOf(deliveries);
    return [await replayPart({ catalog, input: takenInOrder(deliveries), start, until, statementIds: options.contractIds, repeatedEventIds, engine: 'memory', ...onProgressOf(options) })];
  }
  const progress = new ShardProgress(
    shards.map((indices) => indices.length),
    start,
    options.onProgress,
  );
  const workers: Worker[] = [];
  const parts: Promise<ReplayPart>[] = [];
  try {
    shards.forEach((indices, shard) => {
      const lines = indices.map((index) => deliveries[index]).filter((d): d is Delivery => d !== undefined);
      const repeated = repeatedEventIdsOf(lines);
      const named = new Set(lines.flatMap((d) => (d.about?.contractId == null ? [] : [d.about.contractId])));
      const statementIds = options.contractIds.filter((id) => named.has(id));
      const payload = shardPayload(lines, { catalog, start, until, statementIds, repeatedEventIds: repeated === null ? null : [...repeated] }, indices);
      // Each payload is cloned into its worker and not kept here: the lines live in one thread at a time.
      parts.push(runShard(payload, workers, (delivered, at) => progress.update(shard, delivered, at)));
    });
    deliveries.length = 0;
    return await Promise.all(parts);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** One shard in a worker thread: its part, or the worker's error (the other shards are then stopped). */
function runShard(payload: ShardPayload, workers: Worker[], onProgress: (delivered: number, at: Instant) => void): Promise<ReplayPart> {
  const worker = new Worker(new URL('./shard-worker.js', import.meta.url), {
    workerData: payload,
    transferList: transferablesOf(payload),
    // The worker registers its own TypeScript loader; flags meant for this process's entry are not its own.
    execArgv: [],
  });
  workers.push(worker);
  return new Promise<ReplayPart>((resolve, reject) => {
    let part: ReplayPart | null = null;
    worker.on('message', (message: ShardMessage) => {
      if (message.kind === 'progress') onProgress(message.delivered, message.at);
      else if (message.kind === 'done') part = message.part;
      else reject(Object.assign(new Error(`replay shard failed: ${message.message}`), { stack: message.stack }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (part !== null) resolve(part);
      else reject(new Error(`replay shard stopped (exit code ${code}) before it finished`));
    });
  });
}

/** The whole run's progress from its shards': lines delivered in all, and the virtual time every unfinished shard has reached. */
class ShardProgress {
  private readonly delivered: number[];
  private readonly at: Instant[];
  private readonly total: number;

  constructor(
    private readonly lines: readonly number[],
    start: Instant,
    private readonly report: ((progress: ReplayProgress) => void) | undefined,
  ) {
    this.delivered = lines.map(() => 0);
    this.at = lines.map(() => start);
    this.total = lines.reduce((sum, n) => sum + n, 0);
  }

  update(shard: number, delivered: number, at: Instant): void {
    if (this.report === undefined) return;
    this.delivered[shard] = delivered;
    this.at[shard] = at;
    const running = this.at.filter((_, index) => (this.delivered[index] ?? 0) < (this.lines[index] ?? 0));
    const reached = running.length === 0 ? Math.max(...this.at) : Math.min(...running);
    this.report({ delivered: this.delivered.reduce((sum, n) => sum + n, 0), total: this.total, at: reached });
  }
}

function onProgressOf(options: ShardedReplayOptions): { onProgress?: (progress: ReplayProgress) => void } {
  return options.onProgress === undefined ? {} : { onProgress: options.onProgress };
}
