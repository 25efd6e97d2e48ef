/**
 * Case evaluation throughput: evaluations per second of realistic cases (5–12 events arriving in
 * shuffled order, all four KPIs) on the default catalog's premium level (`always`) and standard level
 * (Oslo business hours). `npx tsx bench/case.ts` prints the figures.
 */
import { pathToFileURL } from 'node:url';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { makeCalendar, type WorkCalendar } from '#domain/calendar.ts';
import { evaluateCase } from '#domain/case.ts';
import type { CaseEvent, Kpi, ServiceLevel } from '#domain/model.ts';
import { HOUR_MS, MINUTE_MS, parseInstant, type Instant } from '#domain/time.ts';

const CASES = 2_000;
const EVALUATIONS_PER_CASE = 10;
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

type EventBody<E> = E extends unknown ? Omit<E, 'eventId' | 'caseId'> : never;

/** A case's life: opened, requests, one or two pauses, the stops, resolved — 5 to 12 events, shuffled. */
function aCase(random: () => number, caseId: string): CaseEvent[] {
  let at: Instant = YEAR_START + Math.floor(random() * YEAR_MS);
  const events: CaseEvent[] = [];
  const next = (): Instant => (at += MINUTE_MS * (5 + Math.floor(random() * 8 * 60)));
  const add = (event: EventBody<CaseEvent>): void => {
    events.push({ ...event, eventId: `${caseId}-${events.length}`, caseId });
  };
  add({ type: 'case.opened', occurredAt: at, onSiteRequired: random() < 0.5, replacementRequired: false });
  add({ type: 'case.responded', occurredAt: next() });
  add({ type: 'case.onsite_requested', occurredAt: next() });
  add({ type: 'case.replacement_requested', occurredAt: next() });
  for (let pauses = Math.floor(random() * 3); pauses > 0; pauses -= 1) {
    add({ type: 'case.paused', occurredAt: next(), reason: random() < 0.8 ? 'awaiting_customer' : 'force_majeure' });
    add({ type: 'case.resumed', occurredAt: next() });
  }
  add({ type: 'case.technician_arrived', occurredAt: next() });
  if (random() < 0.7) add({ type: 'case.replacement_delivered', occurredAt: next() });
  if (random() < 0.8) add({ type: 'case.resolved', occurredAt: next() });
  return events.sort(() => random() - 0.5);
}

function perSecond(count: number, run: () => void): number {
  const started = performance.now();
  run();
  return Math.round(count / ((performance.now() - started) / 1000));
}

function measure(level: ServiceLevel, calendars: Readonly<Record<string, WorkCalendar>>, seed: number): number {
  const random = mulberry32(seed);
  const cases = Array.from({ length: CASES }, (_, index) => aCase(random, `CASE-${index}`));
  const nows = cases.map((events) => {
    const first = Math.min(...events.map((event) => event.occurredAt));
    return Array.from({ length: EVALUATIONS_PER_CASE }, () => first + Math.floor(random() * 5 * 24 * HOUR_MS));
  });
  const warned = new Set<Kpi>();
  let breaches = 0;
  const rate = perSecond(CASES * EVALUATIONS_PER_CASE, () => {
    cases.forEach((events, index) => {
      for (const now of nows[index] ?? []) {
        const view = evaluateCase({ events, level, calendars, now, graceMs: 5 * MINUTE_MS, contractEndsAt: null, warned });
        if (view.clocks.resolution?.breachDeclared === true) breaches += 1;
      }
    });
  });
  // Keeps the evaluations observable so no engine can skip them.
  if (breaches < 0) throw new Error('unreachable');
  return rate;
}

/** Case evaluations per second, per level; the first pass warms the engine up. */
export async function benchCase(): Promise<Record<string, number>> {
  const catalog = loadDefaultCatalog();
  const calendars = Object.fromEntries(Object.entries(catalog.calendars).map(([name, definition]) => [name, makeCalendar(definition)]));
  const premium = catalog.serviceLevels.premium;
  const standard = catalog.serviceLevels.standard;
  if (premium === undefined || standard === undefined) throw new Error('the default catalog lacks premium or standard');
  measure(premium, calendars, 1);
  measure(standard, calendars, 1);
  return Promise.resolve({
    'case evaluations/s (premium, always)': measure(premium, calendars, 7),
    'case evaluations/s (standard, Oslo business hours)': measure(standard, calendars, 7),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [name, value] of Object.entries(await benchCase())) {
    process.stdout.write(`${name.padEnd(52)} ${value.toLocaleString('en-US').padStart(10)}\n`);
  }
}
