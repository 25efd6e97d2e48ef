/**
 * Calendar engine throughput: deadlines per second on the default catalog's Oslo business calendar
 * (random starts over a year, targets 15 min – 40 h). Goal: ≥ 100 000 per second on one core.
 * `npx tsx bench/calendar.ts` prints the figures.
 */
import { pathToFileURL } from 'node:url';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { makeCalendar } from '#domain/calendar.ts';
import { HOUR_MS, MINUTE_MS, parseInstant, type Instant } from '#domain/time.ts';

const SAMPLES = 200_000;
const YEAR_START = parseInstant('2026-01-01T00:00:00Z');
const YEAR_MS = 365 * 24 * HOUR_MS;

/** A seeded generator, so every run measures the same inputs. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function perSecond(count: number, run: () => void): number {
  const started = performance.now();
  run();
  return Math.round(count / ((performance.now() - started) / 1000));
}

export function benchCalendar(): Promise<Record<string, number>> {
  return Promise.resolve(measure());
}

function measure(): Record<string, number> {
  const definition = loadDefaultCatalog().calendars['oslo-business'];
  if (definition === undefined) throw new Error('the default catalog has no oslo-business calendar');
  const random = mulberry32(2026);
  const starts: Instant[] = [];
  const targets: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    starts.push(YEAR_START + Math.floor(random() * (YEAR_MS / MINUTE_MS)) * MINUTE_MS);
    targets.push((15 + Math.floor(random() * (40 * 60 - 15 + 1))) * MINUTE_MS);
  }
  const deadlines = new Array<Instant>(SAMPLES);

  // The first pass also fills the per-day cache, as a fresh Lambda container would.
  const cold = makeCalendar(definition);
  const firstPassDeadlinesPerSecond = perSecond(SAMPLES, () => {
    for (let i = 0; i < SAMPLES; i += 1) deadlines[i] = cold.deadline(starts[i] ?? 0, targets[i] ?? 0);
  });
  const warm = makeCalendar(definition);
  for (let i = 0; i < SAMPLES; i += 1) warm.deadline(starts[i] ?? 0, targets[i] ?? 0);
  const deadlinesPerSecond = perSecond(SAMPLES, () => {
    for (let i = 0; i < SAMPLES; i += 1) deadlines[i] = warm.deadline(starts[i] ?? 0, targets[i] ?? 0);
  });
  const countedPerSecond = perSecond(SAMPLES, () => {
    for (let i = 0; i < SAMPLES; i += 1) warm.countedMs(starts[i] ?? 0, deadlines[i] ?? 0);
  });
  return {
    'calendar.business.deadlinesPerSecond': deadlinesPerSecond,
    'calendar.business.deadlinesPerSecondFillingCache': firstPassDeadlinesPerSecond,
    'calendar.business.countedPerSecond': countedPerSecond,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, value] of Object.entries(await benchCalendar())) console.log(`${name}: ${value.toLocaleString('en-US')}`);
}
