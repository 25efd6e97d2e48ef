/** The per-level economics (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract) as a readable table and as CSV. */
import { KPIS } from '#domain/model.ts';
import type { LevelEconomics } from '#domain/economics.ts';
import { minorToDecimal, minorUnitDigits } from '#domain/money.ts';
import { KPI_SHORT, money, table } from './format.ts';

const rate = (value: number | null): string => (value === null ? '–' : `${Math.round(value * 1000) / 10}%`);

export function levelsTable(levels: readonly LevelEconomics[]): string[] {
  if (levels.length === 0) return ['No contract.'];
  const rows = levels.map((level) => [
    level.level,
    String(level.contracts),
    money(level.revenueMinor, level.currency),
    money(level.creditsMinor, level.currency),
    money(level.costsMinor, level.currency),
    money(level.marginMinor, level.currency),
    KPIS.map((kpi) => `${KPI_SHORT[kpi]} ${rate(level.breachRate[kpi])}`).join(' '),
  ]);
  return table(['level', 'contracts', 'revenue', 'credits', 'costs', 'margin', 'breach rate'], rows, [false, true, true, true, true, true, false]);
}

const CSV_HEADER = [
  'level',
  'currency',
  'contracts',
  'revenue',
  'credits',
  'costs',
  'margin',
  ...KPIS.map((kpi) => `breachRate.${kpi}`),
];

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Money as exact major-unit decimals (a spreadsheet reads `1234.50`), breach rates as fractions; empty when none was decided. */
export function levelsCsv(levels: readonly LevelEconomics[]): string[] {
  const amount = (minor: number, currency: string): string => minorToDecimal(minor, minorUnitDigits(currency));
  return [
    CSV_HEADER.join(','),
    ...levels.map((level) =>
      [
        level.level,
        level.currency,
        String(level.contracts),
        amount(level.revenueMinor, level.currency),
        amount(level.creditsMinor, level.currency),
        amount(level.costsMinor, level.currency),
        amount(level.marginMinor, level.currency),
        ...KPIS.map((kpi) => {
          const value = level.breachRate[kpi];
          return value === null ? '' : String(value);
        }),
      ]
        .map(csvField)
        .join(','),
    ),
  ];
}
