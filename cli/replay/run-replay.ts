/**
 * Replay (docs/design.md#9-running-it): the real handlers on an engine (memory by default, or the embedded stack's
 * emulators: engines.ts), driven by a virtual clock. Each line is sent to the events queue at its deliverAt and taken through the intake like any message; the sweep
 * runs at every virtual minute where something is due (idle minutes are skipped: the attention index,
 * mirrored from the commits, says when the next one is), the lifecycle at 06:00 Europe/Oslo each day
 * that has a contract due or a loan out (a run with neither changes nothing, so it is skipped too), and every
 * notice is delivered to the SES emulator as soon as it may be sent: at once, or for a credit notice
 * when its contract year has settled (the sweep's re-drive at that virtual minute hands it over).
 */
import { compile } from 'zod';
import type { Catalog } from '#domain/model.ts';
import { replayOutputSchema, toReplayContract, toReplayEconomics, toReplayPool, type ReplayOutput } from '#cli/replay/output-schema.ts';
import type { ContractStatement } from '#domain/statement.ts';
import { MINUTE_MS, toIso, type Instant } from '#domain/time.ts';
import { compileEventSchemaWith } from '#events/parse.ts';
import { queueOfBody, type EventQueue } from '#events/queues.ts';
import { readPoolReport, type PoolReportRow } from '#usecases/pool-report.ts';
import { readStatement } from '#usecases/statement.ts';
import { lifecycleRunAtOrAfter, minuteAtOrAfter, nextLifecycleRun } from '../local/schedules.ts';
import { startReplayEngine, type ReplayEngine, type ReplayEngineKind } from './engines.ts';
import { repeatedEventIdsOf, type Delivery } from './input.ts';
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
  /** Wall-clock milliseconds spent per kind of work. */
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
}

export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  // A replay parses thousands of events in one process: worth zod's compiler, which Lambda bundles leave out.
  compileEventSchemaWith((schema) => compile(schema));
  const deliveries: (Delivery | null)[] = options.until === undefined ? [...options.deliveries] : options.deliveries.filter((d) => d.deliverAt <= (options.until ?? 0));
  if (options.release === true) options.deliveries.length = 0;
  const total = deliveries.length;
  const first = deliveries[0]?.deliverAt ?? options.until ?? Date.now();
  const until = options.until ?? deliveries.at(-1)?.deliverAt ?? first;
  // Read before the run: the deliveries are let go as they are sent.
  const contractIds = contractIdsOf(deliveries);
  const repeatedEventIds = repeatedEventIdsOf(deliveries);
  const clock = new VirtualClock(Math.min(first, until));

  const attention = new AttentionMirror(options.catalog.noticeSettleMinutes * MINUTE_MS);
  const tally: ReplayTally = {
    delivered: 0,
    sweeps: 0,
    lifecycleRuns: 0,
    noticesHanded: 0,
    ms: { intake: 0, sweep: 0, lifecycle: 0, notifier: 0 },
    requests: { intake: 0, sweep: 0, lifecycle: 0, notifier: 0 },
  };
  let working: ReplayWork | null = null;
  const engine = options.engine ?? 'memory';
  const stack = await startReplayEngine(engine, {
    catalog: options.catalog,
    clock,
    repeatedEventIds,
    onCommit: (writes) => attention.observe(writes),
    onRequest: () => {
      if (working !== null) tally.requests[working] += 1;
    },
  });
  try {
    const driver = makeVirtualTimeDriver(stack, clock, tally);
    for (let index = 0; index < total; index += 1) {
      const delivery = deliveries[index] ?? null;
      if (delivery === null) continue;
      deliveries[index] = null;
      // Most deliveries have no sweep or lifecycle run before them: no async frame for those.
      if (driver.hasScheduleBefore(delivery.deliverAt)) await driver.runSchedulesBefore(delivery.deliverAt);
      clock.advanceTo(delivery.deliverAt);
      await driver.deliver(delivery.body, delivery.about?.queue ?? queueOfBody(delivery.body));
      tally.delivered += 1;
      options.onProgress?.({ delivered: tally.delivered, total, at: delivery.deliverAt });
    }
    await driver.runSchedulesBefore(until + 1);
    clock.advanceTo(until);
    await driver.timed('notifier', async () => {
      tally.noticesHanded += await stack.notices.deliverDue(until);
    });
    return { ...(await collectOutput(stack, options.catalog, contractIds, until)), tally, engine };
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

async function collectOutput(
  stack: ReplayEngine,
  catalog: Catalog,
  contractIds: readonly string[],
  asOf: Instant,
): Promise<Omit<ReplayResult, 'tally' | 'engine'>> {
  const statements: ContractStatement[] = [];
  for (const contractId of contractIds) {
    // A pool or loan event may name a contract never registered: it has no statement.
    const statement = await readStatement(stack.store, catalog, contractId, asOf, stack.pools);
    if (statement !== null) statements.push(statement);
  }
  const pools = await readPoolReport(stack.pools, catalog, asOf);
  const deadLetters = await stack.deadLetters();
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
    for (const id of d.about === undefined ? contractIdOf(d.body) : d.about.contractId === null ? [] : [d.about.contractId]) ids.add(id);
  }
  return [...ids].sort();
}

function contractIdOf(body: string): string[] {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null && 'contractId' in json && typeof json.contractId === 'string') return [json.contractId];
  } catch {
    // Poison: it names no contract.
  }
  return [];
}
