/**
 * The replay report and the comparison page (docs/design.md#replay-report-aftercare-replay---html), rendered
 * from a replay output built here: one self-contained page, an SVG with a title and a description per chart,
 * the same numbers in a table, customer strings escaped; and the comparison's figures per service level.
 */
import { describe, expect, it } from 'vitest';
import { compareReplays, comparisonReport } from '#cli/replay/compare.ts';
import { comparisonHtml } from '#cli/replay/html/compare-page.ts';
import { replayHtml } from '#cli/replay/html/report-page.ts';
import { replayOutputSchema, type ReplayContract, type ReplayMonth, type ReplayOutput } from '#cli/replay/output-schema.ts';

const HOSTILE = '<img src=x onerror="alert(1)">&\'';

function aMonth(month: string, overrides: Partial<ReplayMonth> = {}): ReplayMonth {
  return {
    month,
    breaches: { firstResponse: 0, onSite: 0, replacement: 0, resolution: 0 },
    decided: { firstResponse: 2, onSite: 0, replacement: 0, resolution: 2 },
    met: { firstResponse: 2, onSite: 0, replacement: 0, resolution: 2 },
    creditsMinor: 0,
    yearIndex: 1,
    yearCreditsToDateMinor: 0,
    capMinor: 2_400_000,
    ...overrides,
  };
}

function aContract(contractId: string, serviceLevel: string, creditsMinor: number): ReplayContract {
  return {
    contractId,
    serviceLevel,
    pools: [],
    loans: [],
    status: 'active',
    currency: 'NOK',
    terminationRight: null,
    years: [
      {
        index: 1,
        start: '2026-01-01',
        end: '2027-01-01',
        feeMinor: 12_000_000,
        breaches: { firstResponse: creditsMinor > 0 ? 1 : 0, onSite: 0, replacement: 0, resolution: 0 },
        creditsMinor,
        capMinor: 2_400_000,
        capReached: false,
        amountDueNextYearMinor: 12_000_000 - creditsMinor,
        visits: { count: 0, hoursOnSite: 0, travelHours: 0, kilometres: 0, nights: 0, costMinor: 0 },
        revenueMinor: 12_000_000,
        poolCarryingCostMinor: 0,
        costToServeMinor: creditsMinor,
        marginMinor: 12_000_000 - creditsMinor,
        exclusivePoolFeesMinor: 0,
      },
    ],
    months: [
      aMonth('2026-01', {
        breaches: { firstResponse: creditsMinor > 0 ? 1 : 0, onSite: 0, replacement: 0, resolution: 0 },
        met: { firstResponse: creditsMinor > 0 ? 1 : 2, onSite: 0, replacement: 0, resolution: 2 },
        creditsMinor,
        yearCreditsToDateMinor: creditsMinor,
      }),
      aMonth('2026-02', { yearCreditsToDateMinor: creditsMinor }),
    ],
    rejected: [{ eventId: 'ev-1', reason: HOSTILE }],
  };
}

function anOutput(contracts: readonly ReplayContract[]): ReplayOutput {
  return replayOutputSchema.parse({
    version: 1,
    asOf: '2026-03-01T00:00:00.000Z',
    contracts,
    notices: contracts.map((contract) => ({
      id: `credit.issued#${contract.contractId}#1#K-1#firstResponse`,
      type: 'credit.issued',
      contractId: contract.contractId,
      to: HOSTILE,
      locale: 'nb',
      state: 'sent',
    })),
    deadLetters: [{ eventId: null, error: HOSTILE }],
    economics: { levels: [] },
    pools: [],
  });
}

const SOURCE = { catalogFile: 'catalog/default.json', eventsFile: 'events.jsonl' };

