/**
 * Charts for the replay report as static SVG, rendered at build time with Vega-Lite and Vega in Node
 * (no DOM, no canvas: `View.toSVG()` with the "none" renderer). Loaded only by `--html` and `--compare`,
 * so the other commands start without them. Each SVG carries a <title> and <desc> for screen readers;
 * the page puts the same numbers in a table beside it.
 */
import type { TopLevelSpec } from 'vega-lite';

export interface Chart {
  /** Unique within the page: the SVG's title and desc ids derive from it. */
  readonly id: string;
  readonly title: string;
  /** One or two sentences: what the chart shows, for a reader who cannot see it. */
  readonly description: string;
  readonly spec: TopLevelSpec;
}

export const KPI_COLOURS: { range: string[] } = { range: ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd'] };
/** Scenario A and B in comparisons: the same two colours everywhere. */
export const SCENARIO_COLOURS: { range: string[] } = { range: ['#6b7280', '#0f766e'] };

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e5e7eb' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' },
  title: { fontSize: 14, anchor: 'start' },
} as const;

type Renderer = (spec: TopLevelSpec) => Promise<string>;
let renderer: Promise<Renderer> | null = null;

async function loadRenderer(): Promise<Renderer> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  return async (spec) => {
    const compiled = vegaLite.compile({ ...spec, config: { ...CONFIG, ...spec.config } }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  };
}

/** The chart as an inline <svg> element with role="img", <title> and <desc>. */
export async function renderChart(chart: Chart): Promise<string> {
  renderer ??= loadRenderer();
  const svg = await (await renderer)(chart.spec);
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  return svg.replace(
    /^<svg([^>]*)>/,
    (_, attributes: string) =>
      `<svg${attributes} role="img" aria-labelledby="${titleId} ${descId}" preserveAspectRatio="xMinYMin meet">` +
      `<title id="${titleId}">${escapeXml(chart.title)}</title><desc id="${descId}">${escapeXml(chart.description)}</desc>`,
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
