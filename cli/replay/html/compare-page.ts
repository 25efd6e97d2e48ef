/** `aftercare replay --compare … --html`: the pricing decision as one table and one chart. */
import { marginLabel, type Comparison, type ComparisonRow } from '../compare.ts';
import { SCENARIO_COLOURS } from './charts.ts';
import { documentOf, figure, html, majorUnits, moneyText, percentText, table, type TableSpec } from './page.ts';

export async function comparisonHtml(comparison: Comparison): Promise<string> {
  const { a, b } = comparison;
  const mapped = Object.entries(b.levelMap).map(([from, to]) => `${from} → ${to}`);
  const currencies = [...new Set(comparison.rows.map((row) => row.currency))].sort();
  const charts = await Promise.all(currencies.map((currency) => chartOf(comparison, currency)));
  const body = html`
<header>
<h1>Comparison: ${a.catalogFile} against ${b.catalogFile}${mapped.length === 0 ? '' : html`, ${mapped.join(', ')}`}</h1>
<p class="lead">The same events replayed twice, as of ${comparison.asOf}. A: <code>${a.catalogFile}</code>. B: <code>${b.catalogFile}</code>${mapped.length === 0 ? '' : html`, service levels ${mapped.join(', ')}`}.</p>
</header>
<main>
<h2>The decision in one table</h2>
${table(tableOf(comparison))}
${comparison.marginBasis === 'feesLessCredits' ? html`<p class="muted">The catalogs carry no costs to serve: the margin shown is the fees less the credits.</p>` : ''}
<h2>The difference in one chart</h2>
${charts}
</main>`;
  return documentOf(`Comparison ${a.catalogFile} / ${b.catalogFile}`, body);
}

function signedMoney(minor: number, currency: string): string {
  return minor > 0 ? `+${moneyText(minor, currency)}` : moneyText(minor, currency);
}

function levelText(row: ComparisonRow): string {
  return row.b.level === row.level ? row.level : `${row.level} → ${row.b.level}`;
}

function tableOf(comparison: Comparison): TableSpec {
  const margin = marginLabel(comparison);
  return {
    caption: 'Per service level: credits, breach rate and margin under A and B',
    headers: ['level', 'contracts', 'credits A', 'credits B', 'credits B − A', 'breach rate A', 'breach rate B', `${margin} A`, `${margin} B`, `${margin} B − A`],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    rows: comparison.rows.map((row) => [
      levelText(row),
      row.contracts,
      moneyText(row.a.creditsMinor, row.currency),
      moneyText(row.b.creditsMinor, row.currency),
      signedMoney(row.creditsDifferenceMinor, row.currency),
      percentText(row.a.breachRatePercent),
      percentText(row.b.breachRatePercent),
      moneyText(row.a.marginMinor, row.currency),
      moneyText(row.b.marginMinor, row.currency),
      signedMoney(row.marginDifferenceMinor, row.currency),
    ]),
  };
}

async function chartOf(comparison: Comparison, currency: string) {
  const margin = marginLabel(comparison);
  const rows = comparison.rows.filter((row) => row.currency === currency && row.level !== 'all');
  const values = rows.flatMap((row) => [
    { level: levelText(row), measure: 'credits', scenario: 'A', amount: majorUnits(row.a.creditsMinor, currency) },
    { level: levelText(row), measure: 'credits', scenario: 'B', amount: majorUnits(row.b.creditsMinor, currency) },
    { level: levelText(row), measure: margin, scenario: 'A', amount: majorUnits(row.a.marginMinor, currency) },
    { level: levelText(row), measure: margin, scenario: 'B', amount: majorUnits(row.b.marginMinor, currency) },
  ]);
  const differences = rows.map((row) => `${levelText(row)}: credits ${moneyText(row.creditsDifferenceMinor, currency)}, ${margin} ${moneyText(row.marginDifferenceMinor, currency)}`);
  return figure(
    {
      id: `comparison-${currency}`,
      title: `Credits and ${margin} per service level, A against B (${currency})`,
      description: `Bars in pairs, A then B, per service level: left the credits, right the ${margin}. B − A: ${differences.join('; ')}.`,
      spec: {
        data: { values },
        mark: 'bar',
        width: { step: 56 },
        // Credits are a small part of the fees: each panel its own scale, or the credits would not show.
        resolve: { scale: { y: 'independent' } },
        height: 220,
        encoding: {
          column: { field: 'measure', type: 'nominal', title: null, sort: ['credits', margin], header: { labelFontSize: 13, labelFontWeight: 'bold' } },
          x: { field: 'level', type: 'nominal', title: null, axis: { labelAngle: 0, labelLimit: 110 } },
          xOffset: { field: 'scenario', type: 'nominal', sort: ['A', 'B'] },
          y: { field: 'amount', type: 'quantitative', title: currency },
          color: { field: 'scenario', type: 'nominal', title: 'run', sort: ['A', 'B'], scale: SCENARIO_COLOURS },
        },
      },
    },
    {
      caption: `The chart's numbers (${currency})`,
      headers: ['level', 'measure', 'A', 'B'],
      numeric: [2, 3],
      rows: rows.flatMap((row) => [
        [levelText(row), 'credits', moneyText(row.a.creditsMinor, currency), moneyText(row.b.creditsMinor, currency)],
        [levelText(row), margin, moneyText(row.a.marginMinor, currency), moneyText(row.b.marginMinor, currency)],
      ]),
    },
  );
}
