/**
 * What Lambda's SQS event source mapping does, in-process: receive up to 10 messages with long polling,
 * hand them to the handler as one batch, delete the ones it did not report in `batchItemFailures`.
 * Failed messages stay in the queue and come back after the visibility timeout; the queue's redrive
 * policy moves them to the DLQ after maxReceiveCount receives, as in AWS.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { INTAKE_BATCH_SIZE } from '#infra/queue-settings.ts';
import { localLambdaContext } from './lambda-context.ts';

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface SqsPollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: SqsBatchHandler;
  /** Long polling: 20 s for the running stack; 0 when the caller knows what it sent (replay). */
  readonly waitTimeSeconds: number;
  /**
   * Replay runs on a virtual clock: a failed message's visibility timeout has passed by the next
   * virtual step, so it is made visible again at once instead of after the real timeout.
   */
  readonly failedVisibleAgainAtOnce?: boolean;
  readonly onError?: (error: unknown) => void;
}

export interface BatchResult {
  readonly received: number;
  readonly failed: number;
}

export interface SqsPoller {
  /** One receive and one invocation; `received: 0` when the queue had nothing. */
  pollOnce(signal?: AbortSignal): Promise<BatchResult>;
  /** Polls until `stop()`; errors go to `onError` and polling goes on after a second. */
  start(): void;
  stop(): Promise<void>;
}

export function makeSqsPoller(options: SqsPollerOptions): SqsPoller {
  const { sqs, queueUrl, handler } = options;
  let running: Promise<void> | undefined;
  let abort: AbortController | undefined;

  async function pollOnce(signal?: AbortSignal): Promise<BatchResult> {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: INTAKE_BATCH_SIZE,
        WaitTimeSeconds: options.waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    if (messages.length === 0) return { received: 0, failed: 0 };
    const records = messages.map((message) => recordOf(message, options));
    const failedIds = await invoke(records);
    const handles = (ids: (id: string) => boolean): { Id: string; ReceiptHandle: string }[] =>
      records.filter((r) => ids(r.messageId)).map((r, index) => ({ Id: String(index), ReceiptHandle: r.receiptHandle }));
    const succeeded = handles((id) => !failedIds.has(id));
    if (succeeded.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: succeeded }));
    const failed = handles((id) => failedIds.has(id));
    if (failed.length > 0 && options.failedVisibleAgainAtOnce === true) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: failed.map((entry) => ({ ...entry, VisibilityTimeout: 0 })),
        }),
      );
    }
    return { received: records.length, failed: failed.length };
  }

  async function invoke(records: SQSRecord[]): Promise<Set<string>> {
    try {
      const response = await handler({ Records: records }, localLambdaContext('intake'));
      return new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      // The invocation itself failed: Lambda deletes nothing, the whole batch comes back.
      options.onError?.(error);
      return new Set(records.map((record) => record.messageId));
    }
  }

  async function loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await pollOnce(signal);
      } catch (error) {
        if (signal.aborted) return;
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  return {
    pollOnce,
    start() {
      if (running !== undefined) return;
      abort = new AbortController();
      running = loop(abort.signal);
    },
    async stop() {
      abort?.abort();
      await running;
      running = undefined;
    },
  };
}

/**
 * One poller over several queues, as one function with one event source mapping per queue: pollOnce
 * polls each in turn (the order given), start and stop act on all.
 */
export function combinePollers(pollers: readonly SqsPoller[]): SqsPoller {
  return {
    async pollOnce(signal) {
      let received = 0;
      let failed = 0;
      for (const poller of pollers) {
        const batch = await poller.pollOnce(signal);
        received += batch.received;
        failed += batch.failed;
      }
      return { received, failed };
    },
    start() {
      for (const poller of pollers) poller.start();
    },
    async stop() {
      await Promise.all(pollers.map((poller) => poller.stop()));
    },
  };
}

function recordOf(message: Message, options: SqsPollerOptions): SQSRecord {
  const system = message.Attributes ?? {};
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
      SentTimestamp: system.SentTimestamp ?? '0',
      SenderId: system.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}
