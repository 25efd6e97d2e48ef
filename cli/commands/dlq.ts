/** `aftercare dlq list|redrive`: what is in the dead-letter queue and why, and sending chosen ones back. */
import { localOr, parseFlags, stringFlag, type ParsedFlags } from '../args.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { sqsClientFor } from '../local/clients.ts';
import { receiveAllDeadLetters, redriveDeadLetters, releaseDeadLetters, type DeadLetter } from '../local/dead-letters.ts';
import { readStackFile, type StackFile } from '../local/stack-file.ts';
import { EVENT_QUEUES, queueOfBody, type EventQueue } from '#events/queues.ts';
import type { Output } from '../output.ts';
import { table } from '../report/format.ts';
import type { Command } from './command.ts';

const FLAGS = {
  'queue-url': { type: 'string' },
  'target-url': { type: 'string' },
  'contracts-queue-url': { type: 'string' },
  'cases-queue-url': { type: 'string' },
  local: { type: 'boolean' },
  ids: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const dlqCommand: Command = {
  name: 'dlq',
  usage: `Usage: aftercare dlq list    (--queue-url DLQ_URL | --local) [--ids ID,ID] [--json]
       aftercare dlq redrive (--queue-url DLQ_URL (--contracts-queue-url URL --cases-queue-url URL | --target-url URL) | --local) [--ids ID,ID]

list shows every message in the dead-letter queue with the reason the intake gave (field path and
message) or, for a message that failed too often, the redrive policy. Listing leaves them in place.
redrive sends the chosen messages' original bodies back and deletes them from the DLQ; without --ids
it redrives all of them. Both event queues share the DLQ, so each message goes to the queue its type
belongs on (contract.*, pool.* and loan.* to the contracts queue, the rest to the cases queue), not to where it came from:
a message dead-lettered for being on the wrong queue goes to the right one.

  --queue-url URL    the dead-letter queue (region and credentials from the standard AWS chain)
  --contracts-queue-url URL  where redriven contract, pool and loan events go
  --cases-queue-url URL      where redriven case events (and bodies that are not events) go
  --target-url URL   every redriven message to this one queue instead, unrouted
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
    const targets = redriveTargets(stack, flags);
    if (action === 'redrive' && targets === null) {
      throw new UsageError('dlq redrive: give --contracts-queue-url and --cases-queue-url (or --target-url) with --queue-url');
    }
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
      let failures = 0;
      if (chosen.length === 0) output.out('redrove 0 message(s)');
      for (const { url, letters: routed } of routeLetters(chosen, targets ?? { contracts: '', cases: '' })) {
        const { redriven, failed } = await redriveDeadLetters(sqs, deadLetterQueueUrl, url, routed);
        output.out(`redrove ${redriven.length} message(s) to ${url}`);
        for (const failure of failed) output.err(`not redriven: ${failure.letter.messageId}: ${failure.reason}`);
        failures += failed.length;
      }
      return failures === 0 ? 0 : 1;
    } finally {
      sqs.destroy();
    }
  },
};

/** Where redriven messages go, per queue; null when the flags name no target. */
function redriveTargets(stack: StackFile | null, flags: ParsedFlags): Record<EventQueue, string> | null {
  if (stack !== null) return { contracts: stack.contractsQueueUrl, cases: stack.casesQueueUrl };
  const single = stringFlag(flags, 'target-url');
  if (single !== undefined) return { contracts: single, cases: single };
  const contracts = stringFlag(flags, 'contracts-queue-url');
  const cases = stringFlag(flags, 'cases-queue-url');
  return contracts === undefined || cases === undefined ? null : { contracts, cases };
}

/** The letters of each target URL, in DLQ order; one group when both queues share a URL (`--target-url`). */
function routeLetters(letters: readonly DeadLetter[], targets: Record<EventQueue, string>): { url: string; letters: DeadLetter[] }[] {
  const groups = new Map<string, DeadLetter[]>();
  for (const queue of EVENT_QUEUES) groups.set(targets[queue], groups.get(targets[queue]) ?? []);
  for (const letter of letters) groups.get(targets[queueOfBody(letter.body)])?.push(letter);
  return [...groups.entries()].filter(([, routed]) => routed.length > 0).map(([url, routed]) => ({ url, letters: routed }));
}

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
