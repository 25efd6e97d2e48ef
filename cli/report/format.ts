/** Plain-text formatting for the readable reports: money in minor units, tables with aligned columns. */
import { KPIS, type Kpi } from '#domain/model.ts';
import { minorToDecimal, minorUnitDigits } from '#domain/money.ts';

const KPI_LABELS: Readonly<Record<Kpi, string>> = {
  firstResponse: 'first response',
  onSite: 'on site',
  replacement: 'replacement',
  resolution: 'resolution',
};

export function kpiLabel(kpi: Kpi): string {
  return KPI_LABELS[kpi];
}

export const KPI_SHORT: Readonly<Record<Kpi, string>> = { firstResponse: 'FR', onSite: 'OS', replacement: 'RP', resolution: 'RS' };
export const KPI_LEGEND = KPIS.map((kpi) => `${KPI_SHORT[kpi]} = ${KPI_LABELS[kpi]}`).join(', ');

/** `12 000.00 NOK`, `1 000 JPY`, `1.234 KWD`: minor units with the currency's own number of decimals, exactly. */
export function money(minor: number, currency: string): string {
  let digits = 2;
  try {
    digits = minorUnitDigits(currency);
  } catch {
    // An unknown code: two decimals, like most currencies.
  }
  const [whole = '', fraction] = minorToDecimal(minor, digits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${grouped}${fraction === undefined ? '' : `.${fraction}`} ${currency}`;
}

/** Columns padded to their widest cell; numbers (right: true) aligned right. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string[] {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (right[column] === true ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)];
}
