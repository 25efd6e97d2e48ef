/**
 * `aftercare send FILE (--contracts-queue-url URL --cases-queue-url URL | --queue-url URL | --local)`:
 * validated events onto their queues, each routed by its type (`queueOf`): contract, pool and loan
 * events to the contracts queue, case events to the cases queue.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EVENT_QUEUES, type EventQueue } from '#events/queues.ts';
import { sendInBatches } from '#events/send-batches.ts';
import { booleanFlag, parseFlags, stringFlag, type ParsedFlags } from '../args.ts';
import { InputFileError, QueuesNotTakenError, UsageError } from '../errors.ts';
import { eventDocuments, readTextFile } from '../input/lines.ts';
import { sqsClientFor } from '../local/clients.ts';
import { readStackFile, type StackFile } from '../local/stack-file.ts';
import { validateEventLines, type ValidatedEvent } from '../send/validate.ts';
import type { Command } from './command.ts';

const MAX_BAD_LINES_SHOWN = 20;

const QUEUE_FLAGS: Readonly<Record<EventQueue, string>> = { contracts: 'contracts-queue-url', cases: 'cases-queue-url' };
const KIND: Readonly<Record<EventQueue, string>> = { contracts: 'contract', cases: 'case' };

export const sendCommand: Command = {
  name: 'send',
  usage: `Usage: aftercare send FILE (--contracts-queue-url URL --cases-queue-url URL | --queue-url URL | --local)

FILE is JSON Lines (one event per line), one JSON event (the files in examples/), or a JSON array of
events. A replay line {"deliverAt": …, "event": {…}} (examples/demo-year.jsonl) sends its event now:
the delivery time is for \`aftercare replay\`. Every event is validated against the v1 contract first;
if any is invalid, the bad ones are listed with their line and reason and nothing is sent. Each event
goes to the queue its type belongs on: contract, pool and loan events (contract.*, pool.*, loan.*) to
the contracts queue, case events (case.*) to the cases queue; the intake dead-letters an event on the
wrong queue. Valid files are sent with SendMessageBatch in tens, refused entries retried with backoff,
one queue after the other (contracts first).

The intake takes the two queues in parallel, so a file that mixes contract and case events sent that way
is applied in the order the race between the queues has it (a loan return before its loan, a delivery
after a restock it comes before). With --in-order (implied by --local) the file is sent in its own
order instead: each run of lines bound for one queue is sent, then \`send\` waits until both queues are
empty with nothing in flight (the intake took every message) before it sends the next run.

  --in-order                 the file's order across the two queues (the default with --local)
  --contracts-queue-url URL  the contracts queue (needed when FILE holds contract, pool or loan events)
  --cases-queue-url URL      the cases queue (needed when FILE holds case events)
  --queue-url URL            one queue, for a FILE whose events all belong on it
  --local                    the queues of the running local stack (\`npm start\`)
  -h, --help                 this text
Region and credentials of the URLs come from the standard AWS chain.`,
  async run(argv, output) {
    const flags = parseFlags(
      'send',
      argv,
      {
        'contracts-queue-url': { type: 'string' },
        'cases-queue-url': { type: 'string' },
        'queue-url': { type: 'string' },
        local: { type: 'boolean' },
        'in-order': { type: 'boolean' },
      },
      1,
    );
    const file = flags.positionals[0];
    if (file === undefined) throw new UsageError('send: name the events file (see `aftercare send --help`)');
    const local = booleanFlag(flags, 'local');
    checkTargetFlags(flags, local);
    const { events, bad } = validateEventLines(eventDocuments(readTextFile(file, 'events file')));
    if (bad.length > 0) {
      for (const line of bad.slice(0, MAX_BAD_LINES_SHOWN)) output.err(`${file} ${line.where}: ${line.reason}`);
      if (bad.length > MAX_BAD_LINES_SHOWN) output.err(`… and ${bad.length - MAX_BAD_LINES_SHOWN} more`);
      throw new InputFileError(`send: ${bad.length} invalid event(s) in ${file}; nothing was sent`);
    }
    if (events.length === 0) throw new InputFileError(`send: ${file} holds no events`);
    const replayLines = events.filter((event) => event.fromReplayLine);
    if (replayLines.length > 0) {
      const first = replayLines[0]?.where ?? '';
      output.err(
        `${file}: ${replayLines.length} replay line(s) {"deliverAt", "event"} (first at ${first}): their events are sent now; ` +
          'a delivery time is for `aftercare replay`',
      );
    }
    const stack = local ? readStackFile() : null;
    const routes = routesOf(events, flags, stack, file);
    const inOrder = (local || booleanFlag(flags, 'in-order')) && routes.length > 1;
    const runs = inOrder ? runsInFileOrder(events, routes) : routes;
    const sqs = sqsClientFor(stack);
    try {
      let failures = 0;
      for (const [index, { url, events: routed }] of runs.entries()) {
        if (inOrder && index > 0) {
          await untilTaken(sqs, routes.map((route) => route.url), (line) => output.err(line));
        }
        const summary = await sendInBatches(sqs, url, routed);
        const retried = summary.retried > 0 ? ` (${summary.retried} retried)` : '';
        const run = inOrder ? ` (run ${index + 1} of ${runs.length}, in the file's order)` : '';
        output.out(`sent ${summary.sent} of ${routed.length} event(s) to ${url}${retried}${run}`);
        for (const failure of summary.failed) output.err(`not sent: ${failure.eventId}: ${failure.reason}`);
        failures += summary.failed.length;
      }
      return failures === 0 ? 0 : 1;
    } finally {
      sqs.destroy();
    }
  },
};

function checkTargetFlags(flags: ParsedFlags, local: boolean): void {
  const given = ['contracts-queue-url', 'cases-queue-url', 'queue-url'].filter((name) => stringFlag(flags, name) !== undefined);
  if (local && given.length > 0) throw new UsageError(`send: give either --${given[0] ?? ''} or --local, not both`);
  if (given.includes('queue-url') && given.length > 1) {
    throw new UsageError('send: give --queue-url or --contracts-queue-url/--cases-queue-url, not both');
  }
  if (!local && given.length === 0) {
    throw new UsageError('send: give --contracts-queue-url and --cases-queue-url, --queue-url, or --local (see `aftercare send --help`)');
  }
}

/** The events of each queue, in file order, with the URL they go to; contracts first. */
function routesOf(
  events: readonly ValidatedEvent[],
  flags: ParsedFlags,
  stack: StackFile | null,
  file: string,
): { queue: EventQueue; url: string; events: ValidatedEvent[] }[] {
  const present = EVENT_QUEUES.filter((queue) => events.some((event) => event.queue === queue));
  const single = stringFlag(flags, 'queue-url');
  if (single !== undefined && present.length > 1) {
    throw new UsageError(
      `send: ${file} holds contract and case events, which go to two queues: give --contracts-queue-url and --cases-queue-url`,
    );
  }
  return present.map((queue) => {
    const url =
      stack === null ? (single ?? stringFlag(flags, QUEUE_FLAGS[queue])) : queue === 'contracts' ? stack.contractsQueueUrl : stack.casesQueueUrl;
    if (url === undefined || url === '') {
      throw new UsageError(`send: ${file} holds ${KIND[queue]} events: give --${QUEUE_FLAGS[queue]}`);
    }
    return { queue, url, events: events.filter((event) => event.queue === queue) };
  });
}

