/**
 * The event queues in memory, for replay's memory engine: what the intake sees of SQS and of Lambda's
 * event source mapping, without the emulator. A receive takes up to a batch of visible messages in the
 * order they were sent and counts a receive on each; a message received MAX_RECEIVE_COUNT times that
 * comes up again is moved to the DLQ by the redrive policy instead, as SQS does. Failed messages are
 * visible again at the next poll (the visibility timeout has passed by the next virtual step). Bodies
 * are checked as SendMessage checks them, so a line SQS would refuse fails here too.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { EventQueue } from '#events/queues.ts';
import { attributeValue, type DeadLetterSink } from '#functions/intake/dead-letters.ts';
import { INTAKE_BATCH_SIZE, MAX_RECEIVE_COUNT } from '#infra/queue-settings.ts';
import { localLambdaContext } from '../local/lambda-context.ts';
import { deadLetterOf, type DeadLetter } from '../local/dead-letters.ts';
import type { BatchResult, SqsBatchHandler } from '../local/sqs-poller.ts';

/** SendMessage's limit: 256 KiB for the body and its attributes. */
const MAX_MESSAGE_BYTES = 262_144;
/** The characters SQS accepts in a body (#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF). */
const OUTSIDE_SQS_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REGION = 'local';

/** Over SendMessage's limit in UTF-8: counted only when it could be, a UTF-16 unit taking at most 3 bytes. */
function exceedsMessageBytes(body: string): boolean {
  return body.length * 3 > MAX_MESSAGE_BYTES && Buffer.byteLength(body, 'utf8') > MAX_MESSAGE_BYTES;
}
const ACCOUNT = '000000000000';

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  readonly attributes: Record<string, MessageAttributeValue>;
  receiveCount: number;
  firstReceivedAt: number;
  inFlight: boolean;
  /** Reported done by the invocation that received it: Lambda deletes it from the queue. */
  deleted: boolean;
}

export class MemoryQueues {
  private sent = 0;
  private readonly events: Record<EventQueue, QueuedMessage[]> = { contracts: [], cases: [] };
  private readonly deadLetters: QueuedMessage[] = [];

  readonly arns: Readonly<Record<EventQueue, string>> = {
    contracts: `arn:aws:sqs:${REGION}:${ACCOUNT}:aftercare-replay-contracts`,
    cases: `arn:aws:sqs:${REGION}:${ACCOUNT}:aftercare-replay-cases`,
  };

  /** SendMessage to an event queue. */
  send(queue: EventQueue, body: string): void {
    this.events[queue].push(this.message(body, {}));
  }

  /** The intake's DLQ sink: the body untouched, the reason as message attributes (as sqsDeadLetterSink sends them). */
  deadLetterSink(): DeadLetterSink {
    return {
      send: (body, attributes) => {
        const string = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: attributeValue(value) });
        this.deadLetters.push(
          this.message(body, {
            errorCode: string(attributes.errorCode),
            errorPath: string(attributes.errorPath),
            errorMessage: string(attributes.errorMessage),
            sourceMessageId: string(attributes.sourceMessageId),
          }),
        );
        return Promise.resolve();
      },
    };
  }

  /** One receive and one invocation of `handler`, as the event source mapping does; `received: 0` when nothing was visible. */
  async pollOnce(queue: EventQueue, handler: SqsBatchHandler): Promise<BatchResult> {
    const batch = this.receive(queue);
    if (batch.length === 0) return { received: 0, failed: 0 };
    const records = batch.map((message) => this.recordOf(queue, message));
    let failedIds: readonly string[];
    try {
      const response = await handler({ Records: records }, localLambdaContext('intake'));
      failedIds = response.batchItemFailures.map((failure) => failure.itemIdentifier);
    } catch {
      // The invocation itself failed: Lambda deletes nothing, the whole batch comes back.
      failedIds = records.map((record) => record.messageId);
    }
    let failed = 0;
    for (const message of batch) {
      message.inFlight = false;
      if (failedIds.includes(message.messageId)) failed += 1;
      else message.deleted = true;
    }
    if (failed < batch.length) this.events[queue] = this.events[queue].filter((message) => !message.deleted);
    return { received: batch.length, failed };
  }

  /** How many messages the DLQ holds. */
  get deadLetterCount(): number {
    return this.deadLetters.length;
  }

  /** Every message of the DLQ, oldest first, as `receiveAllDeadLetters` lists them. */
  listDeadLetters(): DeadLetter[] {
    return this.deadLetters.map((message) => deadLetterOf(this.sdkMessage(message)));
  }

  private receive(queue: EventQueue): QueuedMessage[] {
    const batch: QueuedMessage[] = [];
    let moved = false;
    for (const message of this.events[queue]) {
      if (batch.length === INTAKE_BATCH_SIZE) break;
      if (message.inFlight) continue;
      if (message.receiveCount >= MAX_RECEIVE_COUNT) {
        message.deleted = true;
        moved = true;
        this.deadLetters.push({ ...message, deleted: false, sentAt: (this.sent += 1) });
        continue;
      }
      message.receiveCount += 1;
      if (message.receiveCount === 1) message.firstReceivedAt = this.sent;
      message.inFlight = true;
      batch.push(message);
    }
    if (moved) this.events[queue] = this.events[queue].filter((message) => !message.deleted);
    return batch;
  }

  private message(body: string, attributes: Record<string, MessageAttributeValue>): QueuedMessage {
    if (OUTSIDE_SQS_CHARACTERS.test(body)) throw new Error('InvalidMessageContents: the message body holds characters SQS does not accept');
    if (exceedsMessageBytes(body)) throw new Error(`InvalidParameterValue: the message is longer than ${MAX_MESSAGE_BYTES} bytes`);
    this.sent += 1;
    return {
      messageId: `memory-${this.sent}`,
      body,
      sentAt: this.sent,
      attributes,
      receiveCount: 0,
      firstReceivedAt: 0,
      inFlight: false,
      deleted: false,
    };
  }

  private sdkMessage(message: QueuedMessage): Message {
    return {
      MessageId: message.messageId,
      ReceiptHandle: message.messageId,
      Body: message.body,
      Attributes: { SentTimestamp: String(message.sentAt) },
      MessageAttributes: message.attributes,
    };
  }

  private recordOf(queue: EventQueue, message: QueuedMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.messageId,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.arns[queue],
      awsRegion: REGION,
    };
  }
}