describe('the replay report page', () => {
  it('is one self-contained document: no script, no stylesheet or font from anywhere, print rules', async () => {
    // Act
    const page = await replayHtml(anOutput([aContract('C-1', 'premium', 240_000)]), SOURCE);

    // Assess
    expect(page.startsWith('<!doctype html>')).toBe(true);
    // Only references within the page: url(#clip…) in the SVG is one.
    expect(/<script|<link|@import|url\((?!#)/i.exec(page)?.[0]).toBeUndefined();
    expect(/(?:src|href)="(?:https?:)?\/\//i.exec(page)?.[0]).toBeUndefined();
    expect(page).toContain('@media print');
  }, 60_000);

  it('draws every chart as an inline SVG with a title and a description, its numbers in a table beside it', async () => {
    // Act
    const page = await replayHtml(anOutput([aContract('C-1', 'premium', 240_000), aContract('C-2', 'standard', 0)]), SOURCE);

    // Assess: 3 portfolio charts, 2 per contract
    const figures = page.match(/<figure class="chart"/g) ?? [];
    const svgs = page.match(/<svg[^>]*role="img"[^>]*aria-labelledby="[^"]+-title [^"]+-desc"/g) ?? [];
    expect(figures).toHaveLength(7);
    expect(svgs).toHaveLength(7);
    expect(page.match(/<title id="[^"]+-title">/g)).toHaveLength(7);
    expect(page.match(/<desc id="[^"]+-desc">/g)).toHaveLength(7);
    expect(page.match(/<details><summary>The numbers in a table<\/summary><table>/g)).toHaveLength(7);
    // The credits chart's table says what the bars say.
    expect(page).toContain('<td class="num">2\u202f400.00 NOK</td>');
  }, 60_000);

  it('escapes every string that comes from the events', async () => {
    // Act
    const page = await replayHtml(anOutput([aContract(HOSTILE, 'premium', 240_000)]), SOURCE);

    // Assess
    expect(page.includes('<img')).toBe(false);
    expect(page.includes('onerror="')).toBe(false);
    expect(page).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
  }, 60_000);

  it('puts the contract nearest its cap first in what needs attention', async () => {
    // Act
    const page = await replayHtml(anOutput([aContract('C-LOW', 'premium', 240_000), aContract('C-HIGH', 'premium', 1_200_000)]), SOURCE);

    // Assess
    const attention = page.slice(page.indexOf('id="attention"'), page.indexOf('id="portfolio"'));
    expect(attention.indexOf('C-HIGH')).toBeGreaterThan(0);
    expect(attention.indexOf('C-HIGH')).toBeLessThan(attention.indexOf('C-LOW'));
    expect(attention).toContain('50.0 %');
  }, 60_000);
});

describe('the comparison', () => {
  const a = anOutput([aContract('C-1', 'standard', 240_000), aContract('C-2', 'premium', 0)]);
  const b = anOutput([aContract('C-1', 'premium', 600_000), aContract('C-2', 'premium', 0)]);
  const comparison = compareReplays(a, b, { a: { name: 'A', catalogFile: 'a.json' }, b: { name: 'B', catalogFile: 'a.json' } }, new Map([['standard', 'premium']]));

  it('gives per service level of run A the credits, breach rate and margin of both runs and their difference', () => {
    const standard = comparison.rows.find((row) => row.level === 'standard');
    expect(standard?.b.level).toBe('premium');
    expect(standard?.a.creditsMinor).toBe(240_000);
    expect(standard?.b.creditsMinor).toBe(600_000);
    expect(standard?.creditsDifferenceMinor).toBe(360_000);
    // 1 of 4 decided clocks breached in both runs.
    expect(standard?.a.breachRatePercent).toBe(12.5);
    // The outputs carry margins (revenue less credits and costs; no visits here, so fees less credits).
    expect(comparison.marginBasis).toBe('margin');
    expect(standard?.marginDifferenceMinor).toBe(-360_000);
    expect(comparison.rows.find((row) => row.level === 'all')?.contracts).toBe(2);
  });

  it('prints the table with the mapping and the margin basis', () => {
    const text = comparisonReport(comparison).join('\n');
    expect(text).toContain('levels standard → premium');
    expect(text).toContain('standard → premium');
    expect(text).toContain('+3 600.00 NOK');
    expect(text).toContain('margin');
    expect(text).not.toContain('fees less the credits');
  });

  it('renders one chart with its table on the comparison page', async () => {
    const page = await comparisonHtml(comparison);
    expect(page.match(/<svg/g)).toHaveLength(1);
    expect(page).toContain('<details><summary>The numbers in a table</summary>');
    expect(page).toContain('standard → premium');
  }, 60_000);
});
