/**
 * Replay (docs/design.md#9-running-it): the real handlers on an engine (memory by default, or the embedded stack's
 * emulators: engines.ts), driven by a virtual clock. Each line is sent to the events queue at its deliverAt and taken through the intake like any message; the sweep
 * runs at every virtual minute where something is due (idle minutes are skipped: the attention index,
 * mirrored from the commits, says when the next one is), the lifecycle at 06:00 Europe/Oslo each day
 * that has a contract due or a loan out (a run with neither changes nothing, so it is skipped too), and every
 * notice is delivered to the SES emulator as soon as it may be sent: at once, or for a credit notice
 * when its contract year has settled (the sweep's re-drive at that virtual minute hands it over).
 */
import { availableParallelism } from 'node:os';
import { compile } from 'zod';
import type { Catalog } from '#domain/model.ts';
import { replayOutputSchema, toReplayContract, toReplayEconomics, toReplayPool, type ReplayOutput } from '#cli/replay/output-schema.ts';
import type { ContractStatement } from '#domain/statement.ts';
import { DAY_MS, MINUTE_MS, toIso, type Instant } from '#domain/time.ts';
import { compileEventSchemaWith } from '#events/parse.ts';
import { queueOfBody, type EventQueue } from '#events/queues.ts';
import { readPoolReport, type PoolReportRow } from '#usecases/pool-report.ts';
import { readStatement } from '#usecases/statement.ts';
import { lifecycleRunAtOrAfter, minuteAtOrAfter, nextLifecycleRun } from '../local/schedules.ts';
import { startReplayEngine, type ReplayEngine, type ReplayEngineKind } from './engines.ts';
import { contractIdInBody, repeatedEventIdsOf, type Delivery } from './input.ts';
import { AttentionMirror } from './attention-mirror.ts';
import { VirtualClock } from './virtual-clock.ts';

export type ReplayOptions = ReplaySettings & ReplayDeliveries;

/** The lines to send, in delivery order. */
export type ReplayDeliveries =
  | { readonly deliveries: readonly Delivery[]; readonly release?: false }
  /**
   * The caller hands the array over: it is emptied at the start, and each delivery is let go once sent,
   * so a portfolio's million lines are not all held to the end of the run beside the store they fill.
   */
  | { readonly deliveries: Delivery[]; readonly release: true };

interface ReplaySettings {
  readonly catalog: Catalog;
  /** The statement instant; lines delivered after it are not replayed. @default the last line's deliverAt */
  readonly until?: Instant;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** Where the state lives: in memory, or in the emulators of the embedded stack. @default 'memory' */
  readonly engine?: ReplayEngineKind;
  /**
   * Worker threads for the memory engine, each replaying a shard of lines that cannot touch another's
   * (shards.ts); 1 runs in this process. The output is the same for every count.
   * @default one per core (at most 8) when the run has 50 000 lines or more, else 1
   */
  readonly jobs?: number;
}

export interface ReplayProgress {
  readonly delivered: number;
  readonly total: number;
  readonly at: Instant;
}

export interface ReplayTally {
  delivered: number;
  sweeps: number;
  lifecycleRuns: number;
  noticesHanded: number;
  /** Wall-clock milliseconds spent per kind of work (a sharded run: summed over its shards). */
  readonly ms: Record<ReplayWork, number>;
  /** Requests the handlers sent to the emulators per kind of work (the time goes almost all to them). */
  readonly requests: Record<ReplayWork, number>;
}

export type ReplayWork = 'intake' | 'sweep' | 'lifecycle' | 'notifier';

export interface ReplayResult {
  readonly output: ReplayOutput;
  /** The full statements behind `output.contracts`, for the readable report. */
  readonly statements: readonly ContractStatement[];
  /** The pool report behind `output.pools`. */
  readonly pools: readonly PoolReportRow[];
  readonly tally: Readonly<ReplayTally>;
  readonly engine: ReplayEngineKind;
  /** The engines the run used: its shards (1: the run was not split). */
  readonly jobs: number;
}

