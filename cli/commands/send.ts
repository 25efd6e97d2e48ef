/** `aftercare send FILE (--queue-url URL | --local)`: validated events onto the events queue. */
import { localOr, parseFlags } from '../args.ts';
import { InputFileError, UsageError } from '../errors.ts';
import { eventDocuments, readTextFile } from '../input/lines.ts';
import { sqsClientFor } from '../local/clients.ts';
import { readStackFile } from '../local/stack-file.ts';
import { sendInBatches } from '../send/send-batches.ts';
import { validateEventLines } from '../send/validate.ts';
import type { Command } from './command.ts';

const MAX_BAD_LINES_SHOWN = 20;

export const sendCommand: Command = {
  name: 'send',
  usage: `Usage: aftercare send FILE (--queue-url URL | --local)

FILE is JSON Lines (one event per line), one JSON event (the files in examples/), or a JSON array of
events. Every event is validated against the v1 contract first; if any is invalid, the bad ones are
listed with their line and reason and nothing is sent. Valid files are sent with SendMessageBatch in
tens, refused entries retried with backoff.

  --queue-url URL  the events queue (region and credentials from the standard AWS chain)
  --local          the queue of the running local stack (\`npm start\`)
  -h, --help       this text`,
  async run(argv, output) {
    const flags = parseFlags('send', argv, { 'queue-url': { type: 'string' }, local: { type: 'boolean' } }, 1);
    const file = flags.positionals[0];
    if (file === undefined) throw new UsageError('send: name the events file (see `aftercare send --help`)');
    const target = localOr('send', flags, 'queue-url');
    const { events, bad } = validateEventLines(eventDocuments(readTextFile(file, 'events file')));
    if (bad.length > 0) {
      for (const line of bad.slice(0, MAX_BAD_LINES_SHOWN)) output.err(`${file} ${line.where}: ${line.reason}`);
      if (bad.length > MAX_BAD_LINES_SHOWN) output.err(`… and ${bad.length - MAX_BAD_LINES_SHOWN} more`);
      throw new InputFileError(`send: ${bad.length} invalid event(s) in ${file}; nothing was sent`);
    }
    if (events.length === 0) throw new InputFileError(`send: ${file} holds no events`);
    const stack = target.local ? readStackFile() : null;
    const queueUrl = stack?.eventsQueueUrl ?? (target.local ? '' : target.value);
    const sqs = sqsClientFor(stack);
    try {
      const summary = await sendInBatches(sqs, queueUrl, events);
      const retried = summary.retried > 0 ? ` (${summary.retried} retried)` : '';
      output.out(`sent ${summary.sent} of ${events.length} event(s) to ${queueUrl}${retried}`);
      for (const failure of summary.failed) output.err(`not sent: ${failure.eventId}: ${failure.reason}`);
      return summary.failed.length === 0 ? 0 : 1;
    } finally {
      sqs.destroy();
    }
  },
};
