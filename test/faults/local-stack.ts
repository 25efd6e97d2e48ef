/**
 * The four handlers on the emulators (DynamoDB Local, the fauxqs DLQ, SES v2 local) with fault ports,
 * driven on a virtual clock the way AWS drives them: SQS batches redelivered until acknowledged or
 * received MAX_RECEIVE_COUNT times, scheduled runs retried, stream batches retried after a crash. With
 * `billing`, the billing publisher too: the outbox items each commit wrote go to it as the stream would
 * hand them, and it puts their events on the local bus in the table (cli/local/billing-sink.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { billingRefsOf, tableBillingBus } from '#cli/local/billing-sink.ts';
import { createQueues, createTable, type LocalQueues } from '#cli/local/emulators.ts';
import { CreatedNotices, watchedStore } from '#cli/local/notice-outbox.ts';
import type { Catalog } from '#domain/model.ts';
import { billingStreamEvent } from '#functions/billing/stream.ts';
import { buildBillingHandler } from '#functions/billing/wiring.ts';
import { sqsDeadLetterSink } from '#functions/intake/dead-letters.ts';
import { buildIntakeHandler } from '#functions/intake/wiring.ts';
import { buildLifecycleHandler } from '#functions/lifecycle/wiring.ts';
import { noticeStreamEvent } from '#functions/notifier/stream.ts';
import { buildNotifierHandler } from '#functions/notifier/wiring.ts';
import { buildSweepHandler } from '#functions/sweep/wiring.ts';
import type { FunctionSettings } from '#functions/wiring.ts';
import { MAX_RECEIVE_COUNT } from '#infra/queue-settings.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { billingSourceId, type BillingSourceRef } from '#store/billing-outbox-repository.ts';
import { makeNoticeUpkeep } from '#usecases/notice-upkeep.ts';
import type { EmulatorContext } from '#test/support/emulator-context.ts';
import { TestClock } from '#test/support/factories/events.ts';
import { aLambdaContext, anSqsRecord, QUEUE_ARNS } from '#test/support/factories/sqs.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { Crasher, type FunctionName, type KillPoint } from './crash.ts';
import {
  faultyBillingBus,
  faultyBillingOutbox,
  faultyCreditState,
  faultyLifecycleRepository,
  faultyNoticeRepository,
  faultySender,
  faultyStore,
  SendLog,
} from './faulty-ports.ts';

/** Retries of a scheduled run or a stream batch before the harness gives up (and the test fails). */
const MAX_RETRIES = 5;

export interface LocalStackOptions {
  readonly emulators: EmulatorContext;
  readonly catalog: Catalog;
  readonly operatorEmail: string;
  /** The kill point, or null for a run without faults. */
  readonly killAt: KillPoint | null;
  /**
   * How batches received at one instant run: side by side (the default, as concurrent invocations do), or
   * one after the other in the order given or reversed — two fixed interleavings, so a result that depends
   * on the interleaving shows as a difference between two runs of one seed.
   */
  readonly batchOrder?: BatchOrder;
  /** Run the billing publisher on the outbox items the commits write (off: the soak and the outage test do not check billing). */
  readonly billing?: boolean;
}

export type BatchOrder = 'concurrent' | 'forward' | 'reverse';

export class LocalStack {
  readonly clock = new TestClock(0);
  readonly crasher: Crasher;
  readonly sendLog = new SendLog();
  /** Valid bodies SQS moved to the DLQ after MAX_RECEIVE_COUNT receives: lost events, never expected. */
  readonly redrivenBySqs: string[] = [];
  readonly store: DynamoStore;
  readonly notices: DynamoNoticeRepository;
  readonly tableName: string;
  /** How long credit notices wait after their year's last change (the catalog's `noticeSettleMinutes`). */
  readonly settleMs: number;
  /** Every billing outbox item a commit wrote, once each (what the publisher must have told in the end). */
  readonly billingSources = new Map<string, BillingSourceRef>();
  private billingToHand: BillingSourceRef[] = [];
  private readonly handlers: ReturnType<LocalStack['build']>;
  private messages = 0;