export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const deliveries: (Delivery | null)[] = options.until === undefined ? [...options.deliveries] : options.deliveries.filter((d) => d.deliverAt <= (options.until ?? 0));
  if (options.release === true) options.deliveries.length = 0;
  const total = deliveries.length;
  const first = deliveries[0]?.deliverAt ?? options.until ?? Date.now();
  const until = options.until ?? deliveries.at(-1)?.deliverAt ?? first;
  // Read before the run: the deliveries are let go as they are sent.
  const contractIds = contractIdsOf(deliveries);
  const engine = options.engine ?? 'memory';
  const span = { start: Math.min(first, until), until };
  const jobs = engine === 'memory' ? replayJobs(options.jobs, total) : 1;
  let parts: ReplayPart[];
  if (jobs > 1) {
    // Loaded only for a run that shards: worker threads and the partition stay out of every small replay.
    const { replayInShards } = await import('./shard-pool.ts');
    parts = await replayInShards({
      catalog: options.catalog,
      // Handed over (none is null yet): this frame must not hold a million lines while the workers run.
      deliveries: deliveries.splice(0) as Delivery[],
      jobs,
      ...span,
      contractIds,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  } else {
    parts = [
      await replayPart({
        catalog: options.catalog,
        input: takenInOrder(deliveries),
        ...span,
        statementIds: contractIds,
        repeatedEventIds: repeatedEventIdsOf(deliveries),
        engine,
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      }),
    ];
  }
  return { ...mergedOutput(parts, contractIds, until), tally: summedTally(parts), engine, jobs: parts.length };
}

/** The worker threads a run uses: as asked, or by default one per core (at most 8) for a file large enough to be worth it. */
function replayJobs(asked: number | undefined, total: number): number {
  if (asked !== undefined) return Math.max(1, Math.floor(asked));
  if (total < SHARDED_MIN_DELIVERIES) return 1;
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_JOBS, Math.floor(total / DELIVERIES_PER_DEFAULT_JOB)));
}

/** Below this a run stays in this process: a worker's start (≈ 1 s of module loading) would cost more than it saves. */
export const SHARDED_MIN_DELIVERIES = 50_000;
const DELIVERIES_PER_DEFAULT_JOB = 25_000;
const MAX_DEFAULT_JOBS = 8;

/** The lines one engine replays, taken one at a time in delivery order (each let go as it is taken). */
export interface ReplayInput {
  readonly total: number;
  take(): Delivery | null;
}

/** The deliveries as a replay input, each let go (set to null) once taken. */
export function takenInOrder(deliveries: (Delivery | null)[]): ReplayInput {
  let next = 0;
  return {
    total: deliveries.length,
    take() {
      while (next < deliveries.length) {
        const delivery = deliveries[next] ?? null;
        deliveries[next] = null;
        next += 1;
        if (delivery !== null) return delivery;
      }
      return null;
    },
  };
}

export interface ReplayPartOptions {
  readonly catalog: Catalog;
  readonly input: ReplayInput;
  /** Where the virtual clock starts, and the statement instant. */
  readonly start: Instant;
  readonly until: Instant;
  /** The contracts whose statements the part reads, sorted. */
  readonly statementIds: readonly string[];
  readonly repeatedEventIds: ReadonlySet<string> | null;
  readonly engine: ReplayEngineKind;
  readonly onProgress?: (progress: ReplayProgress) => void;
}

/** What one engine's run gives: the statements of its contracts, its pools, its dead letters and its tally. */
export interface ReplayPart {
  readonly statements: readonly ContractStatement[];
  readonly pools: readonly PoolReportRow[];
  /** `position`: the 0-based place, among the lines this part replayed, of the line whose delivery dead-lettered it. */
  readonly deadLetters: readonly { readonly eventId: string | null; readonly error: string; readonly position: number }[];
  readonly tally: ReplayTally;
}

