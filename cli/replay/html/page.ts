/**
 * The frame of the replay report pages: one self-contained HTML document (no fonts, scripts or
 * images from anywhere), print-friendly, every string escaped; a figure is its chart (inline SVG)
 * with the same numbers in a table under <details>.
 */
import { minorToDecimal, minorUnitDigits } from '#domain/money.ts';
import { renderChart, type Chart } from './charts.ts';

/** Escapes text for an element or a quoted attribute: customer strings reach the page only through it. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A fragment of HTML already escaped (`html` tagged template), or text to escape. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Part = Html | string | number | null | undefined | readonly Part[];

function markupOf(part: Part): string {
  if (part === null || part === undefined) return '';
  if (part instanceof Html) return part.markup;
  if (Array.isArray(part)) return (part as readonly Part[]).map(markupOf).join('');
  return escapeHtml(String(part));
}

/** Interpolated values are escaped unless they are Html already. */
export function html(strings: TemplateStringsArray, ...parts: readonly Part[]): Html {
  return new Html(strings.reduce((markup, text, index) => markup + text + (index < parts.length ? markupOf(parts[index]) : ''), ''));
}

export function moneyText(minor: number, currency: string): string {
  let digits = 2;
  try {
    digits = minorUnitDigits(currency);
  } catch {
    // An unknown code: two decimals, like most currencies.
  }
  const negative = minor < 0;
  const [whole = '', fraction] = minorToDecimal(Math.abs(minor), digits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${negative ? '−' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`} ${currency}`;
}

/** Minor units as a number of major units, for chart axes. */
export function majorUnits(minor: number, currency: string): number {
  let digits = 2;
  try {
    digits = minorUnitDigits(currency);
  } catch {
    // As above.
  }
  return minor / 10 ** digits;
}

export function percentText(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} %`;
}

export interface TableSpec {
  readonly caption: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly Part[])[];
  /** Columns holding numbers: right-aligned. */
  readonly numeric?: readonly number[];
}

export function table(spec: TableSpec): Html {
  const numeric = new Set(spec.numeric ?? []);
  const cell = (tag: 'th' | 'td', value: Part, column: number): Html =>
    numeric.has(column) ? html`<${new Html(tag)} class="num">${value}</${new Html(tag)}>` : html`<${new Html(tag)}>${value}</${new Html(tag)}>`;
  return html`<table><caption>${spec.caption}</caption><thead><tr>${spec.headers.map((header, column) => cell('th', header, column))}</tr></thead><tbody>${spec.rows.map(
    (row) => html`<tr>${row.map((value, column) => cell('td', value, column))}</tr>`,
  )}</tbody></table>`;
}

/** A chart with its numbers as a table under <details> (the fallback for a reader without the image). */
export async function figure(chart: Chart, numbers: TableSpec): Promise<Html> {
  const svg = await renderChart(chart);
  return html`<figure class="chart" id="${chart.id}"><figcaption>${chart.title}</figcaption><div class="svg">${new Html(svg)}</div><details><summary>The numbers in a table</summary>${table(numbers)}</details></figure>`;
}

export function documentOf(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.markup}
</body>
</html>
`;
}

const STYLE = `
:root { color-scheme: light; --ink: #111827; --muted: #4b5563; --rule: #d1d5db; --warn: #b45309; --bad: #b91c1c; --good: #047857; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: white; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 24px 0 6px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .note { font-size: 12px; color: var(--muted); }
.card.bad .value { color: var(--bad); }
.card.warn .value { color: var(--warn); }
.card.good .value { color: var(--good); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
th { font-weight: 600; }
.num { text-align: right; white-space: nowrap; }
figure.chart { margin: 12px 0 20px; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
figure.chart svg { max-width: 100%; height: auto; }
details summary { cursor: pointer; color: var(--muted); font-size: 13px; }
.flag { font-weight: 600; color: var(--bad); }
.muted { color: var(--muted); }
section.contract { break-before: auto; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  section.contract { break-before: page; page-break-before: always; }
  .card { border-color: #999; }
  a { color: inherit; text-decoration: none; }
}
`;
