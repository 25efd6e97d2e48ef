/**
 * The embedded stack: the emulators, the table and queues from the CDK stack's own definitions, and the
 * real handlers (intake, sweep, lifecycle, notifier, feedback, billing) built in-process on a clock the caller
 * chooses — the system clock for `npm start`, a virtual one for `aftercare replay`. SES's mailbox
 * simulator addresses bounce and complain as in SES (mailbox-simulator.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Catalog } from '#domain/model.ts';
import type { EventQueue } from '#events/queues.ts';
import type { IntakeHandler } from '#functions/intake/app.ts';
import { sqsDeadLetterSink } from '#functions/intake/dead-letters.ts';
import { buildIntakeHandler } from '#functions/intake/wiring.ts';
import type { LifecycleHandler } from '#functions/lifecycle/app.ts';
import { buildLifecycleHandler } from '#functions/lifecycle/wiring.ts';
import { buildBillingHandler } from '#functions/billing/wiring.ts';
import { buildFeedbackHandler } from '#functions/feedback/wiring.ts';
import { buildNotifierHandler } from '#functions/notifier/wiring.ts';
import type { SweepHandler } from '#functions/sweep/app.ts';
import { buildSweepHandler } from '#functions/sweep/wiring.ts';
import type { WebhooksHandler } from '#functions/webhooks/app.ts';
import { buildWebhooksHandler } from '#functions/webhooks/wiring.ts';
import { DEFAULT_WEBHOOK_SOURCES, type WebhookSources } from '#adapters/mapping.ts';
import type { WebhookSecretStore } from '#usecases/webhook-secrets.ts';
import type { FunctionSettings } from '#functions/wiring.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { MemoryBillingOutbox } from '#store/memory/memory-billing-outbox.ts';
import { MemoryPortfolio } from '#store/memory/memory-portfolio.ts';
import { memoryTable } from '#store/memory/memory-table.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import type { Store, StoreWrite } from '#store/store.ts';
import type { Clock } from '#usecases/ports.ts';
import { makeMetrics } from '../../shared/observability.ts';
import {
  createQueues,
  createTable,
  eventQueueArns,
  startEmulators,
  type Emulators,
  type LocalQueues,
} from './emulators.ts';
import { BillingOutboxDriver, memoryBillingBus, tableBillingBus } from './billing-sink.ts';
import type { MemoryStackPorts } from './clients.ts';
import { MailboxSimulator, watchedFeedback } from './mailbox-simulator.ts';
import { startMemoryTableServer, type ServedPorts } from './memory-table-server.ts';
import { LOCAL_OPERATOR, LOCAL_SENDER } from './addresses.ts';
import { CreatedNotices, makeNoticeDriver, watchedNotices, watchedStore, type NoticeDriver } from './notice-outbox.ts';
import { combinePollers, makeSqsPoller, type SqsPoller } from './sqs-poller.ts';

export type LocalLogLevel = 'SILENT' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
/** Where the table lives: DynamoDB Local (needs Java 17+), or the memory store in this process. */
export type LocalEngine = 'dynamodb-local' | 'memory';

export interface LocalStackOptions {
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** Handler logs (Powertools, JSON lines on stdout). @default 'SILENT' */
  readonly logLevel?: LocalLogLevel;
  /** Table name and queue name prefix. @default 'aftercare-local' */
  readonly name?: string;
  /** @default 'aftercare@provider.example' */
  readonly senderEmail?: string;
  /** @default 'drift@provider.example' */
  readonly operatorEmail?: string;
  /** Replay: long polls return at once and failed messages are visible again on the next virtual step. */
  readonly virtualTime?: boolean;
  /** Told the writes of every transaction that committed. */
  readonly onCommit?: (writes: readonly StoreWrite[]) => void;
  /** Told of every request a handler's SDK client sends to an emulator (replay counts them). */
  readonly onRequest?: () => void;
  /** The webhook sources (docs/design.md#13-integrations). @default DEFAULT_WEBHOOK_SOURCES */
  readonly webhookSources?: WebhookSources;
  /** Where the webhooks handler finds each source's secret. @default none: every webhook is refused 401 */
  readonly webhookSecrets?: WebhookSecretStore;
  /** @default 'dynamodb-local' */
  readonly engine?: LocalEngine;
}

export interface LocalStack {
  /** On the memory engine `emulators.endpoints.dynamodb` is the memory table's endpoint (memory-table-server.ts). */
  readonly emulators: Emulators;
  readonly engine: LocalEngine;
  readonly tableName: string;
  readonly queues: LocalQueues;
  readonly sqs: SQSClient;
  readonly documents: DynamoDBDocumentClient;
  readonly store: Store;
  readonly intake: IntakeHandler;
  readonly sweep: SweepHandler;
  readonly lifecycle: LifecycleHandler;
  /** The webhooks function's handler (API Gateway HTTP API events), served by `cli/local/webhook-server.ts`. */
  readonly webhooks: WebhooksHandler;
  /** Both event queues (contracts, then cases), as the intake function's two event source mappings. */
  readonly poller: SqsPoller;
  /** Each event queue's own poller (replay polls the queue it just sent to). */
  readonly pollers: Readonly<Record<EventQueue, SqsPoller>>;
  /** Delivers the notices and, first, publishes the billing outbox items the same commits wrote (the stream wakes both). */
  readonly notices: NoticeDriver;
  /** The billing publisher's stream, locally: its events land on the local bus (cli/local/billing-sink.ts), on either engine. */
  readonly billing: BillingOutboxDriver;
  /** Stops the poller, the clients and the emulators; safe to call more than once. */
  stop(): Promise<void>;
}

