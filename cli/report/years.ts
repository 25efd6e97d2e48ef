/** A contract's years as a table: breaches per KPI, KPIs met, credits, cap and what the next year costs. */
import { KPIS } from '#domain/model.ts';
import type { ContractStatement, YearStatement } from '#domain/statement.ts';
import { KPI_SHORT, money, table } from './format.ts';

export function yearsTable(statement: ContractStatement): string[] {
  const { currency } = statement;
  const rows = statement.years.map((year) => [
    String(year.index),
    `${year.start} – ${year.end}`,
    money(year.feeMinor, currency),
    KPIS.map((kpi) => `${KPI_SHORT[kpi]} ${year.breaches[kpi]}`).join(' '),
    metSummary(year),
    money(year.creditsMinor, currency),
    `${money(year.capMinor, currency)}${year.capReached ? ' reached' : ''}`,
    money(year.amountDueNextYearMinor, currency),
  ]);
  return table(
    ['year', 'period', 'fee', 'breaches', 'KPIs met', 'credits', 'cap', 'due next year'],
    rows,
    [true, false, true, false, false, true, true, true],
  );
}

/** `FR 93.3% RS 100%`: only the KPIs with decided clocks that year. */
function metSummary(year: YearStatement): string {
  const met = KPIS.flatMap((kpi) => {
    const percent = year.kpisMetPercent[kpi];
    return percent === null ? [] : [`${KPI_SHORT[kpi]} ${percent}%`];
  });
  return met.length === 0 ? '–' : met.join(' ');
}