/** One engine's replay of `input`: the whole run in this process, or one shard of it in a worker thread (shard-worker.ts). */
export async function replayPart(options: ReplayPartOptions): Promise<ReplayPart> {
  // A replay parses thousands of events in one process: worth zod's compiler, which Lambda bundles leave out.
  compileEventSchemaWith((schema) => compile(schema));
  const { input, until } = options;
  const total = input.total;
  const clock = new VirtualClock(options.start);

  const attention = new AttentionMirror(options.catalog.noticeSettleMinutes * MINUTE_MS, options.catalog.parkedRetentionDays * DAY_MS);
  const tally = emptyTally();
  let working: ReplayWork | null = null;
  const stack = await startReplayEngine(options.engine, {
    catalog: options.catalog,
    clock,
    repeatedEventIds: options.repeatedEventIds,
    onCommit: (writes) => attention.observe(writes),
    onRequest: () => {
      if (working !== null) tally.requests[working] += 1;
    },
  });
  try {
    const driver = makeVirtualTimeDriver(stack, clock, tally);
    /** Which delivery dead-lettered each message of the DLQ (only the intake dead-letters, while a line is delivered). */
    const deadLetteredBy: number[] = [];
    let deadLettered = 0;
    for (let position = 0; ; position += 1) {
      const delivery = input.take();
      if (delivery === null) break;
      // Most deliveries have no sweep or lifecycle run before them: no async frame for those.
      if (driver.hasScheduleBefore(delivery.deliverAt)) await driver.runSchedulesBefore(delivery.deliverAt);
      clock.advanceTo(delivery.deliverAt);
      await driver.deliver(delivery.body, delivery.about?.queue ?? queueOfBody(delivery.body));
      tally.delivered += 1;
      const count = stack.deadLetterCount?.() ?? deadLettered;
      for (; deadLettered < count; deadLettered += 1) deadLetteredBy.push(position);
      options.onProgress?.({ delivered: tally.delivered, total, at: delivery.deliverAt });
    }
    await driver.runSchedulesBefore(until + 1);
    clock.advanceTo(until);
    await driver.timed('notifier', async () => {
      tally.noticesHanded += await stack.notices.deliverDue(until);
    });
    return { ...(await collectPart(stack, options.catalog, options.statementIds, until, deadLetteredBy)), tally };
  } finally {
    await stack.stop();
  }

  function makeVirtualTimeDriver(local: ReplayEngine, virtual: VirtualClock, tally: ReplayTally) {
    let lastSweep: Instant | null = null;
    let nextLifecycle = lifecycleRunAtOrAfter(virtual.now());

    async function timed<T>(kind: ReplayWork, work: () => Promise<T>): Promise<T> {
      const started = performance.now();
      working = kind;
      try {
        return await work();
      } finally {
        working = null;
        tally.ms[kind] += performance.now() - started;
      }
    }

    function nextSweepAt(): Instant | null {
      const due = attention.nextDue();
      if (due === null) return null;
      const notBefore = lastSweep === null ? virtual.now() : Math.max(virtual.now(), lastSweep + MINUTE_MS);
      return minuteAtOrAfter(Math.max(due, notBefore));
    }

    /** Whether a commit since the last delivery created notices (an engine that cannot tell: always). */
    function noticesMayBeDue(): boolean {
      return local.noticesCreated?.() !== false;
    }

    async function deliverNotices(): Promise<void> {
      await timed('notifier', async () => {
        tally.noticesHanded += await local.notices.deliverCreated();
      });
    }

    return {
      timed,
      /** Whether a sweep or lifecycle run is due strictly before `instant` (what `runSchedulesBefore` would run first). */
      hasScheduleBefore(instant: Instant): boolean {
        return Math.min(nextSweepAt() ?? Number.POSITIVE_INFINITY, nextLifecycle) < instant;
      },
      /** Every sweep and lifecycle run due strictly before `instant`, in time order. */
      async runSchedulesBefore(instant: Instant): Promise<void> {
        for (;;) {
          const sweepAt = nextSweepAt();
          const at = Math.min(sweepAt ?? Number.POSITIVE_INFINITY, nextLifecycle);
          if (at >= instant) return;
          virtual.advanceTo(at);
          if (at === sweepAt) {
            await timed('sweep', async () => {
              await local.sweep(at);
            });
            attention.swept(at);
            lastSweep = at;
            tally.sweeps += 1;
          }
          if (at === nextLifecycle) {
            // A run with no contract due reads the index and changes nothing: skipped like an idle minute.
            if (attention.lifecycleHasWorkAt(at)) {
              await timed('lifecycle', async () => {
                await local.lifecycle(at);
              });
              tally.lifecycleRuns += 1;
            }
            nextLifecycle = nextLifecycleRun(at);
          }
          if (noticesMayBeDue()) await deliverNotices();
        }
      },
      /**
       * One message through the queue and the intake, with Lambda's retries, until the queue is empty.
       * `queue` as a sender following the contract routes it (`queueOfBody`): contract and case events on their own queues.
       */
      async deliver(body: string, queue: EventQueue): Promise<void> {
        let batch = await timed('intake', async () => {
          await local.send(queue, body);
          return local.pollOnce(queue);
        });
        // A failed message is visible again at once and counted until the redrive policy takes it.
        for (;;) {
          if (noticesMayBeDue()) await deliverNotices();
          if (batch.received === 0 || batch.failed === 0) return;
          batch = await timed('intake', () => local.pollOnce(queue));
        }
      },
    };
  }
}

