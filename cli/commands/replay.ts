/** `aftercare replay`: the real handlers over a file of events on a virtual clock (docs/design.md#9-running-it). */
import { writeFileSync } from 'node:fs';
import { loadCatalogFile } from '#config/catalog.ts';
import type { Catalog } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import { booleanFlag, instantFlag, parseFlags, requiredFlag, stringFlag } from '../args.ts';
import { InputFileError, UsageError } from '../errors.ts';
import { REPLAY_ENGINES, type ReplayEngineKind } from '../replay/engines.ts';
import { jsonLines, readTextFile } from '../input/lines.ts';
import type { Output } from '../output.ts';
import { comparisonReport, compareReplays } from '../replay/compare.ts';
import { deliveriesOf } from '../replay/input.ts';
import { checkLevelsExist, parseLevelMap, withLevelsMapped } from '../replay/level-map.ts';
import { progressBar } from '../replay/progress.ts';
import { replayReport } from '../replay/report.ts';
import { runReplay, type ReplayDeliveries, type ReplayResult } from '../replay/run-replay.ts';
import type { Command } from './command.ts';

export const replayCommand: Command = {
  name: 'replay',
  usage: `Usage: aftercare replay --catalog FILE --events FILE.jsonl [--until INSTANT] [--json]
                        [--engine memory|emulators] [--jobs N]

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
  --jobs N           memory engine: replay in N worker threads, each a group of contracts that share
                     nothing (pools, addresses, a late source link contracts); 1: in this process.
                     Default: one per core (at most 8) for 50,000 lines or more. Same output for any N
  --html FILE        also write the report as one self-contained HTML page (charts as SVG, opens
                     offline, prints): credits against the cap and breaches per KPI month by month,
                     KPIs met %, the notices customers would have received, pools and margin
  --compare FILE     replay the same events a second time under this catalog (B) and print the
                     difference per service level: credits, breach rate, margin (--json: as JSON;
                     --html: the comparison page)
  --level-map A=B,…  in the second run, contracts of level A run as level B (e.g. standard=premium);
                     without --compare, B is the same catalog
  -h, --help         this text`,
  async run(argv, output) {
    const flags = parseFlags('replay', argv, {
      catalog: { type: 'string' },
      events: { type: 'string' },
      until: { type: 'string' },
      json: { type: 'boolean' },
      engine: { type: 'string' },
      html: { type: 'string' },
      compare: { type: 'string' },
      'level-map': { type: 'string' },
      jobs: { type: 'string' },
    });
    const catalogFile = requiredFlag('replay', flags, 'catalog');
    const eventsFile = requiredFlag('replay', flags, 'events');
    const until = instantFlag('replay', flags, 'until');
    const engine = stringFlag(flags, 'engine') ?? 'memory';
    if (!isReplayEngine(engine)) throw new UsageError(`replay: --engine must be ${REPLAY_ENGINES.join(' or ')}, not ${engine}`);
    const jobs = jobsFlag(stringFlag(flags, 'jobs'));
    if (jobs !== undefined && engine !== 'memory') throw new UsageError('replay: --jobs applies to the memory engine only (the emulators are one embedded stack)');
    const htmlFile = stringFlag(flags, 'html');
    const compareFile = stringFlag(flags, 'compare');
    const levelMapText = stringFlag(flags, 'level-map');
    const json = booleanFlag(flags, 'json');
    const catalog = loadCatalogFile(catalogFile);
    const deliveries = deliveriesOf(jsonLines(readTextFile(eventsFile, 'events file')));
    const replay = (withCatalog: Catalog, lines: ReplayDeliveries): Promise<ReplayResult> => replayWithProgress(output, withCatalog, lines, until, engine, jobs);

    if (compareFile !== undefined || levelMapText !== undefined) {
      const catalogB = compareFile === undefined ? catalog : loadCatalogFile(compareFile);
      const files = { from: catalogFile, to: compareFile ?? catalogFile };
      const levelMap = parseLevelMap(levelMapText, catalog, catalogB, files);
      checkLevelsExist(deliveries, catalog, catalogFile, new Map());
      checkLevelsExist(deliveries, catalogB, files.to, levelMap);
      const a = await replay(catalog, { deliveries });
      const b = await replay(catalogB, { deliveries: withLevelsMapped(deliveries, levelMap), release: true });
      const comparison = compareReplays(a.output, b.output, { a: { name: 'A', catalogFile }, b: { name: 'B', catalogFile: files.to } }, levelMap);
      output.out(json ? JSON.stringify(comparison, null, 2) : comparisonReport(comparison).join('\n'));
      if (htmlFile !== undefined) {
        const { comparisonHtml } = await import('../replay/html/compare-page.ts');
        writePage(output, htmlFile, await comparisonHtml(comparison));
      }
      return 0;
    }

    // Handed over: each line is let go once sent (a portfolio's file is not all held to the end).
    const result = await replay(catalog, { deliveries, release: true });
    output.out(json ? JSON.stringify(result.output, null, 2) : replayReport(result).join('\n'));
    if (htmlFile !== undefined) {
      // Loaded only here: the charting library stays out of every other command's start.
      const { replayHtml } = await import('../replay/html/report-page.ts');
      writePage(output, htmlFile, await replayHtml(result.output, { catalogFile, eventsFile }));
    }
    return 0;
  },
};

function isReplayEngine(name: string): name is ReplayEngineKind {
  return (REPLAY_ENGINES as readonly string[]).includes(name);
}

function jobsFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const jobs = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) {
    throw new UsageError(`replay: --jobs must be a whole number from 1 to ${MAX_JOBS}, not ${text}`);
  }
  return jobs;
}

const MAX_JOBS = 64;

async function replayWithProgress(
  output: Output,
  catalog: Catalog,
  deliveries: ReplayDeliveries,
  until: Instant | undefined,
  engine: ReplayEngineKind,
  jobs: number | undefined,
): Promise<ReplayResult> {
  const bar = progressBar(output);
  return runReplay({
    catalog,
    ...deliveries,
    engine,
    ...(jobs === undefined ? {} : { jobs }),
    ...(until === undefined ? {} : { until }),
    onProgress: (progress) => bar.update(progress),
  }).finally(() => bar.done());
}

function writePage(output: Output, file: string, page: string): void {
  try {
    writeFileSync(file, page, 'utf8');
  } catch (error) {
    throw new InputFileError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  output.err(`report written to ${file}`);
}
