/**
 * `aftercare send FILE (--contracts-queue-url URL --cases-queue-url URL | --queue-url URL | --local)`:
 * validated events onto their queues, each routed by its type (`queueOf`): contract, pool and loan
 * events to the contracts queue, case events to the cases queue.
 */
import { EVENT_QUEUES, type EventQueue } from '#events/queues.ts';
import { sendInBatches } from '#events/send-batches.ts';
import { booleanFlag, parseFlags, stringFlag, type ParsedFlags } from '../args.ts';
import { InputFileError, UsageError } from '../errors.ts';
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
    const sqs = sqsClientFor(stack);
    try {
      let failures = 0;
      for (const { url, events: routed } of routes) {
        const summary = await sendInBatches(sqs, url, routed);
        const retried = summary.retried > 0 ? ` (${summary.retried} retried)` : '';
        output.out(`sent ${summary.sent} of ${routed.length} event(s) to ${url}${retried}`);
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
