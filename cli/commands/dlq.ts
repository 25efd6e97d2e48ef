/** `aftercare dlq list|redrive`: what is in the dead-letter queue and why, and sending chosen ones back. */
import { localOr, parseFlags, stringFlag, type ParsedFlags } from '../args.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { sqsClientFor } from '../local/clients.ts';
import { receiveAllDeadLetters, redriveDeadLetters, releaseDeadLetters, type DeadLetter } from '../local/dead-letters.ts';
import { readStackFile } from '../local/stack-file.ts';
import type { Output } from '../output.ts';
import { table } from '../report/format.ts';
import type { Command } from './command.ts';

const FLAGS = {
  'queue-url': { type: 'string' },
  'target-url': { type: 'string' },
  local: { type: 'boolean' },
  ids: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const dlqCommand: Command = {
  name: 'dlq',
  usage: `Usage: aftercare dlq list    (--queue-url DLQ_URL | --local) [--ids ID,ID] [--json]
       aftercare dlq redrive (--queue-url DLQ_URL --target-url EVENTS_URL | --local) [--ids ID,ID]

list shows every message in the dead-letter queue with the reason the intake gave (field path and
message) or, for a message that failed too often, the redrive policy. Listing leaves them in place.
redrive sends the chosen messages' original bodies to the events queue and deletes them from the DLQ;
without --ids it redrives all of them.

  --queue-url URL    the dead-letter queue (region and credentials from the standard AWS chain)
  --target-url URL   where redriven messages go: the events queue
  --local            the queues of the running local stack (\`npm start\`)
  --ids ID,ID        only these messages, by message id or event id
  --json             list as JSON
  -h, --help         this text`,
  async run(argv, output) {
    const [action, ...rest] = argv;
    if (action !== 'list' && action !== 'redrive') {
      throw new UsageError(`dlq: say list or redrive${action === undefined ? '' : `, not "${action}"`} (see \`aftercare dlq --help\`)`);
    }
    const flags = parseFlags(`dlq ${action}`, rest, FLAGS);
    const target = localOr(`dlq ${action}`, flags, 'queue-url');
    const stack = target.local ? readStackFile() : null;
    const deadLetterQueueUrl = stack?.deadLetterQueueUrl ?? (target.local ? '' : target.value);
    const eventsQueueUrl = stack?.eventsQueueUrl ?? stringFlag(flags, 'target-url');
    if (action === 'redrive' && eventsQueueUrl === undefined) throw new UsageError('dlq redrive: --target-url is required with --queue-url');
    const sqs = sqsClientFor(stack);
    try {
      const letters = await receiveAllDeadLetters(sqs, deadLetterQueueUrl);
      let chosen: DeadLetter[];
      try {
        chosen = choose(letters, flags);
      } catch (error) {
        // Received means hidden for a while: give them back before reporting the bad id.
        await releaseDeadLetters(sqs, deadLetterQueueUrl, letters);
        throw error;
      }
      if (action === 'list') {
        await releaseDeadLetters(sqs, deadLetterQueueUrl, letters);
        printList(chosen, flags.values.json === true, output);
        return 0;
      }
      await releaseDeadLetters(sqs, deadLetterQueueUrl, letters.filter((letter) => !chosen.includes(letter)));
      const { redriven, failed } = await redriveDeadLetters(sqs, deadLetterQueueUrl, eventsQueueUrl ?? '', chosen);
      output.out(`redrove ${redriven.length} message(s) to ${eventsQueueUrl ?? ''}`);
      for (const failure of failed) output.err(`not redriven: ${failure.letter.messageId}: ${failure.reason}`);
      return failed.length === 0 ? 0 : 1;
    } finally {
      sqs.destroy();
    }
  },
};

function choose(letters: readonly DeadLetter[], flags: ParsedFlags): DeadLetter[] {
  const ids = stringFlag(flags, 'ids');
  if (ids === undefined) return [...letters];
  const wanted = ids.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (wanted.length === 0) throw new UsageError('dlq: --ids needs at least one id');
  const missing = wanted.filter((id) => !letters.some((letter) => letter.messageId === id || letter.eventId === id));
  if (missing.length > 0) throw new NotFoundError(`dlq: not in the dead-letter queue: ${missing.join(', ')}`);
  return letters.filter((letter) => wanted.includes(letter.messageId) || (letter.eventId !== null && wanted.includes(letter.eventId)));
}

function printList(letters: readonly DeadLetter[], json: boolean, output: Output): void {
  if (json) {
    const listed = letters.map(({ messageId, eventId, errorCode, error, sentAt, body }) => ({
      messageId,
      eventId,
      errorCode,
      error,
      sentAt: sentAt === null ? null : new Date(sentAt).toISOString(),
      body,
    }));
    output.out(JSON.stringify(listed, null, 2));
    return;
  }
  if (letters.length === 0) {
    output.out('the dead-letter queue is empty');
    return;
  }
  const rows = letters.map((letter) => [letter.messageId, letter.eventId ?? '(none)', letter.error]);
  output.out(table(['message id', 'event id', 'error'], rows).join('\n'));
  output.out(`${letters.length} dead letter(s)`);
}
