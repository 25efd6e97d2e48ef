/**
 * `aftercare replay --compare`: the same events replayed under two catalogs (or two levels), and the
 * difference that prices the decision: per service level, the credits, the breach rate and the margin
 * of each run. The margin is the visits part's `marginMinor` where the output has it, otherwise the
 * fees less the credits (said so in the output: `marginBasis`).
 */
import { UsageError } from '../errors.ts';
import { money, table } from '../report/format.ts';
import { breachRatePercent, extrasOf, sum } from './figures.ts';
import type { LevelMap } from './level-map.ts';
import type { ReplayContract, ReplayOutput } from './output-schema.ts';

export interface ScenarioLabel {
  readonly name: 'A' | 'B';
  readonly catalogFile: string;
}

export interface ScenarioFigures {
  /** The level the contracts ran at in this scenario. */
  readonly level: string;
  readonly feesMinor: number;
  readonly creditsMinor: number;
  readonly breaches: number;
  readonly decidedClocks: number;
  /** Decided clocks not met in time: the breach rate's numerator. */
  readonly breachedClocks: number;
  readonly breachRatePercent: number | null;
  readonly marginMinor: number;
}

export interface ComparisonRow {
  /** The contracts' level in run A; "all" for a currency's total. */
  readonly level: string;
  readonly currency: string;
  readonly contracts: number;
  readonly a: ScenarioFigures;
  readonly b: ScenarioFigures;
  readonly creditsDifferenceMinor: number;
  readonly marginDifferenceMinor: number;
}

export interface Comparison {
  readonly version: 1;
  readonly asOf: string;
  readonly a: ScenarioLabel;
  readonly b: ScenarioLabel & { readonly levelMap: Readonly<Record<string, string>> };
  /** `margin`: revenue less credits and costs to serve (the catalog's costs); `feesLessCredits`: no costs in the output. */
  readonly marginBasis: 'margin' | 'feesLessCredits';
  readonly rows: readonly ComparisonRow[];
}

export function compareReplays(
  a: ReplayOutput,
  b: ReplayOutput,
  labels: { readonly a: ScenarioLabel; readonly b: ScenarioLabel },
  levelMap: LevelMap,
): Comparison {
  const contractsB = new Map(b.contracts.map((contract) => [contract.contractId, contract]));
  const missing = a.contracts.filter((contract) => !contractsB.has(contract.contractId)).map((contract) => contract.contractId);
  if (missing.length > 0) throw new UsageError(`replay --compare: run B registered no contract ${missing.join(', ')}: see its rejected events`);
  const marginsA = extrasOf(a).margins;
  const marginsB = extrasOf(b).margins;
  const hasMargins = a.contracts.length > 0 && a.contracts.every((contract) => marginsA.has(contract.contractId) && marginsB.has(contract.contractId));

  const groups = new Map<string, ReplayContract[]>();
  for (const contract of a.contracts) {
    const key = `${contract.currency}\u0000${contract.serviceLevel}`;
    groups.set(key, [...(groups.get(key) ?? []), contract]);
  }
  const rows: ComparisonRow[] = [];
  const byCurrency = new Map<string, ComparisonRow[]>();
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key) ?? [];
    const [currency = '', level = ''] = key.split('\u0000');
    const pairs = group.map((contract) => [contract, contractsB.get(contract.contractId) ?? contract] as const);
    const row = rowOf(level, currency, [
      figuresOf(level, pairs.map(([contract]) => contract), hasMargins ? marginsA : null),
      figuresOf(levelMap.get(level) ?? level, pairs.map(([, contract]) => contract), hasMargins ? marginsB : null),
    ], group.length);
    rows.push(row);
    byCurrency.set(currency, [...(byCurrency.get(currency) ?? []), row]);
  }
  for (const [currency, ofCurrency] of byCurrency) {
    if (ofCurrency.length < 2) continue;
    rows.push(rowOf('all', currency, [totalOf(ofCurrency.map((row) => row.a)), totalOf(ofCurrency.map((row) => row.b))], sum(ofCurrency.map((row) => row.contracts))));
  }
  return {
    version: 1,
    asOf: a.asOf,
    a: labels.a,
    b: { ...labels.b, levelMap: Object.fromEntries(levelMap) },
    marginBasis: hasMargins ? 'margin' : 'feesLessCredits',
    rows,
  };
}

