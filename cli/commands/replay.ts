/** `aftercare replay`: the real handlers over a file of events on a virtual clock (docs/design.md#9-running-it). */
import { loadCatalogFile } from '#config/catalog.ts';
import { booleanFlag, instantFlag, parseFlags, requiredFlag } from '../args.ts';
import { jsonLines, readTextFile } from '../input/lines.ts';
import { deliveriesOf } from '../replay/input.ts';
import { progressBar } from '../replay/progress.ts';
import { replayReport } from '../replay/report.ts';
import { runReplay } from '../replay/run-replay.ts';
import type { Command } from './command.ts';

export const replayCommand: Command = {
  name: 'replay',
  usage: `Usage: aftercare replay --catalog FILE --events FILE.jsonl [--until INSTANT] [--json]

Starts the embedded stack (DynamoDB Local, SQS and SES emulators; needs Java 17+), sends each line of
the events file to the events queue at its time and lets the real intake, sweep, lifecycle and
notifier handlers work on it, on a virtual clock: the sweep every virtual minute that has something
due, the lifecycle at 06:00 Europe/Oslo each day, notices delivered as soon as they are created.

A line is an event, or {"deliverAt": "<ISO>", "event": {…}} for an event that reached the queue late.
Lines go in deliverAt order (default: the event's occurredAt; file order for ties). A line that is
not JSON or not a valid event is sent as it is and ends in the dead letters.

  --catalog FILE     the catalog (calendars, service levels), e.g. catalog/default.json
  --events FILE      the events, JSON Lines
  --until INSTANT    replay up to and report as of this instant (ISO-8601 with offset);
                     default: the last line's delivery
  --json             the versioned replay output (docs/design.md §8) on stdout, nothing else
  -h, --help         this text`,
  async run(argv, output) {
    const flags = parseFlags('replay', argv, {
      catalog: { type: 'string' },
      events: { type: 'string' },
      until: { type: 'string' },
      json: { type: 'boolean' },
    });
    const catalogFile = requiredFlag('replay', flags, 'catalog');
    const eventsFile = requiredFlag('replay', flags, 'events');
    const until = instantFlag('replay', flags, 'until');
    const catalog = loadCatalogFile(catalogFile);
    const deliveries = deliveriesOf(jsonLines(readTextFile(eventsFile, 'events file')));
    const bar = progressBar(output);
    const result = await runReplay({
      catalog,
      deliveries,
      ...(until === undefined ? {} : { until }),
      onProgress: (progress) => bar.update(progress),
    }).finally(() => bar.done());
    output.out(booleanFlag(flags, 'json') ? JSON.stringify(result.output, null, 2) : replayReport(result).join('\n'));
    return 0;
  },
};
