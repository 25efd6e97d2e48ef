/**
 * SendMessageBatch in tens (the SQS limit), retrying only the entries SQS refused, with backoff: how
 * `aftercare send` and the webhooks endpoint put events on their queue.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** An event ready for its queue: its id (for failures) and the body as sent. */
export interface QueuedEvent {
  readonly eventId: string;
  readonly body: string;
}

export const SQS_BATCH_SIZE = 10;
export const SEND_TRIES = 4;

export interface SendSummary {
  readonly sent: number;
  readonly retried: number;
  readonly failed: readonly { readonly eventId: string; readonly reason: string }[];
}

export async function sendInBatches(
  sqs: SQSClient,
  queueUrl: string,
  events: readonly QueuedEvent[],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<SendSummary> {
  let sent = 0;
  let retried = 0;
  const failed: { eventId: string; reason: string }[] = [];
  for (let offset = 0; offset < events.length; offset += SQS_BATCH_SIZE) {
    let pending = events.slice(offset, offset + SQS_BATCH_SIZE);
    for (let tryNumber = 1; pending.length > 0; tryNumber += 1) {
      const refusals = await sendOnce(sqs, queueUrl, pending);
      sent += pending.length - refusals.length;
      const retryable = refusals.filter((refusal) => !refusal.senderFault);
      for (const refusal of refusals.filter((r) => r.senderFault)) failed.push({ eventId: refusal.event.eventId, reason: refusal.reason });
      if (tryNumber >= SEND_TRIES) {
        for (const refusal of retryable) failed.push({ eventId: refusal.event.eventId, reason: refusal.reason });
        break;
      }
      pending = retryable.map((refusal) => refusal.event);
      retried += pending.length;
      if (pending.length > 0) await sleep(100 * 2 ** (tryNumber - 1));
    }
  }
  return { sent, retried, failed };
}

interface Refusal {
  readonly event: QueuedEvent;
  readonly reason: string;
  /** The entry itself is wrong (SQS says SenderFault): sending it again cannot help. */
  readonly senderFault: boolean;
}

async function sendOnce(sqs: SQSClient, queueUrl: string, batch: readonly QueuedEvent[]): Promise<Refusal[]> {
  const { Failed: refused = [] } = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: batch.map((event, index) => ({ Id: String(index), MessageBody: event.body })),
    }),
  );
  return refused.flatMap((entry) => {
    const event = batch[Number(entry.Id)];
    if (event === undefined) return [];
    return [{ event, reason: `${entry.Code ?? 'refused'}: ${entry.Message ?? ''}`.trim(), senderFault: entry.SenderFault === true }];
  });
}
