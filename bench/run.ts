/**
 * `npm run bench`: runs every benchmark section, prints one report and writes it as JSON to
 * bench/results/<timestamp>.json (and bench/results/latest.json). Figures come from measurements on this
 * machine; goals are printed beside them. Sections: `npm run bench -- calendar case` runs a subset.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

type Figures = Record<string, number>;

interface Section {
  readonly name: string;
  readonly goal: string;
  /** Module under bench/ and the function it exports. */
  readonly module: string;
  readonly run: string;
}

const SECTIONS: readonly Section[] = [
  { name: 'calendar', goal: 'deadlinesPerSecond ≥ 100 000', module: './calendar.ts', run: 'benchCalendar' },
  { name: 'case', goal: 'case evaluations per second', module: './case.ts', run: 'benchCase' },
  { name: 'intake', goal: '≤ 2 round trips, ≤ 4 WCU per non-breach case event; ≥ 5 000 events/s', module: './intake.ts', run: 'benchIntake' },
  { name: 'bundles', goal: '≤ 250 KB per function', module: './bundles.ts', run: 'benchBundles' },
  { name: 'coldImport', goal: 'median of 20 fresh node processes', module: './cold-import.ts', run: 'benchColdImport' },
  { name: 'sweep', goal: 'reads when nothing is due / 100 000 open, 100 due', module: './sweep.ts', run: 'benchSweep' },
  {
    name: 'replay',
    goal: 'same 10 000 events on both engines: memory ≥ 100× emulators; 1 000 000 events, 1 000 contracts on memory: ≥ 20 000 events/s, ≤ 2 GB',
    module: './replay.ts',
    run: 'benchReplay',
  },
  { name: 'cost', goal: 'USD per million events, us-east-1 prices', module: './cost.ts', run: 'benchCost' },
  { name: 'economics', goal: '1,000 contracts × 2 years: statements and the per-level table', module: './economics.ts', run: 'benchEconomics' },
];

function isFigures(value: unknown): value is Figures {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'number');
}

async function runSection(section: Section): Promise<Figures | { error: string }> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(section.module)) as Record<string, unknown>;
  } catch (error) {
    return { error: `not available: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const run = loaded[section.run];
  if (typeof run !== 'function') return { error: `${section.module} does not export ${section.run}()` };
  try {
    const figures: unknown = await (run as () => Promise<unknown>)();
    return isFigures(figures) ? figures : { error: 'returned something other than named figures' };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function format(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(3);
}

async function main(): Promise<void> {
  // The sections run the real handlers: their metrics (EMF lines) and logs would drown the report.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const wanted = process.argv.slice(2);
  const chosen = wanted.length === 0 ? SECTIONS : SECTIONS.filter((s) => wanted.includes(s.name));
  const report: Record<string, Figures | { error: string }> = {};
  console.log(`Aftercare benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
  for (const section of chosen) {
    process.stderr.write(`… ${section.name}\n`);
    const result = await runSection(section);
    report[section.name] = result;
    console.log(`\n## ${section.name} (goal: ${section.goal})`);
    if ('error' in result && typeof result.error === 'string') console.log(`  skipped: ${result.error}`);
    else for (const [key, value] of Object.entries(result)) console.log(`  ${key.padEnd(44)} ${format(value as number)}`);
  }
  const results = join(import.meta.dirname, 'results');
  mkdirSync(results, { recursive: true });
  const document = JSON.stringify({ at: new Date().toISOString(), node: process.version, report }, null, 2);
  writeFileSync(join(results, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`), document);
  writeFileSync(join(results, 'latest.json'), document);
  console.log(`\nwritten to ${join('bench', 'results', 'latest.json')}`);
}

await main();
