/**
 * Reading and redriving the dead-letter queue. Listing receives every message (each hidden while the
 * listing runs, so none is seen twice) and then makes them visible again: listing changes nothing.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { MAX_RECEIVE_COUNT } from '#infra/queue-settings.ts';

export interface DeadLetter {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** The body's eventId, or null when the body has none (not JSON, no string eventId). */
  readonly eventId: string | null;
  /** `path: message` as the intake dead-lettered it, or why the redrive policy moved it. */
  readonly error: string;
  readonly errorCode: string | null;
  readonly sentAt: number | null;
}

/** SQS's limit for a receive and for every batch call. */
const SQS_BATCH = 10;
const LISTING_VISIBILITY_SECONDS = 60;

export async function receiveAllDeadLetters(sqs: SQSClient, queueUrl: string): Promise<DeadLetter[]> {
  const seen = new Map<string, DeadLetter>();
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: SQS_BATCH,
        WaitTimeSeconds: 0,
        VisibilityTimeout: LISTING_VISIBILITY_SECONDS,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const fresh = messages.map(deadLetterOf).filter((letter) => !seen.has(letter.messageId));
    if (fresh.length === 0) break;
    for (const letter of fresh) seen.set(letter.messageId, letter);
  }
  return [...seen.values()].sort((a, b) => (a.sentAt ?? 0) - (b.sentAt ?? 0));
}

/** Makes received messages visible again at once. */
export async function releaseDeadLetters(sqs: SQSClient, queueUrl: string, letters: readonly DeadLetter[]): Promise<void> {
  for (const chunk of chunks(letters)) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((letter, index) => ({ Id: String(index), ReceiptHandle: letter.receiptHandle, VisibilityTimeout: 0 })),
      }),
    );
  }
}

/** Sends each letter's original body to `targetUrl`, then deletes from the DLQ the ones that were sent. */
export async function redriveDeadLetters(
  sqs: SQSClient,
  deadLetterQueueUrl: string,
  targetUrl: string,
  letters: readonly DeadLetter[],
): Promise<{ redriven: DeadLetter[]; failed: { letter: DeadLetter; reason: string }[] }> {
  const redriven: DeadLetter[] = [];
  const failed: { letter: DeadLetter; reason: string }[] = [];
  for (const chunk of chunks(letters)) {
    const { Successful: sent = [], Failed: refused = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: targetUrl,
        Entries: chunk.map((letter, index) => ({ Id: String(index), MessageBody: letter.body })),
      }),
    );
    const sentLetters = sent.flatMap((entry) => chunk[Number(entry.Id)] ?? []);
    for (const entry of refused) {
      const letter = chunk[Number(entry.Id)];
      if (letter !== undefined) failed.push({ letter, reason: entry.Message ?? entry.Code ?? 'refused' });
    }
    if (sentLetters.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deadLetterQueueUrl,
          Entries: sentLetters.map((letter, index) => ({ Id: String(index), ReceiptHandle: letter.receiptHandle })),
        }),
      );
    }
    redriven.push(...sentLetters);
  }
  return { redriven, failed };
}

/** A received DLQ message as a dead letter: its body, its event id and why it is there. */
export function deadLetterOf(message: Message): DeadLetter {
  const attribute = (name: string): string | null => message.MessageAttributes?.[name]?.StringValue ?? null;
  const body = message.Body ?? '';
  const path = attribute('errorPath');
  const reason = attribute('errorMessage');
  const sentAt = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body,
    eventId: eventIdOf(body),
    error:
      reason === null
        ? `processing failed ${MAX_RECEIVE_COUNT} times; moved by the queue's redrive policy`
        : path === null
          ? reason
          : `${path}: ${reason}`,
    errorCode: attribute('errorCode'),
    sentAt: Number.isFinite(sentAt) ? sentAt : null,
  };
}

function eventIdOf(body: string): string | null {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null && 'eventId' in json && typeof json.eventId === 'string') return json.eventId;
  } catch {
    // Not JSON: no event id to show.
  }
  return null;
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let offset = 0; offset < items.length; offset += SQS_BATCH) result.push(items.slice(offset, offset + SQS_BATCH));
  return result;
}