/** The file's events as runs of consecutive lines bound for one queue, in file order, each with its queue's URL. */
function runsInFileOrder(
  events: readonly ValidatedEvent[],
  routes: readonly { queue: EventQueue; url: string }[],
): { url: string; events: ValidatedEvent[] }[] {
  const urlOf = new Map(routes.map((route) => [route.queue, route.url]));
  const runs: { queue: EventQueue; url: string; events: ValidatedEvent[] }[] = [];
  for (const event of events) {
    const last = runs.at(-1);
    if (last?.queue === event.queue) last.events.push(event);
    else runs.push({ queue: event.queue, url: urlOf.get(event.queue) ?? '', events: [event] });
  }
  return runs;
}

const TAKEN_POLL_MS = 250;
const TAKEN_REPORT_MS = 15_000;
/** Longer than the queues' visibility timeout (3 minutes), so a message failed once is seen through its retry. */
const TAKEN_TIMEOUT_MS = 10 * 60_000;

/**
 * Resolves once no message waits in or is in flight from any of the queues: the intake took (and deleted)
 * every one. SQS's counts are approximate for about a minute on AWS; on the local stack they are exact.
 */
async function untilTaken(sqs: SQSClient, queueUrls: readonly string[], report: (line: string) => void): Promise<void> {
  const started = Date.now();
  let reported = started;
  for (;;) {
    let waiting = 0;
    for (const QueueUrl of queueUrls) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      waiting += Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    }
    if (waiting === 0) return;
    const now = Date.now();
    if (now - started > TAKEN_TIMEOUT_MS) {
      throw new QueuesNotTakenError(
        `send: ${waiting} message(s) still on the queues after ${TAKEN_TIMEOUT_MS / 60_000} minutes; is the intake running? The rest of the file was not sent`,
      );
    }
    if (now - reported >= TAKEN_REPORT_MS) {
      report(`waiting for the intake to take ${waiting} message(s) before the next run (${Math.round((now - started) / 1000)} s)`);
      reported = now;
    }
    await new Promise((resolve) => setTimeout(resolve, TAKEN_POLL_MS));
  }
}