async function collectPart(
  stack: ReplayEngine,
  catalog: Catalog,
  contractIds: readonly string[],
  asOf: Instant,
  deadLetteredBy: readonly number[],
): Promise<Omit<ReplayPart, 'tally'>> {
  const statements: ContractStatement[] = [];
  for (const contractId of contractIds) {
    // A pool or loan event may name a contract never registered: it has no statement.
    const statement = await readStatement(stack.store, catalog, contractId, asOf, stack.pools);
    if (statement !== null) statements.push(statement);
  }
  const pools = await readPoolReport(stack.pools, catalog, asOf);
  const deadLetters = (await stack.deadLetters()).map(({ eventId, error }, at) => ({ eventId, error, position: deadLetteredBy[at] ?? -1 }));
  return { statements, pools, deadLetters };
}

/**
 * The parts' statements in the order of `contractIds`, their pools by pool id (as one store lists them), their
 * dead letters in the order the lines were delivered: a sharded run's output is the one-engine run's, byte for byte.
 * A part's dead letters carry their positions already mapped to the whole run's delivery order.
 */
function mergedOutput(parts: readonly ReplayPart[], contractIds: readonly string[], asOf: Instant): Omit<ReplayResult, 'tally' | 'engine' | 'jobs'> {
  const only = parts.length === 1 ? parts[0] : undefined;
  const byContract = new Map(parts.flatMap((part) => part.statements.map((statement) => [statement.contractId, statement] as const)));
  const statements = only?.statements ?? contractIds.flatMap((id) => byContract.get(id) ?? []);
  const pools = only?.pools ?? parts.flatMap((part) => part.pools).sort((a, b) => (a.poolId < b.poolId ? -1 : 1));
  // Stable: dead letters of one delivery keep their order.
  const deadLetters = only?.deadLetters ?? parts.flatMap((part) => part.deadLetters).sort((a, b) => a.position - b.position);
  const output = compiledOutputSchema().parse({
    version: 1,
    asOf: toIso(asOf),
    contracts: statements.map(toReplayContract),
    pools: pools.map(toReplayPool),
    notices: statements.flatMap((statement) =>
      statement.notices.map(({ id, type, contractId, to, locale, state }) => ({ id, type, contractId, to, locale, state })),
    ),
    deadLetters: deadLetters.map(({ eventId, error }) => ({ eventId, error })),
    economics: toReplayEconomics(statements),
  });
  return { output, statements, pools };
}

function emptyTally(): ReplayTally {
  return {
    delivered: 0,
    sweeps: 0,
    lifecycleRuns: 0,
    noticesHanded: 0,
    ms: { intake: 0, sweep: 0, lifecycle: 0, notifier: 0 },
    requests: { intake: 0, sweep: 0, lifecycle: 0, notifier: 0 },
  };
}

function summedTally(parts: readonly ReplayPart[]): ReplayTally {
  const tally = emptyTally();
  for (const part of parts) {
    tally.delivered += part.tally.delivered;
    tally.sweeps += part.tally.sweeps;
    tally.lifecycleRuns += part.tally.lifecycleRuns;
    tally.noticesHanded += part.tally.noticesHanded;
    for (const work of REPLAY_WORK) {
      tally.ms[work] += part.tally.ms[work];
      tally.requests[work] += part.tally.requests[work];
    }
  }
  return tally;
}

const REPLAY_WORK: readonly ReplayWork[] = ['intake', 'sweep', 'lifecycle', 'notifier'];

/**
 * The output contract compiled (`z.compile`, as shared/events/parse.ts compiles v1), once per process: a
 * run's output is thousands of small strict objects (years, months, notices), which the generated parser
 * checks and rebuilds in the schema's key order several times faster than the interpreted parse, compiling
 * included (≈ 10 ms against ≈ 50–80 ms for the bench year). An output it refuses goes to the interpreted
 * parse, so what fails and with which issues stays zod's own.
 */
let compiledOutput: typeof replayOutputSchema | null = null;

function compiledOutputSchema(): typeof replayOutputSchema {
  compiledOutput ??= compile(replayOutputSchema);
  return compiledOutput;
}

/** The contracts the lines name, sorted: the statements the output reads. */
function contractIdsOf(deliveries: readonly (Delivery | null)[]): string[] {
  const ids = new Set<string>();
  for (const d of deliveries) {
    if (d === null) continue;
    const id = d.about === undefined ? contractIdInBody(d.body) : d.about.contractId;
    if (id !== null) ids.add(id);
  }
  return [...ids].sort();
}

