/** The report's charts, each with the table of the same numbers: built from month totals, pools and economics. */
import { KPIS } from '#domain/model.ts';
import { kpiLabel } from '../../report/format.ts';
import { metPercent, type LevelEconomics, type MonthTotals, type PoolFigures } from '../figures.ts';
import { KPI_COLOURS, type Chart } from './charts.ts';
import { majorUnits, moneyText, percentText, type TableSpec } from './page.ts';

export interface ChartWithNumbers {
  readonly chart: Chart;
  readonly numbers: TableSpec;
}

const WIDTH = 760;
// "2026-01" shows as "Jan 2026", the other months by name: every month labelled, legible in print.
const MONTH_LABEL =
  "['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][toNumber(substring(datum.value, 5, 7)) - 1] + " +
  "(substring(datum.value, 5, 7) === '01' || datum.index === 0 ? ' ' + substring(datum.value, 0, 4) : '')";
const MONTH_AXIS = { field: 'month', type: 'ordinal', title: null, axis: { labelAngle: 0, labelOverlap: false, labelExpr: MONTH_LABEL } } as const;

export function creditsAgainstCap(id: string, subject: string, months: readonly MonthTotals[], currency: string): ChartWithNumbers {
  const values = months.map((month) => ({
    month: month.month,
    earned: majorUnits(month.creditsMinor, currency),
    toDate: majorUnits(month.yearCreditsToDateMinor, currency),
    cap: majorUnits(month.capMinor, currency),
    year: month.yearIndex,
  }));
  const peak = months.reduce((best, month) => (month.capMinor > 0 && month.yearCreditsToDateMinor / month.capMinor > best.share ? { month: month.month, share: month.yearCreditsToDateMinor / month.capMinor } : best), { month: '', share: 0 });
  const y = { type: 'quantitative', title: `credits (${currency})` } as const;
  return {
    chart: {
      id,
      title: `${subject}: credits against the cap, month by month (${currency})`,
      description:
        `Bars: credits earned by the breaches of each month. Line: the contract year's credits to date, from zero again each year; dashed line: the cap. ` +
        (peak.share === 0 ? 'No credits were earned.' : `The highest share of the cap used was ${(peak.share * 100).toFixed(1)} % in ${peak.month}.`),
      spec: {
        width: WIDTH,
        height: 220,
        data: { values },
        layer: [
          { mark: { type: 'bar', opacity: 0.85 }, encoding: { x: MONTH_AXIS, y: { ...y, field: 'earned' }, color: { datum: 'earned in the month' } } },
          // One line per contract year: the credits start again from zero with each year, and so may the cap.
          { mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x: MONTH_AXIS, y: { ...y, field: 'toDate' }, detail: { field: 'year', type: 'nominal' }, color: { datum: 'contract year to date' } } },
          { mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { x: MONTH_AXIS, y: { ...y, field: 'cap' }, detail: { field: 'year', type: 'nominal' }, color: { datum: 'cap' } } },
        ],
        encoding: {},
        resolve: { scale: { color: 'shared' } },
        config: { range: { category: ['#60a5fa', '#1d4ed8', '#b91c1c'] }, legend: { labelLimit: 0, title: null } },
      },
    },
    numbers: {
      caption: `${subject}: credits per month (${currency})`,
      headers: ['month', 'earned in the month', 'year to date', 'cap', 'cap used'],
      numeric: [1, 2, 3, 4],
      rows: months.map((month) => [
        month.month,
        moneyText(month.creditsMinor, currency),
        moneyText(month.yearCreditsToDateMinor, currency),
        moneyText(month.capMinor, currency),
        percentText(month.capMinor === 0 ? null : Math.round((month.yearCreditsToDateMinor * 1000) / month.capMinor) / 10),
      ]),
    },
  };
}

export function breachesPerKpi(id: string, subject: string, months: readonly MonthTotals[]): ChartWithNumbers {
  const values = months.flatMap((month) => KPIS.map((kpi) => ({ month: month.month, kpi: kpiLabel(kpi), breaches: month.breaches[kpi] })));
  const total = values.reduce((sum, value) => sum + value.breaches, 0);
  return {
    chart: {
      id,
      title: `${subject}: breaches per KPI, month by month`,
      description: `Stacked bars: breaches per month by KPI (first response, on site, replacement, resolution), ${total} in all.`,
      spec: {
        width: WIDTH,
        height: 180,
        data: { values },
        mark: 'bar',
        encoding: {
          x: MONTH_AXIS,
          y: { field: 'breaches', type: 'quantitative', aggregate: 'sum', title: 'breaches', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'kpi', type: 'nominal', title: 'KPI', sort: KPIS.map(kpiLabel), scale: KPI_COLOURS },
        },
      },
    },
    numbers: {
      caption: `${subject}: breaches per KPI per month`,
      headers: ['month', ...KPIS.map(kpiLabel), 'all'],
      numeric: [1, 2, 3, 4, 5],
      rows: months.map((month) => [month.month, ...KPIS.map((kpi) => month.breaches[kpi]), KPIS.reduce((sum, kpi) => sum + month.breaches[kpi], 0)]),
    },
  };
}

