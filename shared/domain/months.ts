/**
 * A contract's figures month by month (calendar months in the contract's zone), for the replay report
 * (docs/design.md#replay-report-aftercare-replay---html): breaches and decided clocks per KPI by the
 * month of their deadline, and the credits those breaches earned against the year's cap.
 */
import type { YearCredits } from './credits.ts';
import { KPIS } from './model.ts';
import type { ContractTerms, Kpi } from './model.ts';
import type { ClockOutcome } from './statement.ts';
import { yearIndexAt } from './terms.ts';
import { formatDate, localDateAt, splitDate, startOfLocalDate } from './time.ts';
import type { Instant } from './time.ts';

export interface MonthStatement {
  /** YYYY-MM in the contract's zone. */
  readonly month: string;
  /** Credited breaches (at most one per case and KPI) whose deadline fell in the month. */
  readonly breaches: Readonly<Record<Kpi, number>>;
  /** Clocks decided (met or breached) whose deadline fell in the month: the base of "KPIs met %". */
  readonly decided: Readonly<Record<Kpi, number>>;
  readonly met: Readonly<Record<Kpi, number>>;
  /** Credits the month's breaches earned, after the cap. */
  readonly creditsMinor: number;
  /** The contract year the month ends in (or the reporting instant, if sooner). */
  readonly yearIndex: number;
  /** That year's credits up to the month's end: what the cap is measured against. */
  readonly yearCreditsToDateMinor: number;
  readonly capMinor: number;
}

export interface MonthsInput {
  readonly terms: ContractTerms;
  readonly credits: ReadonlyMap<number, YearCredits>;
  /** The cap of a year without breaches (each year's own fee and level: amendments change them). */
  readonly capOf: (yearIndex: number) => number;
  readonly outcomes: readonly ClockOutcome[];
  /** The last instant reported: the statement instant, or the contract's end if sooner (exclusive). */
  readonly until: Instant;
}

export function monthsOf(input: MonthsInput): MonthStatement[] {
  const { terms, until } = input;
  const zone = terms.timeZone;
  const credited = [...input.credits.entries()].flatMap(([yearIndex, year]) => year.breaches.map((breach) => ({ ...breach, yearIndex })));
  const months: MonthStatement[] = [];
  let month = terms.startDate.slice(0, 7);
  const last = localDateAt(Math.max(until - 1, startOfLocalDate(terms.startDate, zone)), zone).slice(0, 7);
  for (;;) {
    const startsAt = startOfLocalDate(`${month}-01`, zone);
    const endsAt = startOfLocalDate(`${nextMonth(month)}-01`, zone);
    const inMonth = (deadline: Instant): boolean => deadline >= startsAt && deadline < endsAt;
    const reportedTo = Math.min(endsAt, until);
    const yearIndex = yearIndexAt(terms, Math.max(reportedTo - 1, startOfLocalDate(terms.startDate, zone)));
    const breaches = zeroPerKpi();
    const decided = zeroPerKpi();
    const met = zeroPerKpi();
    let creditsMinor = 0;
    for (const breach of credited) {
      if (!inMonth(breach.deadline)) continue;
      breaches[breach.kpi] += 1;
      creditsMinor += breach.creditMinor;
    }
    for (const outcome of input.outcomes) {
      if (!inMonth(outcome.deadline)) continue;
      decided[outcome.kpi] += 1;
      if (!outcome.breached) met[outcome.kpi] += 1;
    }
    const yearCreditsToDateMinor = credited
      .filter((breach) => breach.yearIndex === yearIndex && breach.deadline < reportedTo)
      .reduce((sum, breach) => sum + breach.creditMinor, 0);
    months.push({
      month,
      breaches,
      decided,
      met,
      creditsMinor,
      yearIndex,
      yearCreditsToDateMinor,
      capMinor: input.credits.get(yearIndex)?.capMinor ?? input.capOf(yearIndex),
    });
    if (month >= last) return months;
    month = nextMonth(month);
  }
}

function nextMonth(month: string): string {
  const [year, monthNumber] = splitDate(`${month}-01`);
  return (monthNumber === 12 ? formatDate(year + 1, 1, 1) : formatDate(year, monthNumber + 1, 1)).slice(0, 7);
}

function zeroPerKpi(): Record<Kpi, number> {
  return Object.fromEntries(KPIS.map((kpi) => [kpi, 0])) as Record<Kpi, number>;
}