export const DEFAULT_STACK_NAME = 'aftercare-local';
export { LOCAL_OPERATOR, LOCAL_SENDER };

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const emulators = await startEmulators({ dynamodb: options.engine !== 'memory' });
  try {
    return await buildStack(emulators, options);
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

async function buildStack(started: Emulators, options: LocalStackOptions): Promise<LocalStack> {
  const { catalog, clock } = options;
  const engine = options.engine ?? 'dynamodb-local';
  let emulators = started;
  const name = options.name ?? DEFAULT_STACK_NAME;
  // On the memory engine the handlers' factories still make Dynamo repositories first; their ports replace every one, so this client never sends.
  const dynamo = new DynamoDBClient(engine === 'memory' ? { region: started.region, credentials: started.credentials } : started.clientConfig.dynamodb);
  const documents = documentClient(dynamo);
  const sqs = new SQSClient(emulators.clientConfig.sqs);
  // One try per SendEmail, as in the notifier's Lambda entry: delivery decides about retries.
  const ses = new SESv2Client({ ...emulators.clientConfig.ses, maxAttempts: 1 });
  const { onRequest } = options;
  if (onRequest !== undefined) {
    const step = { step: 'initialize', name: 'aftercareRequestCounter' } as const;
    dynamo.middlewareStack.add(requestCounter(onRequest), step);
    sqs.middlewareStack.add(requestCounter(onRequest), step);
    ses.middlewareStack.add(requestCounter(onRequest), step);
  }

  if (engine === 'dynamodb-local') await createTable(dynamo, name, { stream: false });
  const queues = await createQueues(sqs, name);

  const logLevel = options.logLevel ?? 'SILENT';
  const table = { documents, tableName: name };
  const settingsOf = (serviceName: string): FunctionSettings => {
    const logger = new Logger({ serviceName, logLevel });
    return { table, clock, logger, metrics: makeMetrics('AftercareLocal', serviceName, logger) };
  };

  // One watched store and notice outbox for all handlers: the notice driver learns of every notice created.
  // On the memory engine every port is the memory table's: the factories' own Dynamo ones are replaced.
  const created = new CreatedNotices();
  const memory = engine === 'memory' ? memoryTable({ recordCommits: false }) : null;
  // No EventBridge emulator exists: the billing publisher puts into the table's local bus partition, or on
  // the memory engine into a list in this process; there it reads and marks the memory table's outbox items.
  const memoryBilling = memory === null ? null : { outbox: new MemoryBillingOutbox(), bus: memoryBillingBus(clock) };
  const billing = new BillingOutboxDriver(
    buildBillingHandler({
      ...settingsOf('billing'),
      bus: memoryBilling?.bus ?? tableBillingBus({ documents, tableName: name, clock }),
      sleep: () => Promise.resolve(),
      ...(memoryBilling === null ? {} : { ports: (ports) => ({ ...ports, outbox: memoryBilling.outbox }) }),
    }),
  );
  const onCommit = (writes: readonly StoreWrite[]): void => {
    // A memory commit marks its outbox items pending, as the DynamoDB transaction writes them `billing = pending`.
    if (memory !== null) memoryBilling?.outbox.recordCommit(writes, (contractId) => memory.store.contracts.get(contractId));
    billing.note(writes);
    options.onCommit?.(writes);
  };
  const store = watchedStore(memory?.store ?? new DynamoStore({ client: documents, tableName: name }), created, onCommit);
  const noticeRepository = watchedNotices(memory?.notices ?? new DynamoNoticeRepository({ client: documents, tableName: name }), created);
  const feedbackRepository = memory?.feedback ?? new DynamoDeliveryFeedbackRepository({ client: documents, tableName: name });
  const mailbox = new MailboxSimulator(clock);

  const intakeSettings = settingsOf('intake');
  const intake = buildIntakeHandler({
    ...intakeSettings,
    catalog,
    deadLetters: sqsDeadLetterSink(sqs, queues.deadLetterQueueUrl),
    queueArns: eventQueueArns(queues),
    ports: (ports) => ({ ...ports, store, ...(memory === null ? {} : { sourceLags: memory.sourceLags, pools: memory.store }) }),
  });
  const sweep = buildSweepHandler({
    ...settingsOf('sweep'),
    catalog,
    ports: (ports) => ({
      ...ports,
      store,
      notices: noticeRepository,
      ...(memory === null ? {} : { failures: memory.failures, sourceLags: memory.sourceLags }),
    }),
  });
  const lifecycle = buildLifecycleHandler({
    ...settingsOf('lifecycle'),
    catalog,
    ports: (ports) => ({ ...ports, store, ...(memory === null ? {} : { contracts: memory.lifecycle, failures: memory.failures, pools: memory.store, cases: store }) }),
  });
  const notifier = buildNotifierHandler({
    ...settingsOf('notifier'),
    catalog,
    ses: { client: ses, from: options.senderEmail ?? LOCAL_SENDER, configurationSetName: name },
    operatorEmail: options.operatorEmail ?? LOCAL_OPERATOR,
    // The emulator never throttles; waiting between tries would only slow a virtual clock down.
    ...(options.virtualTime === true ? { sleep: () => Promise.resolve() } : {}),
    ports: (ports) => ({
      ...ports,
      notices: noticeRepository,
      sender: mailbox.wrap(ports.sender),
      suppressions: feedbackRepository,
      ...(memory === null ? {} : { credits: memory.credits }),
    }),
  });
  const feedback = buildFeedbackHandler({
    ...settingsOf('feedback'),
    ports: () => ({ feedback: watchedFeedback(feedbackRepository, created) }),
  });
  if (memory !== null && memoryBilling !== null) {
    // The `--local` commands of other processes reach the table here (MemoryStackPorts in clients.ts). The
    // pools are served read-only: their writes go through the store's commits, as the handlers' do.
    const pools: PoolRepository = {
      readPool: (poolId) => memory.store.readPool(poolId),
      readPoolEvent: (request) => memory.store.readPoolEvent(request),
      listPools: () => memory.store.listPools(),
    };
    const served: ServedPorts & Record<keyof MemoryStackPorts, object> = {
      store,
      contracts: memory.lifecycle,
      failures: memory.failures,
      sourceLags: memory.sourceLags,
      pools,
      portfolio: new MemoryPortfolio(memory.store),
      billingEvents: { read: () => memoryBilling.bus.read() },
    };
    const server = await startMemoryTableServer({ ...served, notices: noticeRepository });
    const stopEmulators = (): Promise<void> => started.stop();
    emulators = {
      ...started,
      endpoints: { ...started.endpoints, dynamodb: server.endpoint },
      clientConfig: { ...started.clientConfig, dynamodb: { ...started.clientConfig.dynamodb, endpoint: server.endpoint } },
      stop: () => Promise.all([server.stop(), stopEmulators()]).then(() => undefined),
    };
  }

  const webhooks = buildWebhooksHandler({
    ...settingsOf('webhooks'),
    sources: options.webhookSources ?? DEFAULT_WEBHOOK_SOURCES,
    secretStore: options.webhookSecrets ?? { read: () => Promise.resolve([]) },
    sqs,
    casesQueueUrl: queues.casesQueueUrl,
    deadLetters: sqsDeadLetterSink(sqs, queues.deadLetterQueueUrl),
  });

  const pollerOf = (queueUrl: string, queueArn: string): SqsPoller =>
    makeSqsPoller({
      sqs,
      queueUrl,
      queueArn,
      region: emulators.region,
      handler: intake,
      waitTimeSeconds: options.virtualTime === true ? 0 : 20,
      failedVisibleAgainAtOnce: options.virtualTime === true,
      onError: (error) => intakeSettings.logger.error('intake invocation failed', { error }),
    });
  const pollers = {
    contracts: pollerOf(queues.contractsQueueUrl, queues.contractsQueueArn),
    cases: pollerOf(queues.casesQueueUrl, queues.casesQueueArn),
  };
  const poller = combinePollers([pollers.contracts, pollers.cases]);

  let stopping: Promise<void> | undefined;
  return {
    emulators,
    engine,
    tableName: name,
    queues,
    sqs,
    documents,
    store,
    intake,
    sweep,
    lifecycle,
    webhooks,
    poller,
    pollers,
    notices: withBilling(billing, makeNoticeDriver({ created, notices: noticeRepository, handler: notifier, afterInvoke: () => mailbox.deliver(feedback) })),
    billing,
    stop() {
      stopping ??= (async () => {
        await poller.stop();
        for (const client of [documents, dynamo, sqs, ses]) client.destroy();
        await emulators.stop();
      })();
      return stopping;
    },
  };
}

/** Whoever drains the notice outbox drains the billing outbox first, as both stream consumers would be woken. */
function withBilling(billing: BillingOutboxDriver, notices: NoticeDriver): NoticeDriver {
  return {
    async deliverCreated() {
      await billing.publishCreated();
      return notices.deliverCreated();
    },
    async deliverDue(now) {
      await billing.publishCreated();
      return notices.deliverDue(now);
    },
  };
}

/** A middleware that reports each command once, when it is sent (retries of a failed request are not counted). */
function requestCounter(onRequest: () => void) {
  return <A, R>(next: (args: A) => R) =>
    (args: A): R => {
      onRequest();
      return next(args);
    };
}
