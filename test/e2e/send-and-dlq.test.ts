/**
 * send and dlq against a queue named by URL, reached through the standard SDK chain (here pointed at
 * the SQS emulator with AWS_ENDPOINT_URL_SQS): events go out in batches of ten; dead letters are listed
 * with the reason the intake gave, listing leaves them in place, and redrive moves the chosen ones back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type LocalQueues } from '#cli/local/emulators.ts';
import { runCli } from '#cli/main.ts';
import type { Output } from '#cli/output.ts';
import { sqsDeadLetterSink } from '#functions/intake/dead-letters.ts';
import { useEmulators } from '#test/support/emulator-context.ts';

const local = useEmulators();
const sqs = new SQSClient(local.sqs);
let queues: LocalQueues;

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: local.region,
    AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: local.sqs.endpoint,
  });
  queues = await createQueues(sqs, local.queuePrefix);
});
afterAll(() => sqs.destroy());

async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: Output = { out: (text) => stdout.push(text), err: (text) => stderr.push(text), errIsTty: false };
  const status = await runCli(argv, output);
  return { status, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const anEvent = (index: number): string =>
  JSON.stringify({ eventId: `E-${index}`, type: 'case.responded', occurredAt: '2026-11-28T09:00:00+01:00', contractId: 'C-1', caseId: `K-${index}` });

async function drain(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((message) => message.Body ?? ''));
  }
}

const aTermination = (index: number): string =>
  JSON.stringify({ eventId: `T-${index}`, type: 'contract.termination_requested', occurredAt: '2026-11-28T09:00:00+01:00', contractId: `C-${index}`, reason: 'notice' });
const eventIdsOf = (bodies: readonly string[]): string[] => bodies.map((body) => (JSON.parse(body) as { eventId: string }).eventId).sort();

describe('aftercare send --queue-url', () => {
  it('sends every event of a 23-line file of case events and says so', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'aftercare-send-')), 'events.jsonl');
    writeFileSync(file, `${Array.from({ length: 23 }, (_, i) => anEvent(i + 1)).join('\n')}\n`);

    // Act
    const run = await cli('send', file, '--queue-url', queues.casesQueueUrl);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`sent 23 of 23 event(s) to ${queues.casesQueueUrl}`);
    const bodies = await drain(queues.casesQueueUrl);
    expect(eventIdsOf(bodies)).toEqual(Array.from({ length: 23 }, (_, i) => `E-${i + 1}`).sort());
  });

  it('refuses a file of contract and case events with one queue URL, sending nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aftercare-send-')), 'events.jsonl');
    writeFileSync(file, `${[aTermination(1), anEvent(1)].join('\n')}\n`);

    const run = await cli('send', file, '--queue-url', queues.casesQueueUrl);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('give --contracts-queue-url and --cases-queue-url');
    expect(await drain(queues.casesQueueUrl)).toEqual([]);
  });
});

describe('aftercare send routes each event to its queue by type', () => {
  it('contract events to the contracts queue, case events to the cases queue', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'aftercare-send-')), 'events.jsonl');
    writeFileSync(file, `${[aTermination(1), anEvent(1), anEvent(2), aTermination(2), anEvent(3)].join('\n')}\n`);

    // Act
    const run = await cli('send', file, '--contracts-queue-url', queues.contractsQueueUrl, '--cases-queue-url', queues.casesQueueUrl);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      [`sent 2 of 2 event(s) to ${queues.contractsQueueUrl}`, `sent 3 of 3 event(s) to ${queues.casesQueueUrl}`].join('\n'),
    );
    expect(eventIdsOf(await drain(queues.contractsQueueUrl))).toEqual(['T-1', 'T-2']);
    expect(eventIdsOf(await drain(queues.casesQueueUrl))).toEqual(['E-1', 'E-2', 'E-3']);
  });

  it('asks for the queue a file needs when its URL is missing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aftercare-send-')), 'events.jsonl');
    writeFileSync(file, `${aTermination(1)}\n`);

    const run = await cli('send', file, '--cases-queue-url', queues.casesQueueUrl);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('holds contract events: give --contracts-queue-url');
  });
});

describe('aftercare send --in-order', () => {
  it("sends each run of one queue's lines only once the intake took the run before, so they are taken in the file's order", async () => {
    // Prepare: queues of its own (the tests above leave messages in flight), and an intake stand-in
    // that takes both queues in parallel, deleting what it took, as the local stack's poller does
    const own = await createQueues(sqs, `${local.queuePrefix}-ordered`);
    const file = join(mkdtempSync(join(tmpdir(), 'aftercare-send-')), 'events.jsonl');
    writeFileSync(file, `${[aTermination(1), anEvent(1), anEvent(2), aTermination(2), anEvent(3)].join('\n')}\n`);
    const taken: string[] = [];
    let sending = true;
    const take = async (queueUrl: string): Promise<void> => {
      while (sending) {
        const { Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const message of messages) {
          taken.push((JSON.parse(message.Body ?? '{}') as { eventId: string }).eventId);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      }
    };
    const intake = Promise.all([take(own.contractsQueueUrl), take(own.casesQueueUrl)]);

    // Act
    const run = await cli('send', file, '--in-order', '--contracts-queue-url', own.contractsQueueUrl, '--cases-queue-url', own.casesQueueUrl);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    sending = false;
    await intake;

    // Assess: three runs, taken run by run (within a run SQS keeps no order)
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `sent 1 of 1 event(s) to ${own.contractsQueueUrl} (run 1 of 4, in the file's order)`,
      `sent 2 of 2 event(s) to ${own.casesQueueUrl} (run 2 of 4, in the file's order)`,
      `sent 1 of 1 event(s) to ${own.contractsQueueUrl} (run 3 of 4, in the file's order)`,
      `sent 1 of 1 event(s) to ${own.casesQueueUrl} (run 4 of 4, in the file's order)`,
    ]);
    expect([taken[0], [...taken.slice(1, 3)].sort(), taken[3], taken[4]]).toEqual(['T-1', ['E-1', 'E-2'], 'T-2', 'E-3']);
  }, 60_000);
});

describe('aftercare dlq', () => {
  it('lists dead letters with their error, leaves them, and redrives only the chosen one', async () => {
    // Prepare: two poison messages as the intake dead-letters them
    const sink = sqsDeadLetterSink(sqs, queues.deadLetterQueueUrl);
    await sink.send('{not json', { errorCode: 'POISON_MESSAGE', errorPath: '$', errorMessage: 'body is not JSON', sourceMessageId: 'm-1' });
    await sink.send(anEvent(99).replace('"C-1"', '""'), {
      errorCode: 'POISON_MESSAGE',
      errorPath: 'contractId',
      errorMessage: 'Too small: expected string to have >=1 characters',
      sourceMessageId: 'm-2',
    });

    // Act
    const listed = await cli('dlq', 'list', '--queue-url', queues.deadLetterQueueUrl, '--json');
    const listedAgain = await cli('dlq', 'list', '--queue-url', queues.deadLetterQueueUrl);
    const redriven = await cli(
      'dlq', 'redrive', '--queue-url', queues.deadLetterQueueUrl,
      '--contracts-queue-url', queues.contractsQueueUrl, '--cases-queue-url', queues.casesQueueUrl, '--ids', 'E-99',
    );

    // Assess
    expect(listed.status).toBe(0);
    const letters = JSON.parse(listed.stdout) as { eventId: string | null; error: string; errorCode: string }[];
    expect(letters.map(({ eventId, error, errorCode }) => ({ eventId, error, errorCode }))).toEqual(
      expect.arrayContaining([
        { eventId: null, error: '$: body is not JSON', errorCode: 'POISON_MESSAGE' },
        { eventId: 'E-99', error: 'contractId: Too small: expected string to have >=1 characters', errorCode: 'POISON_MESSAGE' },
      ]),
    );
    expect(letters).toHaveLength(2);
    expect(listedAgain.stdout).toContain('2 dead letter(s)');
    expect(redriven.status).toBe(0);
    expect(redriven.stdout).toBe(`redrove 1 message(s) to ${queues.casesQueueUrl}`);
    expect(await drain(queues.casesQueueUrl)).toEqual([anEvent(99).replace('"C-1"', '""')]);
    const left = await cli('dlq', 'list', '--queue-url', queues.deadLetterQueueUrl, '--json');
    expect((JSON.parse(left.stdout) as { body: string }[]).map((letter) => letter.body)).toEqual(['{not json']);
  });

  it('redrives an event dead-lettered on the wrong queue to the queue its type belongs on', async () => {
    const sink = sqsDeadLetterSink(sqs, queues.deadLetterQueueUrl);
    await sink.send(aTermination(7), {
      errorCode: 'WRONG_QUEUE',
      errorPath: 'type',
      errorMessage: 'contract.termination_requested events belong on the contracts queue, not the cases queue',
      sourceMessageId: 'm-7',
    });

    const redriven = await cli(
      'dlq', 'redrive', '--queue-url', queues.deadLetterQueueUrl,
      '--contracts-queue-url', queues.contractsQueueUrl, '--cases-queue-url', queues.casesQueueUrl, '--ids', 'T-7',
    );

    expect(redriven.stdout).toBe(`redrove 1 message(s) to ${queues.contractsQueueUrl}`);
    expect(await drain(queues.contractsQueueUrl)).toEqual([aTermination(7)]);
  });

  it('refuses an id that is not in the dead-letter queue', async () => {
    const run = await cli('dlq', 'redrive', '--queue-url', queues.deadLetterQueueUrl, '--target-url', queues.casesQueueUrl, '--ids', 'nope');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('aftercare: dlq: not in the dead-letter queue: nope');
  });
});

describe('a queue that does not exist', () => {
  it('is reported in one line, not as a stack trace', async () => {
    const run = await cli('dlq', 'list', '--queue-url', `${queues.deadLetterQueueUrl}-missing`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^aftercare: QueueDoesNotExist: /);
    expect(run.stderr).not.toContain('\n');
  });
});
