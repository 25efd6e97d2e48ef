/**
 * Replay throughput (docs/design.md#9-running-it): the same 10 000 generated events over a year for 100
 * contracts through both of `aftercare replay`'s engines in one run, and their ratio (goal: memory ≥ 100×
 * the emulators); then a portfolio's year, a million events for 1 000 contracts, on the memory engine
 * (goal: ≥ 20 000 events/s, peak RSS ≤ 2 GB). `npx tsx bench/replay.ts [events] [--portfolio N]` prints the
 * figures (`--jobs N`: the portfolio in N worker threads; 1: in one thread, as before shards); `npm run bench -- replay`
 * adds them to the report (REPLAY_PORTFOLIO_EVENTS=0 skips the million).
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { deliveriesOf } from '#cli/replay/input.ts';
import { runReplay } from '#cli/replay/run-replay.ts';
import type { ReplayEngineKind } from '#cli/replay/engines.ts';

export const REPLAY_BUDGET_SECONDS = 60;
export const MEMORY_SPEEDUP_GOAL = 100;
export const PORTFOLIO_EVENTS_PER_SECOND_GOAL = 20_000;
export const PORTFOLIO_RSS_GOAL_MB = 2_048;
const PORTFOLIO_CONTRACTS = 1_000;
const PORTFOLIO_EVENTS = 1_000_000;
const CONTRACTS = 100;
const EVENTS = 10_000;
const YEAR_START = Date.parse('2026-01-01T00:00:00+01:00');
const DAY_MS = 86_400_000;
const LEVELS = ['basic', 'standard', 'premium'] as const;

/** A small deterministic generator (mulberry32): the same events on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 100 registrations, then cases of three to five events each (opened, maybe on site, responded, resolved). */
export function generatedYear(contracts = CONTRACTS, events = EVENTS): string[] {
  const next = random(20261128);
  const iso = (instant: number): string => new Date(instant).toISOString();
  const lines: string[] = [];
  for (let c = 1; c <= contracts; c += 1) {
    lines.push(
      JSON.stringify({
        eventId: `bench-C${c}-registered`,
        type: 'contract.registered',
        occurredAt: iso(YEAR_START - 10 * DAY_MS),
        contractId: `C-BENCH-${c}`,
        customer: { name: `Kunde ${c} AS`, email: `drift@kunde-${c}.example`, locale: c % 2 === 0 ? 'nb' : 'en' },
        serviceLevel: LEVELS[c % LEVELS.length],
        annualFee: { amount: String(50_000 + c * 1_000), currency: 'NOK' },
        startDate: '2026-01-01',
      }),
    );
  }
  for (let caseNumber = 1; lines.length < events; caseNumber += 1) {
    const contractId = `C-BENCH-${1 + Math.floor(next() * contracts)}`;
    const caseId = `K-${caseNumber}`;
    const opened = YEAR_START + Math.floor(next() * 360 * DAY_MS);
    const onSite = next() < 0.3;
    const at = (minutes: number): string => iso(opened + minutes * 60_000);
    const event = (type: string, minutes: number, extra: Record<string, unknown> = {}): string =>
      JSON.stringify({ eventId: `bench-${caseId}-${type}`, type, occurredAt: at(minutes), contractId, caseId, ...extra });
    lines.push(event('case.opened', 0, onSite ? { onSiteRequired: true } : {}));
    lines.push(event('case.responded', Math.floor(next() * 90)));
    if (onSite) lines.push(event('case.technician_arrived', 60 + Math.floor(next() * 1_800)));
    lines.push(event('case.resolved', 120 + Math.floor(next() * 3_000)));
  }
  return lines.slice(0, events);
}

/** Both engines on the same file, the ratio, and the portfolio's year on the memory engine. */
export async function benchReplay(events = EVENTS, portfolioEvents = Number(process.env.REPLAY_PORTFOLIO_EVENTS ?? PORTFOLIO_EVENTS)): Promise<Record<string, number>> {
  const memory = await benchEngine('memory', CONTRACTS, events);
  const emulators = await benchEngine('emulators', CONTRACTS, events);
  const figures: Record<string, number> = {
    ...prefixed('memory', memory),
    ...prefixed('emulators', emulators),
    memorySpeedup: Math.round(((emulators.seconds ?? 0) / Math.max(memory.seconds ?? 0, 0.001)) * 10) / 10,
    memorySpeedupGoal: MEMORY_SPEEDUP_GOAL,
  };
  if (portfolioEvents > 0) Object.assign(figures, prefixed('portfolio', await benchPortfolio(portfolioEvents)));
  return figures;
}