export function kpisMet(id: string, subject: string, months: readonly MonthTotals[]): ChartWithNumbers {
  const values = months.flatMap((month) =>
    KPIS.flatMap((kpi) => {
      const percent = metPercent(month.met[kpi], month.decided[kpi]);
      return percent === null ? [] : [{ month: month.month, kpi: kpiLabel(kpi), percent, label: `${month.met[kpi]}/${month.decided[kpi]}` }];
    }),
  );
  const x = { ...MONTH_AXIS, scale: { domain: months.map((month) => month.month) } };
  const y = { field: 'kpi', type: 'nominal', title: null, sort: KPIS.map(kpiLabel), scale: { domain: KPIS.map(kpiLabel) } } as const;
  return {
    chart: {
      id,
      title: `${subject}: KPIs met in time, % per month`,
      description:
        'One cell per KPI and month, coloured by the share of clocks decided in the month that were met in time (red 0 %, green 100 %), ' +
        'labelled met/decided. A blank cell: no clock of that KPI was decided that month.',
      spec: {
        width: WIDTH,
        height: 4 * 30,
        data: { values },
        layer: [
          {
            mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
            encoding: { x, y, color: { field: 'percent', type: 'quantitative', title: 'met in time (%)', scale: { domain: [0, 100], scheme: 'redyellowgreen' }, legend: { orient: 'right', gradientLength: 100 } } },
          },
          {
            mark: { type: 'text', fontSize: 11 },
            encoding: { x, y, text: { field: 'label' }, color: { condition: { test: 'datum.percent < 25 || datum.percent > 85', value: 'white' }, value: '#111827' } },
          },
        ],
      },
    },
    numbers: {
      caption: `${subject}: KPIs met in time per month (met / decided)`,
      headers: ['month', ...KPIS.map(kpiLabel)],
      numeric: [1, 2, 3, 4],
      rows: months.map((month) => [
        month.month,
        ...KPIS.map((kpi) => (month.decided[kpi] === 0 ? '–' : `${percentText(metPercent(month.met[kpi], month.decided[kpi]))} (${month.met[kpi]}/${month.decided[kpi]})`)),
      ]),
    },
  };
}

export function poolOccupancy(id: string, pools: readonly PoolFigures[]): ChartWithNumbers {
  const values = pools.flatMap((pool) => [
    { pool: pool.poolId, measure: 'units held', units: pool.units },
    { pool: pool.poolId, measure: 'out at the end', units: pool.out },
    { pool: pool.poolId, measure: 'units needed for the target', units: pool.unitsNeeded },
  ]);
  return {
    chart: {
      id,
      title: 'Pools: units held, out, and needed',
      description: `Grouped bars per pool: the units it holds, the units out on loan at the end of the replay, and the units the availability target needs.`,
      spec: {
        width: { step: 22 },
        height: 200,
        data: { values },
        mark: 'bar',
        encoding: {
          x: { field: 'pool', type: 'nominal', title: null, axis: { labelAngle: 0 } },
          xOffset: { field: 'measure', type: 'nominal', sort: ['units held', 'out at the end', 'units needed for the target'] },
          y: { field: 'units', type: 'quantitative', title: 'units', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'measure', type: 'nominal', title: null, sort: ['units held', 'out at the end', 'units needed for the target'], scale: { range: ['#1d4ed8', '#f59e0b', '#b91c1c'] } },
        },
      },
    },
    numbers: {
      caption: 'Pools',
      headers: ['pool', 'kind', 'location', 'units', 'out', 'draws / year', 'P(empty)', 'units needed', 'refused draws'],
      numeric: [3, 4, 5, 6, 7, 8],
      rows: pools.map((pool) => [
        pool.poolId,
        pool.kind,
        pool.location,
        pool.units,
        pool.out,
        pool.drawsPerYear.toFixed(1),
        `${(pool.pEmpty * 100).toFixed(2)} %`,
        pool.unitsNeeded,
        pool.refusedDraws,
      ]),
    },
  };
}

export function marginByLevel(id: string, levels: readonly LevelEconomics[], currency: string): ChartWithNumbers {
  const rows = levels.filter((level) => level.currency === currency);
  const measures = ['revenue', 'credits', 'costs', 'margin'];
  const values = rows.flatMap((level) => [
    { level: level.level, measure: 'revenue', amount: majorUnits(level.revenueMinor, currency) },
    { level: level.level, measure: 'credits', amount: majorUnits(level.creditsMinor, currency) },
    { level: level.level, measure: 'costs', amount: majorUnits(level.costsMinor, currency) },
    { level: level.level, measure: 'margin', amount: majorUnits(level.marginMinor, currency) },
  ]);
  return {
    chart: {
      id,
      title: `Margin per service level (${currency})`,
      description: `Grouped bars per service level: revenue, credits, costs to serve and the margin left.`,
      spec: {
        width: { step: 24 },
        height: 200,
        data: { values },
        mark: 'bar',
        encoding: {
          x: { field: 'level', type: 'nominal', title: null, axis: { labelAngle: 0 } },
          xOffset: { field: 'measure', type: 'nominal', sort: measures },
          y: { field: 'amount', type: 'quantitative', title: currency },
          color: { field: 'measure', type: 'nominal', title: null, sort: measures, scale: { range: ['#1d4ed8', '#b91c1c', '#f59e0b', '#047857'] } },
        },
      },
    },
    numbers: {
      caption: `Economics per service level (${currency})`,
      headers: ['level', 'contracts', 'revenue', 'credits', 'costs', 'margin'],
      numeric: [1, 2, 3, 4, 5],
      rows: rows.map((level) => [
        level.level,
        level.contracts,
        moneyText(level.revenueMinor, currency),
        moneyText(level.creditsMinor, currency),
        moneyText(level.costsMinor, currency),
        moneyText(level.marginMinor, currency),
      ]),
    },
  };
}
