/**
 * Figures the replay report and the comparison read from the replay output: the portfolio's months
 * (summed per currency), breach rates and KPIs met %, and the optional pools and economics fields
 * that the pools and visits parts add to the output (read when present, additive like the output).
 */
import * as z from 'zod';
import { KPIS, type Kpi } from '#domain/model.ts';
import type { ReplayContract, ReplayMonth, ReplayOutput } from './output-schema.ts';

export type PerKpi = Readonly<Record<Kpi, number>>;

export interface MonthTotals {
  readonly month: string;
  readonly contracts: number;
  /** The contract year the month ends in, when all the contracts share it (a portfolio's years may not align). */
  readonly yearIndex: number | null;
  readonly breaches: PerKpi;
  readonly decided: PerKpi;
  readonly met: PerKpi;
  readonly creditsMinor: number;
  readonly yearCreditsToDateMinor: number;
  readonly capMinor: number;
}

/** The months of the given contracts summed, in month order; a contract counts in the months it ran. */
export function monthTotals(contracts: readonly ReplayContract[]): MonthTotals[] {
  const byMonth = new Map<string, ReplayMonth[]>();
  for (const contract of contracts) for (const month of contract.months) byMonth.set(month.month, [...(byMonth.get(month.month) ?? []), month]);
  return [...byMonth.keys()].sort().map((month) => {
    const rows = byMonth.get(month) ?? [];
    return {
      month,
      contracts: rows.length,
      yearIndex: new Set(rows.map((row) => row.yearIndex)).size === 1 ? (rows[0]?.yearIndex ?? null) : null,
      breaches: sumPerKpi(rows.map((row) => row.breaches)),
      decided: sumPerKpi(rows.map((row) => row.decided)),
      met: sumPerKpi(rows.map((row) => row.met)),
      creditsMinor: sum(rows.map((row) => row.creditsMinor)),
      yearCreditsToDateMinor: sum(rows.map((row) => row.yearCreditsToDateMinor)),
      capMinor: sum(rows.map((row) => row.capMinor)),
    };
  });
}

export function sumPerKpi(values: readonly PerKpi[]): PerKpi {
  const total: Record<Kpi, number> = { firstResponse: 0, onSite: 0, replacement: 0, resolution: 0 };
  for (const value of values) for (const kpi of KPIS) total[kpi] += value[kpi];
  return total;
}

export function totalOf(perKpi: PerKpi): number {
  return sum(KPIS.map((kpi) => perKpi[kpi]));
}

/** Met in time, in % with one decimal; null when no clock was decided. */
export function metPercent(met: number, decided: number): number | null {
  return decided === 0 ? null : Math.round((met * 1000) / decided) / 10;
}

/** Breached clocks per decided clock, in % with one decimal; null when none was decided. */
export function breachRatePercent(months: readonly Pick<ReplayMonth, 'decided' | 'met'>[]): number | null {
  const decided = sum(months.map((month) => totalOf(month.decided)));
  const met = sum(months.map((month) => totalOf(month.met)));
  return decided === 0 ? null : Math.round(((decided - met) * 1000) / decided) / 10;
}

/** The contract year that used most of its cap (the latest of equals): who is nearest, or at, a termination right. */
export function fullestYear(contract: ReplayContract): ReplayContract['years'][number] | undefined {
  let fullest: ReplayContract['years'][number] | undefined;
  for (const year of contract.years) if (fullest === undefined || share(year) >= share(fullest)) fullest = year;
  return fullest;
}

/** The share of the cap the fullest year used, in % with one decimal. */
export function capUsedPercent(contract: ReplayContract): number {
  const year = fullestYear(contract);
  return year === undefined ? 0 : Math.round(share(year) * 1000) / 10;
}

function share(year: { readonly creditsMinor: number; readonly capMinor: number }): number {
  return year.capMinor === 0 ? 0 : year.creditsMinor / year.capMinor;
}

export function currenciesOf(contracts: readonly ReplayContract[]): string[] {
  return [...new Set(contracts.map((contract) => contract.currency))].sort();
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

// The pools and visits parts add these fields to the output (docs/design.md#replay-output-aftercare-replay---json--stable-versioned).
// Read loosely here, so the report shows them where they exist and works on an output without them.
const poolSchema = z.object({
  poolId: z.string(),
  kind: z.string(),
  location: z.string(),
  units: z.number(),
  out: z.number(),
  contracts: z.array(z.string()),
  drawsPerYear: z.number(),
  pEmpty: z.number(),
  unitsNeeded: z.number(),
  targetAvailability: z.number(),
  refusedDraws: z.number(),
});
const levelEconomicsSchema = z.object({
  level: z.string(),
  currency: z.string(),
  contracts: z.number(),
  revenueMinor: z.number(),
  creditsMinor: z.number(),
  costsMinor: z.number(),
  marginMinor: z.number(),
});
const extrasSchema = z.object({
  pools: z.array(poolSchema).optional(),
  economics: z.object({ levels: z.array(levelEconomicsSchema) }).optional(),
  contracts: z.array(
    z.object({
      contractId: z.string(),
      years: z.array(
        z.object({
          index: z.number(),
          revenueMinor: z.number().optional(),
          costToServeMinor: z.number().optional(),
          marginMinor: z.number().optional(),
          visits: z.object({ count: z.number(), costMinor: z.number() }).optional(),
        }),
      ),
    }),
  ),
});

export type PoolFigures = z.infer<typeof poolSchema>;
export type LevelEconomics = z.infer<typeof levelEconomicsSchema>;

export interface YearMargin {
  readonly index: number;
  readonly revenueMinor: number;
  readonly costToServeMinor: number;
  readonly marginMinor: number;
}

export interface OutputExtras {
  readonly pools: readonly PoolFigures[];
  readonly economics: readonly LevelEconomics[];
  /** Per contract id: the years that carry a margin. */
  readonly margins: ReadonlyMap<string, readonly YearMargin[]>;
}

export function extrasOf(output: ReplayOutput): OutputExtras {
  const parsed = extrasSchema.safeParse(output);
  if (!parsed.success) return { pools: [], economics: [], margins: new Map() };
  const margins = new Map<string, YearMargin[]>();
  for (const contract of parsed.data.contracts) {
    const years = contract.years.flatMap((year) =>
      year.marginMinor === undefined
        ? []
        : [{ index: year.index, revenueMinor: year.revenueMinor ?? 0, costToServeMinor: year.costToServeMinor ?? 0, marginMinor: year.marginMinor }],
    );
    if (years.length > 0) margins.set(contract.contractId, years);
  }
  return { pools: parsed.data.pools ?? [], economics: parsed.data.economics?.levels ?? [], margins };
}
