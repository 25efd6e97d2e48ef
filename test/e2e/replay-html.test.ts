/**
 * `aftercare replay --html` and `--compare` as an analyst runs them, over two months of two contracts
 * (test/e2e/fixtures/report-two-contracts.jsonl: the demo year's premium contract and a standard one):
 * the page is written, is well-formed HTML with an SVG per chart, and renders in a real browser
 * (Debian's chromium, headless, through playwright-core; no browser download) without a console error
 * and with marks in every chart. Without /usr/bin/chromium the browser checks are skipped, saying so.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '#cli/replay/compare.ts';
import { replayOutputSchema } from '#cli/replay/output-schema.ts';
import { runAftercare, type CliRun } from './cli-process.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`replay-html: skipping the browser checks: ${CHROMIUM} is not installed (apt-get install -y chromium)`);

const EVENTS = 'test/e2e/fixtures/report-two-contracts.jsonl';
const scratch = mkdtempSync(join(tmpdir(), 'aftercare-report-'));
const REPORT = join(scratch, 'report.html');
const COMPARISON = join(scratch, 'comparison.html');

let report: CliRun;
let comparison: CliRun;
let browser: Browser | null = null;

beforeAll(async () => {
  report = await runAftercare(['replay', '--catalog', 'catalog/default.json', '--events', EVENTS, '--html', REPORT, '--json']);
  comparison = await runAftercare(['replay', '--catalog', 'catalog/default.json', '--events', EVENTS, '--level-map', 'standard=premium', '--html', COMPARISON, '--json']);
  if (HAS_CHROMIUM) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const VOID_ELEMENTS = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'wbr', 'col', 'area', 'base', 'source', 'track', 'embed']);

/** Every element closed in order (HTML void elements and self-closed SVG elements aside): the page is well-formed. */
function unbalancedTags(page: string): string[] {
  const open: string[] = [];
  const problems: string[] = [];
  const body = page.replace(/^<!doctype html>/i, '').replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*(\/?)>/g)) {
    const [, closing, rawName = '', , selfClosing] = match;
    const name = rawName.toLowerCase();
    if (selfClosing === '/' || VOID_ELEMENTS.has(name)) continue;
    if (closing === '') open.push(name);
    else if (open.pop() !== name) problems.push(`</${name}> at ${match.index}`);
  }
  return [...problems, ...open.map((name) => `<${name}> never closed`)];
}

interface ChartProbe {
  readonly title: string;
  readonly width: number;
  readonly marks: number;
  readonly labels: number;
}

/** Runs in the page (the project's types have no DOM): per chart its title, drawn width, marks and text labels. */
const PROBE_CHARTS = `[...document.querySelectorAll('figure.chart svg')].map((svg) => ({
  title: svg.querySelector('title')?.textContent ?? '',
  width: svg.getBoundingClientRect().width,
  marks: svg.querySelectorAll('[aria-roledescription="bar"], [aria-roledescription="line mark"], [aria-roledescription="rect mark"], [aria-roledescription="point"]').length,
  labels: svg.querySelectorAll('text').length,
}))`;

async function renderInBrowser(file: string): Promise<{ errors: string[]; charts: ChartProbe[] }> {
  if (browser === null) throw new Error('no browser');
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) errors.push(`requested ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const charts = await page.evaluate<ChartProbe[]>(PROBE_CHARTS);
  await page.close();
  return { errors, charts };
}

describe('replay --html', () => {
  it('writes the page and still prints the replay output', () => {
    expect(report.status, report.stderr).toBe(0);
    expect(replayOutputSchema.safeParse(JSON.parse(report.stdout)).success).toBe(true);
    expect(report.stderr).toContain(`report written to ${REPORT}`);
    expect(existsSync(REPORT)).toBe(true);
  });

  it('is well-formed HTML with an SVG, a title and a table fallback per chart', () => {
    const page = readFileSync(REPORT, 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(unbalancedTags(page)).toEqual([]);
    // Portfolio: credits, breaches, KPIs met, margin per level; each of the two contracts: credits, breaches.
    expect(page.match(/<figure class="chart"/g)).toHaveLength(8);
    expect(page.match(/<svg[^>]* role="img"/g)).toHaveLength(8);
    expect(page.match(/<summary>The numbers in a table<\/summary>/g)).toHaveLength(8);
    expect(page).toContain('C-STD-1');
    expect(page).toContain('C-DEMO-1');
  });

  it.skipIf(!HAS_CHROMIUM)('renders in chromium without a console error, every chart with marks and labels', async () => {
    const { errors, charts } = await renderInBrowser(REPORT);
    expect(errors).toEqual([]);
    expect(charts).toHaveLength(8);
    for (const chart of charts) {
      expect(chart.title).not.toBe('');
      expect(chart.width, chart.title).toBeGreaterThan(300);
      expect(chart.marks, chart.title).toBeGreaterThan(0);
      expect(chart.labels, chart.title).toBeGreaterThan(3);
    }
  }, 120_000);
});

describe('replay --compare', () => {
  it('replays the standard contract as premium and prints the difference per level as JSON', () => {
    expect(comparison.status, comparison.stderr).toBe(0);
    const result = JSON.parse(comparison.stdout) as Comparison;
    expect(result.b.levelMap).toEqual({ standard: 'premium' });
    const standard = result.rows.find((row) => row.level === 'standard');
    const premium = result.rows.find((row) => row.level === 'premium');
    expect(standard?.b.level).toBe('premium');
    expect(standard?.contracts).toBe(1);
    // The premium contract is the same in both runs.
    expect(premium?.a).toEqual(premium?.b);
    // Premium's tighter targets breach what standard's met: more credits, less left of the fees.
    expect(standard?.b.creditsMinor).toBeGreaterThan(standard?.a.creditsMinor ?? Infinity);
    expect(standard?.marginDifferenceMinor).toBe(-(standard?.creditsDifferenceMinor ?? 0));
    expect(existsSync(COMPARISON)).toBe(true);
  });

  it.skipIf(!HAS_CHROMIUM)('renders its one chart in chromium', async () => {
    const { errors, charts } = await renderInBrowser(COMPARISON);
    expect(errors).toEqual([]);
    expect(charts).toHaveLength(1);
    expect(charts[0]?.marks).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a level the catalog does not have, before replaying anything', async () => {
    const run = await runAftercare(['replay', '--catalog', 'catalog/default.json', '--events', EVENTS, '--level-map', 'standard=platinum']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('catalog/default.json has no service level "platinum"');
  });

  it('refuses a contract whose level the second catalog lacks, naming the contract', async () => {
    const run = await runAftercare(['replay', '--catalog', 'catalog/default.json', '--events', EVENTS, '--compare', 'test/e2e/fixtures/catalog-without-standard.json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('contract C-STD-1 has service level "standard"');
  });
});
