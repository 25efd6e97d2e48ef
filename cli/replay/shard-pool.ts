/**
 * A replay in shards (docs/design.md#9-running-it): the lines split into groups that cannot touch one another
 * (shards.ts), each shard replayed by the real handlers on its own memory engine in a worker thread, and the
 * parts handed back for run-replay.ts to merge. On a machine with more than one core a portfolio's year takes
 * about its time divided by the shards; the output is the one-engine run's.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
  const { deliveries, catalog, start, until, contractIds } = options;
  // Started first: each loads the handlers (about a second) while this thread splits the lines.
  // No more than there can be groups (each names a contract, but for a few poison or pool lines).
  const workers = Array.from({ length: Math.min(options.jobs, Math.max(2, contractIds.length)) }, () => new ShardWorker());
  try {
    const shards = shardsOf(deliveries, workers.length);
    if (shards.length <= 1) {
      // One group links every line (a shared pool, a late source…): nothing to run beside it.
      await Promise.all(workers.map((worker) => worker.stop()));
      const repeatedEventIds = repeatedEventIdsOf(deliveries);
      return [await replayPart({ catalog, input: takenInOrder(deliveries), start, until, statementIds: contractIds, repeatedEventIds, engine: 'memory', ...onProgressOf(options) })];
    }
    const progress = new ShardProgress(
      shards.map((indices) => indices.length),
      start,
      options.onProgress,
    );
    const parts = shards.map((indices, shard) => {
      const worker = workers[shard];
      if (worker === undefined) throw new RangeError(`no worker for shard ${shard}`);
      // Each payload is moved into its worker and not kept here: the lines live in one thread at a time.
      return worker.replay(shardPayload(deliveries, indices, { catalog, start, until, contractIds }), (delivered, at) => progress.update(shard, delivered, at));
    });
    await Promise.all(workers.slice(shards.length).map((worker) => worker.stop()));
    deliveries.length = 0;
    collectGarbage();
    return await Promise.all(parts);
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

/** A worker thread that replays the one shard it is sent (shard-worker.ts), or reports why it could not. */
class ShardWorker {
  private readonly worker = new Worker(new URL('./shard-worker.js', import.meta.url), {
    // The worker registers its own TypeScript loader; flags meant for this process's entry are not its own.
    execArgv: [],
  });
  private readonly ended: Promise<ReplayPart>;
  private onProgress: (delivered: number, at: Instant) => void = () => undefined;

  constructor() {
    this.ended = new Promise<ReplayPart>((resolve, reject) => {
      let part: ReplayPart | null = null;
      this.worker.on('message', (message: ShardMessage) => {
        if (message.kind === 'progress') this.onProgress(message.delivered, message.at);
        else if (message.kind === 'done') part = message.part;
        else {
          const cause = Object.assign(new Error(message.message), { stack: message.stack });
          reject(new Error(`replay shard failed: ${message.message}`, { cause }));
        }
      });
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => {
        if (part !== null) resolve(part);
        else reject(new Error(`replay shard stopped (exit code ${code}) before it finished`));
      });
    });
    // A worker stopped unused, or one whose failure another shard's already reports, is not an unhandled rejection.
    this.ended.catch(() => undefined);
  }

  replay(payload: ShardPayload, onProgress: (delivered: number, at: Instant) => void): Promise<ReplayPart> {
    this.onProgress = onProgress;
    this.worker.postMessage(payload, transferablesOf(payload));
    return this.ended;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
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

/**
 * One full collection of this thread's heap, now that the lines are in the workers. This thread then only waits,
 * and a waiting isolate allocates nothing that would start a major GC: the file's lines and their parse (about
 * 900 MB for a million) would stay resident to the end beside the workers' heaps. V8 exposes `gc` only behind a
 * flag, which may be set at run time; the function is then read from a fresh context. Where that fails, nothing
 * is lost but the memory.
 */
function collectGarbage(): void {
  try {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) {
      exposed();
      return;
    }
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') (gc as () => void)();
  } catch {
    // Only memory: the heap is collected when it next fills.
  }
}
