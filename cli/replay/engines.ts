/**
 * The two engines replay runs the same handlers on (docs/design.md#9-running-it). `memory` (the default):
 * the table, the queues and SES in memory — the store port over memory with DynamoDB's semantics, the
 * event queues with SQS's receive counts and redrive, a mailbox the rendered notices go to — so a year of
 * a portfolio takes seconds. `emulators`: the embedded stack of `npm start` (DynamoDB Local, fauxqs, the
 * SES emulator). Both build the handlers with the functions' own factories and the local stack's notice
 * watch, so what differs is only where the state lives; a differential test holds their outputs equal.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Catalog } from '#domain/model.ts';
import { toIso, type Instant } from '#domain/time.ts';
import type { EventQueue } from '#events/queues.ts';
import { buildFeedbackHandler } from '#functions/feedback/wiring.ts';
import { buildIntakeHandler } from '#functions/intake/wiring.ts';
import { buildLifecycleHandler } from '#functions/lifecycle/wiring.ts';
import { buildNotifierHandler } from '#functions/notifier/wiring.ts';
import { buildSweepHandler } from '#functions/sweep/wiring.ts';
import type { FunctionSettings } from '#functions/wiring.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { memoryTable } from '#store/memory/memory-table.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import type { Store, StoreWrite } from '#store/store.ts';
import type { Clock } from '#usecases/ports.ts';
import { localLambdaContext } from '../local/lambda-context.ts';
import { MailboxSimulator, watchedFeedback } from '../local/mailbox-simulator.ts';
import { CreatedNotices, makeNoticeDriver, watchedNotices, watchedStore, type NoticeDriver } from '../local/notice-outbox.ts';
import type { BatchResult } from '../local/sqs-poller.ts';
import { LOCAL_OPERATOR, LOCAL_SENDER } from '../local/addresses.ts';
import type { DeadLetter } from '../local/dead-letters.ts';
import { MemoryMailbox } from './memory-mailbox.ts';
import { MemoryQueues } from './memory-queues.ts';
import { QuietLogger, QuietMetrics } from './quiet-observability.ts';

export const REPLAY_ENGINES = ['memory', 'emulators'] as const;
export type ReplayEngineKind = (typeof REPLAY_ENGINES)[number];

export interface ReplayEngineOptions {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** The eventIds more than one line delivers (null: not known): the memory store keeps only their records past the TTL. */
  readonly repeatedEventIds?: ReadonlySet<string> | null;
  /** Told the writes of every transaction that committed (the attention mirror). */
  readonly onCommit: (writes: readonly StoreWrite[]) => void;
  /** Told of every request sent to an emulator (the memory engine sends none). */
  readonly onRequest?: () => void;
}

/** What the replay driver asks of an engine. */
export interface ReplayEngine {
  /** The store the statements are read from. */
  readonly store: Store;
  /** The pools the statements and the pool report read (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
  readonly pools: PoolRepository;
  readonly notices: NoticeDriver;
  /**
   * Whether a commit created notices since the last delivery. False lets the driver skip a delivery that
   * would hand over nothing (after most polls and sweeps). Absent: always deliver (the emulators' delivery
   * also publishes the billing outbox).
   */
  readonly noticesCreated?: () => boolean;
  send(queue: EventQueue, body: string): Promise<void>;
  /** One receive and one intake invocation on `queue`. */
  pollOnce(queue: EventQueue): Promise<BatchResult>;
  sweep(at: Instant): Promise<void>;
  lifecycle(at: Instant): Promise<void>;
  deadLetters(): Promise<DeadLetter[]>;
  /** How many messages the DLQ holds, read without listing them (absent: the engine cannot tell cheaply). */
  readonly deadLetterCount?: () => number;
  stop(): Promise<void>;
}

export const STACK_NAME = 'aftercare-replay';

export async function startReplayEngine(kind: ReplayEngineKind, options: ReplayEngineOptions): Promise<ReplayEngine> {
  if (kind === 'memory') return memoryEngine(options);
  // Loaded only when asked for: the emulators, their SDK clients and the local stack are most of replay's start-up.
  const { emulatorsEngine } = await import('./emulators-engine.ts');
  return emulatorsEngine(options);
}

/** The scheduler's event for a run at `at`. */
export const scheduled = (at: Instant) => ({ source: 'aftercare.replay', time: toIso(at) });

function memoryEngine(options: ReplayEngineOptions): ReplayEngine {
  const { catalog, clock } = options;
  const table = memoryTable({ recordCommits: false, repeatedEventIds: options.repeatedEventIds ?? null });
  const queues = new MemoryQueues();
  const created = new CreatedNotices();
  const store = watchedStore(table.store, created, options.onCommit);
  const notices = watchedNotices(table.notices, created);
  const mailbox = new MailboxSimulator(clock);
  const mail = new MemoryMailbox();
  // The factories make their Dynamo repositories first; `ports` replaces every one, so this client never sends.
  const unused = { documents: documentClient(new DynamoDBClient({ region: 'local' })), tableName: STACK_NAME };
  const settingsOf = (serviceName: string): FunctionSettings => {
    const logger = new QuietLogger(serviceName);
    return { table: unused, clock, logger, metrics: new QuietMetrics('AftercareReplay', serviceName, logger) };
  };

  const intake = buildIntakeHandler({
    ...settingsOf('intake'),
    catalog,
    deadLetters: queues.deadLetterSink(),
    queueArns: queues.arns,
    ports: () => ({ store, sourceLags: table.sourceLags, pools: table.store }),
  });
  const sweep = buildSweepHandler({
    ...settingsOf('sweep'),
    catalog,
    ports: () => ({ store, notices, failures: table.failures, sourceLags: table.sourceLags }),
  });
  const lifecycle = buildLifecycleHandler({
    ...settingsOf('lifecycle'),
    catalog,
    ports: () => ({ store, contracts: table.lifecycle, failures: table.failures, pools: table.store, cases: store }),
  });
  const notifier = buildNotifierHandler({
    ...settingsOf('notifier'),
    catalog,
    ses: { client: new SESv2Client({ region: 'local' }), from: LOCAL_SENDER, configurationSetName: STACK_NAME },
    operatorEmail: LOCAL_OPERATOR,
    sleep: () => Promise.resolve(),
    ports: () => ({ notices, sender: mailbox.wrap(mail), suppressions: table.feedback, credits: table.credits }),
  });
  const feedback = buildFeedbackHandler({ ...settingsOf('feedback'), ports: () => ({ feedback: watchedFeedback(table.feedback, created) }) });

  return {
    store,
    pools: table.store,
    notices: makeNoticeDriver({ created, notices, handler: notifier, afterInvoke: () => mailbox.deliver(feedback) }),
    // deliverCreated hands over what `created` holds and nothing else.
    noticesCreated: () => created.size > 0,
    send(queue, body) {
      queues.send(queue, body);
      return Promise.resolve();
    },
    pollOnce: (queue) => queues.pollOnce(queue, intake),
    async sweep(at) {
      await sweep(scheduled(at), localLambdaContext('sweep'));
    },
    async lifecycle(at) {
      await lifecycle(scheduled(at), localLambdaContext('lifecycle'));
    },
    deadLetters: () => Promise.resolve(queues.listDeadLetters()),
    deadLetterCount: () => queues.deadLetterCount,
    stop: () => Promise.resolve(),
  };
}
