/** `aftercare replay`: the real handlers over a file of events on a virtual clock (docs/design.md#9-running-it). */
import { loadCatalogFile } from '#config/catalog.ts';
import { booleanFlag, instantFlag, parseFlags, requiredFlag, stringFlag } from '../args.ts';
import { UsageError } from '../errors.ts';
import { REPLAY_ENGINES, type ReplayEngineKind } from '../replay/engines.ts';
import { jsonLines, readTextFile } from '../input/lines.ts';
import { deliveriesOf } from '../replay/input.ts';
import { progressBar } from '../replay/progress.ts';
import { replayReport } from '../replay/report.ts';
import { runReplay } from '../replay/run-replay.ts';
import type { Command } from './command.ts';

export const replayCommand: Command = {
  name: 'replay',
  usage: `Usage: aftercare replay --catalog FILE --events FILE.jsonl [--until INSTANT] [--json]
                        [--engine memory|emulators]

Sends each line of the events file to the events queue at its time and lets the real intake, sweep,
lifecycle and notifier handlers work on it, on a virtual clock: the sweep every virtual minute that has something
due, the lifecycle at 06:00 Europe/Oslo each day, notices delivered as soon as they are created.

A line is an event, or {"deliverAt": "<ISO>", "event": {…}} for an event that reached the queue late.
Lines go in deliverAt order (default: the event's occurredAt; file order for ties). A line that is
not JSON or not a valid event is sent as it is and ends in the dead letters.

The engine holds the table, the queues and the mailbox. memory (the default): in this process, with
DynamoDB's conditions, transactions and limits and SQS's receive counts and redrive; notices are
rendered as for SES. emulators: the embedded stack of npm start (DynamoDB Local, needs Java 17+;
the SQS and SES emulators), about a hundred times slower. Both give the same --json output.

  --catalog FILE     the catalog (calendars, service levels), e.g. catalog/default.json
  --events FILE      the events, JSON Lines
  --until INSTANT    replay up to and report as of this instant (ISO-8601 with offset);
                     default: the last line's delivery
  --json             the versioned replay output (docs/design.md §8) on stdout, nothing else
  --engine ENGINE    memory (default) or emulators
  -h, --help         this text`,
  async run(argv, output) {
    const flags = parseFlags('replay', argv, {
      catalog: { type: 'string' },
      events: { type: 'string' },
      until: { type: 'string' },
      json: { type: 'boolean' },
      engine: { type: 'string' },
    });
    const catalogFile = requiredFlag('replay', flags, 'catalog');
    const eventsFile = requiredFlag('replay', flags, 'events');
    const until = instantFlag('replay', flags, 'until');
    const engine = stringFlag(flags, 'engine') ?? 'memory';
    if (!isReplayEngine(engine)) throw new UsageError(`replay: --engine must be ${REPLAY_ENGINES.join(' or ')}, not ${engine}`);
    const catalog = loadCatalogFile(catalogFile);
    const deliveries = deliveriesOf(jsonLines(readTextFile(eventsFile, 'events file')));
    const bar = progressBar(output);
    const result = await runReplay({
      catalog,
      deliveries,
      engine,
      ...(until === undefined ? {} : { until }),
      onProgress: (progress) => bar.update(progress),
    }).finally(() => bar.done());
    output.out(booleanFlag(flags, 'json') ? JSON.stringify(result.output, null, 2) : replayReport(result).join('\n'));
    return 0;
  },
};

function isReplayEngine(name: string): name is ReplayEngineKind {
  return (REPLAY_ENGINES as readonly string[]).includes(name);
}