/**
 * A portfolio's year on the memory engine: events per second and the process's peak resident set. `jobs`: the
 * worker threads (default: replay's own choice, one per core for a file this size; 1: one process, no shards).
 */
export async function benchPortfolio(events = PORTFOLIO_EVENTS, contracts = PORTFOLIO_CONTRACTS, jobs?: number): Promise<Record<string, number>> {
  const figures = await benchEngine('memory', contracts, events, jobs);
  return {
    contracts,
    jobs: figures.jobs ?? 1,
    cores: availableParallelism(),
    events: figures.events ?? 0,
    seconds: figures.seconds ?? 0,
    eventsPerSecond: figures.eventsPerSecond ?? 0,
    cpuSeconds: figures.cpuSeconds ?? 0,
    eventsPerCpuSecond: figures.eventsPerCpuSecond ?? 0,
    eventsPerSecondGoal: PORTFOLIO_EVENTS_PER_SECOND_GOAL,
    notices: figures.notices ?? 0,
    sweeps: figures.sweeps ?? 0,
    // maxRSS is in kilobytes: the process's peak, generation of the events included.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakRssGoalMb: PORTFOLIO_RSS_GOAL_MB,
  };
}

function prefixed(prefix: string, figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([name, value]) => [`${prefix}${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`, value]));
}

async function benchEngine(engine: ReplayEngineKind, contracts: number, events: number, jobs?: number): Promise<Record<string, number>> {
  const lines = generatedYear(contracts, events).map((text, index) => ({ lineNumber: index + 1, text, where: `line ${index + 1}` }));
  const deliveries = deliveriesOf(lines);
  lines.length = 0;
  // The catalog is the caller's, loaded before the run as the CLI loads it: the first engine timed would
  // otherwise pay its first parse (≈ 75 ms) and the second not.
  const catalog = loadDefaultCatalog();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await runReplay({ catalog, deliveries, release: true, engine, until: Date.parse('2027-01-01T00:00:00Z'), ...(jobs === undefined ? {} : { jobs }) });
  const seconds = (performance.now() - started) / 1000;
  // This process's CPU time: on a shared machine the wall clock also counts other people's work (the emulators run beside it).
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const { ms, requests } = result.tally;
  const totalRequests = requests.intake + requests.sweep + requests.lifecycle + requests.notifier;
  const handlerMs = ms.intake + ms.sweep + ms.lifecycle + ms.notifier;
  return {
    events: result.tally.delivered,
    jobs: result.jobs,
    contracts: result.output.contracts.length,
    seconds: Math.round(seconds * 10) / 10,
    eventsPerSecond: Math.round(result.tally.delivered / seconds),
    cpuSeconds: Math.round(cpuSeconds * 10) / 10,
    eventsPerCpuSecond: Math.round(result.tally.delivered / cpuSeconds),
    sweeps: result.tally.sweeps,
    lifecycleRuns: result.tally.lifecycleRuns,
    notices: result.output.notices.length,
    deadLetters: result.output.deadLetters.length,
    intakeSeconds: Math.round(result.tally.ms.intake / 100) / 10,
    sweepSeconds: Math.round(result.tally.ms.sweep / 100) / 10,
    lifecycleSeconds: Math.round(result.tally.ms.lifecycle / 100) / 10,
    notifierSeconds: Math.round(result.tally.ms.notifier / 100) / 10,
    // Where the time goes: requests to the emulators, each a full SDK call (signing, HTTP, JSON) to a
    // local Java or Node server. Their count times the mean is nearly all of the run.
    emulatorRequests: totalRequests,
    intakeRequests: requests.intake,
    sweepRequests: requests.sweep,
    lifecycleRequests: requests.lifecycle,
    notifierRequests: requests.notifier,
    requestsPerEvent: Math.round((totalRequests / result.tally.delivered) * 10) / 10,
    msPerRequest: totalRequests === 0 ? 0 : Math.round((handlerMs / totalRequests) * 100) / 100,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const portfolioAt = process.argv.indexOf('--portfolio');
  const jobsAt = process.argv.indexOf('--jobs');
  const jobs = jobsAt === -1 ? undefined : Number(process.argv[jobsAt + 1]);
  const figures =
    portfolioAt === -1
      ? await benchReplay(Number(process.argv[2] ?? EVENTS))
      : prefixed('portfolio', await benchPortfolio(Number(process.argv[portfolioAt + 1] ?? PORTFOLIO_EVENTS), PORTFOLIO_CONTRACTS, jobs));
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name.padEnd(28)} ${value}\n`);
}
