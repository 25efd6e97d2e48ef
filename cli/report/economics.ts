/** A contract's years as an economics table (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract), and the paused time per case. */
import type { ContractStatement } from '#domain/statement.ts';
import { toIso } from '#domain/time.ts';
import { money, table } from './format.ts';

const number = (value: number): string => String(value);
const percent = (value: number | null): string => (value === null ? '–' : `${value}%`);

export function economicsTable(statement: ContractStatement): string[] {
  const { currency } = statement;
  const rows = statement.years.map(({ index, economics: e }) => [
    String(index),
    number(e.visits.count),
    number(e.visits.hoursOnSite),
    number(e.visits.travelHours),
    number(e.visits.kilometres),
    number(e.visits.nights),
    money(e.visits.costMinor, currency),
    money(e.poolCarryingCostMinor, currency),
    money(e.creditsMinor, currency),
    money(e.costToServeMinor, currency),
    money(e.revenueMinor, currency),
    money(e.marginMinor, currency),
    `${percent(e.liability.creditsPercentOfCap)} / ${percent(e.liability.costToServePercentOfCap)}`,
  ]);
  const lines = table(
    ['year', 'visits', 'h on site', 'h travel', 'km', 'nights', 'visit cost', 'pools', 'credits', 'cost to serve', 'revenue', 'margin', 'of liability cap (credits / cost to serve)'],
    rows,
    [true, true, true, true, true, true, true, true, true, true, true, true, false],
  );
  for (const { index, economics } of statement.years) {
    for (const reason of economics.unpriced) lines.push(`year ${index}: not priced, counted as 0: ${reason}`);
  }
  return lines;
}

const hours = (ms: number): string => `${Math.round(ms / 36_000) / 100} h`;

/** Each paused case: its pauses with reason, from and to, and the paused time per reason. */
export function pausedTimeLines(statement: ContractStatement): string[] {
  return statement.pausedTime.flatMap((paused) => [
    `${paused.caseId}: force majeure ${hours(paused.forceMajeureMs)}, awaiting customer ${hours(paused.awaitingCustomerMs)}`,
    ...paused.pauses.map(
      (pause) => `  ${pause.reason === 'force_majeure' ? 'force majeure' : 'awaiting customer'} from ${toIso(pause.from)} to ${pause.to === null ? '(still paused)' : toIso(pause.to)}`,
    ),
  ]);
}
