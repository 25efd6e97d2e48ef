/**
 * The local stack's SQS poller keeps Lambda's batch contract with the real queue: messages the handler
 * reports in batchItemFailures stay in the queue and come back; the others are deleted; after
 * maxReceiveCount receives the queue's redrive policy moves a failing message to the DLQ.
 */
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueues } from '#cli/local/emulators.ts';
import { receiveAllDeadLetters } from '#cli/local/dead-letters.ts';
import { makeSqsPoller } from '#cli/local/sqs-poller.ts';
import { MAX_RECEIVE_COUNT } from '#infra/queue-settings.ts';
import { useEmulators } from '#test/support/emulator-context.ts';

const local = useEmulators();
const sqs = new SQSClient(local.sqs);
afterAll(() => sqs.destroy());

/** A handler that fails every record whose body is in `failing`, and remembers every batch it got. */
function aHandlerFailing(failing: readonly string[]): { handler: (event: SQSEvent) => Promise<SQSBatchResponse>; batches: string[][] } {
  const batches: string[][] = [];
  return {
    batches,
    handler: (event) => {
      batches.push(event.Records.map((record) => record.body));
      return Promise.resolve({
        batchItemFailures: event.Records.filter((r) => failing.includes(r.body)).map((r) => ({ itemIdentifier: r.messageId })),
      });
    },
  };
}

async function visibleAndInFlight(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

describe('the local SQS poller', () => {
  it('hands over up to 10 messages a batch, deletes the ones that succeeded and keeps the failed one', async () => {
    // Prepare
    const queues = await createQueues(sqs, `${local.queuePrefix}-batch`);
    const bodies = Array.from({ length: 12 }, (_, index) => `message-${index + 1}`);
    for (const chunk of [bodies.slice(0, 10), bodies.slice(10)]) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queues.casesQueueUrl, Entries: chunk.map((body, i) => ({ Id: String(i), MessageBody: body })) }));
    }
    const { handler, batches } = aHandlerFailing(['message-3']);
    const poller = makeSqsPoller({ sqs, queueUrl: queues.casesQueueUrl, queueArn: queues.casesQueueArn, region: local.region, handler, waitTimeSeconds: 0 });

    // Act
    const first = await poller.pollOnce();
    const second = await poller.pollOnce();

    // Assess: the failed message is neither deleted nor visible (its visibility timeout runs)
    expect(batches.every((batch) => batch.length <= 10)).toBe(true);
    expect(first.received + second.received).toBe(12);
    expect(first.failed + second.failed).toBe(1);
    expect(await visibleAndInFlight(queues.casesQueueUrl)).toBe(1);
    expect((await poller.pollOnce()).received).toBe(0);
  });

  it('lets the redrive policy move a message that keeps failing to the DLQ after maxReceiveCount receives', async () => {
    // Prepare: replay's virtual time makes a failed message visible again at once
    const queues = await createQueues(sqs, `${local.queuePrefix}-redrive`);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queues.casesQueueUrl, Entries: [{ Id: '0', MessageBody: 'always-fails' }, { Id: '1', MessageBody: 'fine' }] }));
    const { handler, batches } = aHandlerFailing(['always-fails']);
    const poller = makeSqsPoller({
      sqs,
      queueUrl: queues.casesQueueUrl,
      queueArn: queues.casesQueueArn,
      region: local.region,
      handler,
      waitTimeSeconds: 0,
      failedVisibleAgainAtOnce: true,
    });

    // Act
    while ((await poller.pollOnce()).received > 0);

    // Assess
    expect(batches.flat().filter((body) => body === 'always-fails')).toHaveLength(MAX_RECEIVE_COUNT);
    expect(batches.flat().filter((body) => body === 'fine')).toHaveLength(1);
    const deadLetters = await receiveAllDeadLetters(sqs, queues.deadLetterQueueUrl);
    expect(deadLetters.map((letter) => letter.body)).toEqual(['always-fails']);
    expect(deadLetters[0]?.error).toContain('redrive policy');
  });
});