function rowOf(level: string, currency: string, [a, b]: readonly [ScenarioFigures, ScenarioFigures], contracts: number): ComparisonRow {
  return {
    level,
    currency,
    contracts,
    a,
    b,
    creditsDifferenceMinor: b.creditsMinor - a.creditsMinor,
    marginDifferenceMinor: b.marginMinor - a.marginMinor,
  };
}

function figuresOf(level: string, contracts: readonly ReplayContract[], margins: ReturnType<typeof extrasOf>['margins'] | null): ScenarioFigures {
  const years = contracts.flatMap((contract) => contract.years);
  const months = contracts.flatMap((contract) => contract.months);
  const feesMinor = sum(years.map((year) => year.feeMinor));
  const creditsMinor = sum(years.map((year) => year.creditsMinor));
  const decidedClocks = sum(months.map((month) => sum(Object.values(month.decided))));
  const met = sum(months.map((month) => sum(Object.values(month.met))));
  return {
    level,
    feesMinor,
    creditsMinor,
    breaches: sum(months.map((month) => sum(Object.values(month.breaches)))),
    decidedClocks,
    breachedClocks: decidedClocks - met,
    breachRatePercent: breachRatePercent(months),
    marginMinor:
      margins === null
        ? feesMinor - creditsMinor
        : sum(contracts.flatMap((contract) => (margins.get(contract.contractId) ?? []).map((year) => year.marginMinor))),
  };
}

function totalOf(figures: readonly ScenarioFigures[]): ScenarioFigures {
  const decidedClocks = sum(figures.map((f) => f.decidedClocks));
  const breachedClocks = sum(figures.map((f) => f.breachedClocks));
  return {
    level: 'all',
    feesMinor: sum(figures.map((f) => f.feesMinor)),
    creditsMinor: sum(figures.map((f) => f.creditsMinor)),
    breaches: sum(figures.map((f) => f.breaches)),
    decidedClocks,
    breachedClocks,
    breachRatePercent: decidedClocks === 0 ? null : Math.round((breachedClocks * 1000) / decidedClocks) / 10,
    marginMinor: sum(figures.map((f) => f.marginMinor)),
  };
}

export function marginLabel(comparison: Comparison): string {
  return comparison.marginBasis === 'margin' ? 'margin' : 'fees less credits';
}

export function comparisonReport(comparison: Comparison): string[] {
  const { a, b } = comparison;
  const mapped = Object.entries(b.levelMap).map(([from, to]) => `${from} → ${to}`);
  const rate = (value: number | null): string => (value === null ? '–' : `${value.toFixed(1)} %`);
  const amount = (minor: number, currency: string): string => (minor < 0 ? `−${money(-minor, currency)}` : money(minor, currency));
  const signed = (minor: number, currency: string): string => (minor > 0 ? `+${money(minor, currency)}` : amount(minor, currency));
  const lines = [
    `Comparison as of ${comparison.asOf}: the same events under`,
    `  A: ${a.catalogFile}`,
    `  B: ${b.catalogFile}${mapped.length === 0 ? '' : `, levels ${mapped.join(', ')}`}`,
    '',
    ...table(
      ['level', 'contracts', 'credits A', 'credits B', 'B − A', 'breach rate A', 'breach rate B', `${marginLabel(comparison)} A`, `${marginLabel(comparison)} B`, 'B − A'],
      comparison.rows.map((row) => [
        row.b.level === row.level ? row.level : `${row.level} → ${row.b.level}`,
        String(row.contracts),
        money(row.a.creditsMinor, row.currency),
        money(row.b.creditsMinor, row.currency),
        signed(row.creditsDifferenceMinor, row.currency),
        rate(row.a.breachRatePercent),
        rate(row.b.breachRatePercent),
        amount(row.a.marginMinor, row.currency),
        amount(row.b.marginMinor, row.currency),
        signed(row.marginDifferenceMinor, row.currency),
      ]),
      [false, true, true, true, true, true, true, true, true, true],
    ),
  ];
  if (comparison.marginBasis === 'feesLessCredits') lines.push('', '(no costs in the catalogs: the margin shown is the fees less the credits)');
  return lines;
}
