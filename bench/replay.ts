/**
 * Replay throughput: 10 000 generated events over a year for 100 contracts through `aftercare replay`'s
 * engine (the real handlers on the emulators, on a virtual clock). Goal: ≤ 60 s.
 * `npx tsx bench/replay.ts` prints the figures; `npm run bench -- replay` adds them to the report.
 */
import { pathToFileURL } from 'node:url';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { deliveriesOf } from '#cli/replay/input.ts';
import { runReplay } from '#cli/replay/run-replay.ts';

export const REPLAY_BUDGET_SECONDS = 60;
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

export async function benchReplay(events = EVENTS): Promise<Record<string, number>> {
  const lines = generatedYear(CONTRACTS, events).map((text, index) => ({ lineNumber: index + 1, text, where: `line ${index + 1}` }));
  const deliveries = deliveriesOf(lines);
  const started = performance.now();
  const result = await runReplay({ catalog: loadDefaultCatalog(), deliveries, until: Date.parse('2027-01-01T00:00:00Z') });
  const seconds = (performance.now() - started) / 1000;
  const { ms, requests } = result.tally;
  const totalRequests = requests.intake + requests.sweep + requests.lifecycle + requests.notifier;
  const handlerMs = ms.intake + ms.sweep + ms.lifecycle + ms.notifier;
  return {
    events: result.tally.delivered,
    contracts: result.output.contracts.length,
    seconds: Math.round(seconds * 10) / 10,
    eventsPerSecond: Math.round(result.tally.delivered / seconds),
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
    msPerRequest: Math.round((handlerMs / totalRequests) * 100) / 100,
    budgetSeconds: REPLAY_BUDGET_SECONDS,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const count = Number(process.argv[2] ?? EVENTS);
  const figures = await benchReplay(count);
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name.padEnd(16)} ${value}\n`);
  if ((figures.seconds ?? 0) > REPLAY_BUDGET_SECONDS) process.stdout.write(`over the ${REPLAY_BUDGET_SECONDS} s budget\n`);
}