  private constructor(
    private readonly options: LocalStackOptions,
    readonly queues: LocalQueues,
    readonly clients: { readonly sqs: SQSClient; readonly ses: SESv2Client; readonly documents: DynamoDBDocumentClient },
  ) {
    this.crasher = new Crasher(options.killAt);
    const tableName = options.emulators.tableName;
    this.tableName = tableName;
    this.settleMs = options.catalog.noticeSettleMinutes * 60_000;
    this.store = new DynamoStore({ client: clients.documents, tableName });
    this.notices = new DynamoNoticeRepository({ client: clients.documents, tableName });
    this.handlers = this.build();
  }

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const { emulators } = options;
    const dynamo = new DynamoDBClient(emulators.dynamodb);
    // No stream: the notifier gets noticeStreamEvent from deliverNotices, and DynamoDB Local slows down
    // as stream records pile up.
    await createTable(dynamo, emulators.tableName, { stream: false });
    const sqs = new SQSClient(emulators.sqs);
    const queues = await createQueues(sqs, emulators.queuePrefix);
    const documents = documentClient(dynamo);
    return new LocalStack(options, queues, { sqs, ses: new SESv2Client({ ...emulators.ses, maxAttempts: 1 }), documents });
  }

  private build() {
    const { catalog, emulators, operatorEmail } = this.options;
    const { crasher, clock, sendLog } = this;
    // The stream sees what committed, whether or not the writer died right after: noted under the fault.
    const store = faultyStore(watchedStore(this.store, new CreatedNotices(), (writes) => this.noteBilling(writes)), crasher);
    const notices = faultyNoticeRepository(this.notices, crasher, sendLog);
    const logger = makeLogger('local-stack');
    // The deployed wiring (failure counts included: a case or parked group failing five runs is
    // quarantined, item-failures.ts), with the ports the crasher breaks wrapped in their faulty versions.
    const settingsOf = (name: string): FunctionSettings => ({
      table: { documents: this.clients.documents, tableName: emulators.tableName },
      clock,
      logger,
      metrics: makeMetrics('AftercareFaults', name, logger),
    });
    return {
      intake: buildIntakeHandler({
        ...settingsOf('intake'),
        catalog,
        deadLetters: sqsDeadLetterSink(this.clients.sqs, this.queues.deadLetterQueueUrl),
        // The harness builds the records itself (anSqsRecord), each with the ARN of the queue its type belongs on.
        queueArns: QUEUE_ARNS,
        ports: (ports) => ({ ...ports, store }),
      }),
      sweep: buildSweepHandler({ ...settingsOf('sweep'), catalog, ports: (ports) => ({ ...ports, store, notices }) }),
      lifecycle: buildLifecycleHandler({
        ...settingsOf('lifecycle'),
        catalog,
        ports: (ports) => ({ ...ports, store, contracts: faultyLifecycleRepository(ports.contracts, crasher) }),
      }),
      notifier: buildNotifierHandler({
        ...settingsOf('notifier'),
        catalog,
        ses: { client: this.clients.ses, from: 'aftercare@provider.example', configurationSetName: 'aftercare-local' },
        operatorEmail,
        sleep: () => Promise.resolve(),
        ports: (ports) => ({
          ...ports,
          notices,
          sender: faultySender(ports.sender, crasher, sendLog),
          credits: faultyCreditState(ports.credits, crasher),
        }),
      }),
      billing: buildBillingHandler({
        ...settingsOf('billing'),
        bus: faultyBillingBus(tableBillingBus({ documents: this.clients.documents, tableName: emulators.tableName, clock }), crasher),
        sleep: () => Promise.resolve(),
        ports: (ports) => ({ ...ports, outbox: faultyBillingOutbox(ports.outbox, crasher) }),
      }),
      upkeep: makeNoticeUpkeep({ notices: this.notices }),
    };
  }

  private noteBilling(writes: Parameters<typeof billingRefsOf>[0]): void {
    if (this.options.billing !== true) return;
    for (const ref of billingRefsOf(writes)) {
      this.billingSources.set(billingSourceId(ref), ref);
      this.billingToHand.push(ref);
    }
  }

  /** One invocation of `name`; true when it died (crashed) instead of answering. */
  private async invoke<T>(name: FunctionName, attempt: number, call: () => Promise<T>): Promise<{ died: boolean; value: T | null }> {
    this.crasher.enter(name, attempt);
    let value: T | null = null;
    try {
      value = await call();
      if (name === 'intake') this.crasher.reach('before-ack');
    } catch {
      // A thrown invocation is a failed one: retried like a crash when the process died, otherwise too.
    }
    const died = this.crasher.leave();
    return { died: died || value === null, value: died ? null : value };
  }

  /**
   * SQS batches received at `now` by concurrent invocations (no faults then: the crasher follows one
   * invocation at a time), then the notices they created, as the table's stream would deliver them.
   */
  async deliverConcurrently(batches: readonly (readonly string[])[], now: number): Promise<void> {
    this.clock.at = now;
    const order = this.options.batchOrder ?? 'concurrent';
    if (batches.length === 1 || this.options.killAt !== null || order !== 'concurrent') {
      for (const bodies of order === 'reverse' ? [...batches].reverse() : batches) await this.deliverBatch(bodies);
    } else {
      await Promise.all(batches.map((bodies) => this.deliverBatch(bodies)));
    }
    await this.deliverNotices(now);
  }

  /** Bodies as one SQS batch, redelivered until each is acknowledged or SQS redrives it. */
  private async deliverBatch(bodies: readonly string[]): Promise<void> {
    let pending: SQSRecord[] = bodies.map((body) => {
      this.messages += 1;
      return anSqsRecord(body, { messageId: `soak-${this.messages}` });
    });
    while (pending.length > 0) {
      const receiveCount = Number(pending[0]?.attributes.ApproximateReceiveCount ?? '1');
      const batch = { Records: pending };
      const { died, value } = await this.invoke('intake', receiveCount, () => this.handlers.intake(batch, aLambdaContext('intake')));
      const failed = new Set(died || value === null ? pending.map((r) => r.messageId) : value.batchItemFailures.map((f) => f.itemIdentifier));
      const again = pending.filter((record) => failed.has(record.messageId));
      if (receiveCount >= MAX_RECEIVE_COUNT) {
        this.redrivenBySqs.push(...again.map((record) => record.body));
        return;
      }
      pending = again.map((record) => ({
        ...record,
        attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount + 1) },
      }));
    }
  }

  /** A scheduled sweep (with notice upkeep) at `now`, retried after a failure. */
  sweep(now: number): Promise<void> {
    return this.scheduled('sweep', now, () => this.handlers.sweep({}, aLambdaContext('sweep')));
  }

  lifecycle(now: number): Promise<void> {
    return this.scheduled('lifecycle', now, () => this.handlers.lifecycle({}, aLambdaContext('lifecycle')));
  }

  private async scheduled(name: 'sweep' | 'lifecycle', now: number, run: () => Promise<unknown>): Promise<void> {
    this.clock.at = now;
    for (let attempt = 1; attempt <= MAX_RETRIES; attempt += 1) {
      if (!(await this.invoke(name, attempt, run)).died) return;
    }
    throw new Error(`${name} at ${new Date(now).toISOString()} failed ${MAX_RETRIES} times`);
  }

  /**
   * The billing outbox items written since the last call, handed to the billing publisher in stream
   * batches of 10, each retried like a stream batch (a crash fails the whole batch).
   */
  async deliverBilling(now: number): Promise<void> {
    this.clock.at = now;
    const refs = this.billingToHand;
    this.billingToHand = [];
    for (let offset = 0; offset < refs.length; offset += 10) {
      let event = billingStreamEvent(refs.slice(offset, offset + 10));
      for (let attempt = 1; event.Records.length > 0; attempt += 1) {
        if (attempt > MAX_RETRIES) throw new Error(`billing batch failed ${MAX_RETRIES} times`);
        const { died, value } = await this.invoke('billing', attempt, () => this.handlers.billing(event, aLambdaContext('billing')));
        if (died || value === null) continue;
        const failed = new Set(value.batchItemFailures.map((failure) => failure.itemIdentifier));
        event = { Records: event.Records.filter((record) => failed.has(record.dynamodb?.SequenceNumber ?? '')) };
      }
    }
  }

  /** Notices pending at `now`, handed to the notifier as the table's stream would, retried like a stream batch. */
  async deliverNotices(now: number): Promise<void> {
    // The same stream hands the billing outbox items to the billing publisher.
    await this.deliverBilling(now);
    this.clock.at = now;
    // The stream hands over every write of a pending notice, the sweep's re-drive touches included,
    // whose attention instant lies ahead: so every pending notice is looked at, not only the due ones.
    const horizon = now + 365 * 86_400_000;
    const refs = await this.notices.needingAttention(horizon);
    const pending = (refs.length === 0 ? [] : await this.notices.read(refs)).filter((n) => n.state === 'pending');
    let event = noticeStreamEvent(pending.map((notice) => ({ contractId: notice.contractId, id: notice.id })));
    for (let attempt = 1; event.Records.length > 0; attempt += 1) {
      if (attempt > MAX_RETRIES) throw new Error(`notifier batch failed ${MAX_RETRIES} times`);
      const { died, value } = await this.invoke('notifier', attempt, () => this.handlers.notifier(event, aLambdaContext('notifier')));
      if (died || value === null) continue;
      const failed = new Set(value.batchItemFailures.map((failure) => failure.itemIdentifier));
      event = { Records: event.Records.filter((record) => failed.has(record.dynamodb?.SequenceNumber ?? '')) };
    }
  }

  /** What the sweep does for notices (leases run out, re-drives due), without declaring anything else. */
  async settleExpiredLeases(now: number): Promise<void> {
    await this.handlers.upkeep.run(now);
  }

  destroy(): void {
    this.clients.sqs.destroy();
    this.clients.ses.destroy();
    this.clients.documents.destroy();
  }
}
