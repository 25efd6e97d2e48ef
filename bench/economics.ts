/**
 * The economics of a portfolio (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): 1 000 contracts × 2 contract years, each
 * year with 12 cases (breaches and decided clocks, one force-majeure pause in four) and 6 priced visits;
 * the time to build every statement (visits, cost to serve, margin, paused time) and the per-level
 * table, and visits priced per second. Pure: no store. `npx tsx bench/economics.ts` prints the figures.
 */
import { pathToFileURL } from 'node:url';
import { loadDefaultCatalog } from '#config/catalog.ts';
import type { BreachRecord } from '#domain/credits.ts';
import { levelEconomics } from '#domain/economics.ts';
import { KPIS, type CaseEvent, type Catalog, type ContractTerms, type VisitFacts } from '#domain/model.ts';
import { buildStatement, type ClockOutcome, type StatementInput } from '#domain/statement.ts';
import { contractYear } from '#domain/terms.ts';
import { HOUR_MS } from '#domain/time.ts';
import { visitCost } from '#domain/visit-cost.ts';

const CONTRACTS = 1_000;
const YEARS = 2;
const CASES_PER_YEAR = 12;
const VISITS_PER_YEAR = 6;
const LEVELS = ['basic', 'standard', 'premium'] as const;

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function aVisit(random: () => number, visitId: string): VisitFacts {
  const quarter = (max: number): number => Math.floor(random() * max * 4) / 4;
  return {
    visitId,
    hoursOnSite: quarter(8),
    travelHours: quarter(10),
    kilometres: Math.floor(random() * 60_000) / 100,
    nights: random() < 0.3 ? 1 + Math.floor(random() * 2) : 0,
    otherCosts: random() < 0.5 ? [{ description: 'ferry', amountMinor: 129_000, currency: 'NOK' }] : [],
    ...(random() < 0.2 ? { country: 'SE' } : {}),
  };
}

function aPortfolio(catalog: Catalog, random: () => number): StatementInput[] {
  const costs = catalog.costs;
  if (costs === undefined) throw new Error('the default catalog has no costs');
  const inputs: StatementInput[] = [];
  for (let c = 0; c < CONTRACTS; c += 1) {
    const serviceLevel = LEVELS[c % LEVELS.length] as (typeof LEVELS)[number];
    const level = catalog.serviceLevels[serviceLevel];
    if (level === undefined) throw new Error(`the default catalog lacks ${serviceLevel}`);
    const terms: ContractTerms = {
      contractId: `C-${c}`,
      customer: { name: 'Kunde AS', email: 'drift@kunde.example', locale: 'nb' },
      serviceLevel,
      annualFee: { minor: 5_000_000 + Math.floor(random() * 20_000_000), currency: 'NOK' },
      startDate: '2026-01-01',
      timeZone: 'Europe/Oslo',
      bindingYears: 2,
      autoRenew: true,
      noticeDays: 90,
      reminderDays: [120, 30],
    };
    const breaches: BreachRecord[] = [];
    const outcomes: ClockOutcome[] = [];
    const caseEvents: CaseEvent[] = [];
    for (let index = 1; index <= YEARS; index += 1) {
      const year = contractYear(terms, index);
      const span = year.endsAt - year.startsAt - 3 * 24 * HOUR_MS;
      for (let k = 0; k < CASES_PER_YEAR; k += 1) {
        const caseId = `K-${index}-${k}`;
        const openedAt = year.startsAt + Math.floor(random() * span);
        caseEvents.push({ eventId: `${caseId}-o`, caseId, occurredAt: openedAt, type: 'case.opened' });
        if (k % 4 === 0) {
          caseEvents.push({ eventId: `${caseId}-p`, caseId, occurredAt: openedAt + HOUR_MS, type: 'case.paused', reason: 'force_majeure' });
          caseEvents.push({ eventId: `${caseId}-r`, caseId, occurredAt: openedAt + 9 * HOUR_MS, type: 'case.resumed' });
        }
        caseEvents.push({ eventId: `${caseId}-x`, caseId, occurredAt: openedAt + 30 * HOUR_MS, type: 'case.resolved' });
        for (const kpi of KPIS) {
          if (level.kpis[kpi] === undefined) continue;
          const deadline = openedAt + 24 * HOUR_MS;
          const breached = random() < 0.1;
          outcomes.push({ caseId, kpi, deadline, breached });
          if (breached) breaches.push({ caseId, kpi, deadline, creditPercent: level.kpis[kpi]?.creditPercent ?? 0 });
        }
        if (k < VISITS_PER_YEAR) {
          const facts = aVisit(random, `V-${index}-${k}`);
          const priced = visitCost(facts, costs, 'NOK');
          if (priced.kind !== 'priced') throw new Error(priced.reason);
          caseEvents.push({ eventId: `${caseId}-v`, caseId, occurredAt: openedAt + 20 * HOUR_MS, type: 'case.visit_reported', visit: { ...facts, costMinor: priced.costMinor } });
        }
      }
    }
    inputs.push({
      terms,
      level,
      termination: null,
      breaches,
      outcomes,
      ledger: [],
      notices: [],
      rejected: [],
      parked: [],
      caseEvents,
      costRates: costs,
      poolHoldings: [],
      asOf: contractYear(terms, YEARS).endsAt - 1,
    });
  }
  return inputs;
}

function portfolioMs(inputs: readonly StatementInput[]): number {
  const started = performance.now();
  const levels = levelEconomics(inputs.map(buildStatement));
  const elapsed = performance.now() - started;
  if (levels.length !== LEVELS.length) throw new Error(`expected ${LEVELS.length} levels, got ${levels.length}`);
  return elapsed;
}

function visitsPricedPerSecond(catalog: Catalog, random: () => number): number {
  const costs = catalog.costs;
  if (costs === undefined) throw new Error('the default catalog has no costs');
  const visits = Array.from({ length: 20_000 }, (_, i) => aVisit(random, `V-${i}`));
  const started = performance.now();
  for (const visit of visits) visitCost(visit, costs, 'EUR');
  return Math.round(visits.length / ((performance.now() - started) / 1000));
}

/** Median of five runs after a warm-up. */
export async function benchEconomics(): Promise<Record<string, number>> {
  const catalog = loadDefaultCatalog();
  const inputs = aPortfolio(catalog, mulberry32(20261201));
  portfolioMs(inputs);
  const runs = Array.from({ length: 5 }, () => portfolioMs(inputs)).sort((a, b) => a - b);
  const median = runs[2] ?? Number.NaN;
  return Promise.resolve({
    'economics of 1,000 contracts × 2 years (ms, median of 5)': Math.round(median),
    'contract years per second': Math.round((CONTRACTS * YEARS) / (median / 1000)),
    'visits priced per second (to EUR)': visitsPricedPerSecond(catalog, mulberry32(7)),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [name, value] of Object.entries(await benchEconomics())) {
    process.stdout.write(`${name.padEnd(60)} ${value.toLocaleString('en-US').padStart(10)}\n`);
  }
}
