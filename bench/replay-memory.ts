/**
 * The memory engine alone on the replay benchmark's generated year, for profiling:
 * `node --cpu-prof --import tsx bench/replay-memory.ts [events] [contracts]` (default 10 000 events, 100
 * contracts). Prints wall and CPU seconds, events/s, each handler's milliseconds and the peak RSS.
 */
import { loadDefaultCatalog } from '#config/catalog.ts';
import { deliveriesOf } from '#cli/replay/input.ts';
import { runReplay } from '#cli/replay/run-replay.ts';
import { generatedYear } from './replay.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const events = Number(process.argv[2] ?? 10_000);
const contracts = Number(process.argv[3] ?? 100);
const lines = generatedYear(contracts, events).map((text, index) => ({ lineNumber: index + 1, text, where: `line ${index + 1}` }));
const deliveries = deliveriesOf(lines);
lines.length = 0;
// The catalog is the caller's, loaded before the run as the CLI loads it (its first parse is not the engine's work).
const catalog = loadDefaultCatalog();
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await runReplay({ catalog, deliveries, release: true, engine: 'memory', until: Date.parse('2027-01-01T00:00:00Z') });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const figures = {
  events: result.tally.delivered,
  seconds: Math.round(seconds * 100) / 100,
  eventsPerSecond: Math.round(result.tally.delivered / seconds),
  cpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
  intakeMs: Math.round(result.tally.ms.intake),
  sweepMs: Math.round(result.tally.ms.sweep),
  lifecycleMs: Math.round(result.tally.ms.lifecycle),
  notifierMs: Math.round(result.tally.ms.notifier),
  sweeps: result.tally.sweeps,
  notices: result.output.notices.length,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name.padEnd(16)} ${value}\n`);
