/**
 * `aftercare replay --html`: the replay output as one page for a customer-success lead
 * (docs/design.md#replay-report-aftercare-replay---html): what needs attention first, then the
 * portfolio month by month, pools and margin where the output has them, the notices customers would
 * have received, and each contract.
 */
import { KPIS } from '#domain/model.ts';
import { kpiLabel } from '../../report/format.ts';
import {
  breachRatePercent,
  capUsedPercent,
  currenciesOf,
  extrasOf,
  fullestYear,
  metPercent,
  monthTotals,
  sum,
  sumPerKpi,
  totalOf,
  type OutputExtras,
} from '../figures.ts';
import type { ReplayContract, ReplayNotice, ReplayOutput } from '../output-schema.ts';
import { documentOf, figure, html, moneyText, percentText, table, type Html } from './page.ts';
import { breachesPerKpi, creditsAgainstCap, kpisMet, marginByLevel, poolOccupancy, type ChartWithNumbers } from './report-charts.ts';

export interface ReportSource {
  readonly catalogFile: string;
  readonly eventsFile: string;
}

/** Contracts beyond this many get their tables but no charts: the page stays quick to build and to read. */
export const MAX_CONTRACT_CHARTS = 40;

const NOTICE_LABELS: Readonly<Record<string, string>> = {
  'credit.issued': 'service credit issued',
  'credit.adjusted': 'service credit adjusted',
  'credit.cap_reached': 'credit cap reached (termination right)',
  'renewal.reminder': 'renewal reminder',
  'term.expiry_reminder': 'term expiry reminder',
  'termination.confirmed': 'termination confirmed',
  'year.statement': 'year statement',
  'contract.ended': 'contract ended',
  'loan.return_reminder': 'loan return reminder',
};

export async function replayHtml(output: ReplayOutput, source: ReportSource): Promise<string> {
  const extras = extrasOf(output);
  const contracts = [...output.contracts].sort((a, b) => capUsedPercent(b) !== capUsedPercent(a) ? capUsedPercent(b) - capUsedPercent(a) : a.contractId.localeCompare(b.contractId));
  const charted = new Set(contracts.slice(0, MAX_CONTRACT_CHARTS).map((contract) => contract.contractId));
  const period = periodOf(output);
  const body = html`
<header>
<h1>Replay report${period === null ? '' : html`: ${period}`}</h1>
<p class="lead">As of ${output.asOf} · ${output.contracts.length} contract(s) · events <code>${source.eventsFile}</code> · catalog <code>${source.catalogFile}</code></p>
</header>
<main>
${attention(contracts, output)}
${await portfolio(output.contracts)}
${await poolsAndMargin(extras, output.contracts)}
${noticesSection(output.notices)}
<h2 id="contracts">Contracts</h2>
${contracts.length === 0 ? html`<p>No contract was registered.</p>` : ''}
${await Promise.all(contracts.map((contract, index) => contractSection(contract, index, output.notices, extras, charted.has(contract.contractId))))}
${contracts.length > MAX_CONTRACT_CHARTS ? html`<p class="muted">Charts are drawn for the ${MAX_CONTRACT_CHARTS} contracts nearest their cap; the others show their tables.</p>` : ''}
${problems(output)}
</main>`;
  return documentOf(`Replay report${period === null ? '' : ` ${period}`}`, body);
}

function periodOf(output: ReplayOutput): string | null {
  const months = output.contracts.flatMap((contract) => contract.months.map((month) => month.month)).sort();
  const first = months[0];
  const last = months.at(-1);
  return first === undefined || last === undefined ? null : first === last ? first : `${first} to ${last}`;
}

/** The first screen: the money at stake and who is nearest a termination right. */
function attention(contracts: readonly ReplayContract[], output: ReplayOutput): Html {
  const cards = currenciesOf(contracts).map((currency) => {
    const inCurrency = contracts.filter((contract) => contract.currency === currency);
    const allYears = inCurrency.flatMap((contract) => contract.years);
    const credits = sum(allYears.map((year) => year.creditsMinor));
    const caps = sum(allYears.map((year) => year.capMinor));
    const share = caps === 0 ? null : Math.round((credits * 1000) / caps) / 10;
    return html`<div class="card ${credits === 0 ? 'good' : 'warn'}"><div class="label">Credits given (${currency})</div><div class="value">${moneyText(credits, currency)}</div><div class="note">${percentText(share)} of the caps of ${allYears.length} contract year(s) begun</div></div>`;
  });
  const atCap = contracts.filter((contract) => contract.years.some((year) => year.capReached));
  const withRight = contracts.filter((contract) => contract.terminationRight !== null);
  const months = contracts.flatMap((contract) => contract.months);
  const decided = sum(months.map((month) => totalOf(month.decided)));
  const met = sum(months.map((month) => totalOf(month.met)));
  const breaches = sum(months.map((month) => totalOf(month.breaches)));
  const metShare = metPercent(met, decided);
  const watch = contracts.filter((contract) => capUsedPercent(contract) > 0 || contract.terminationRight !== null).slice(0, 12);
  return html`<section id="attention" aria-labelledby="attention-title">
<h2 id="attention-title">What needs attention</h2>
<div class="cards">
${cards}
<div class="card ${atCap.length > 0 ? 'bad' : 'good'}"><div class="label">Contracts at their credit cap</div><div class="value">${atCap.length} of ${contracts.length}</div><div class="note">${withRight.length} customer(s) hold a termination right as of ${output.asOf.slice(0, 10)}</div></div>
<div class="card ${metShare !== null && metShare < 90 ? 'warn' : 'good'}"><div class="label">KPIs met in time</div><div class="value">${percentText(metShare)}</div><div class="note">${met} of ${decided} decided clocks; ${breaches} breach(es) credited</div></div>
<div class="card"><div class="label">Customer notices</div><div class="value">${output.notices.length}</div><div class="note">${output.notices.filter((notice) => notice.state !== 'sent').length} not sent (see below)</div></div>
</div>
${watch.length === 0
    ? html`<p>No contract earned a credit: nothing to watch.</p>`
    : table({
        caption: 'Contracts nearest their cap (the contract year that used most of it)',
        headers: ['contract', 'level', 'year', 'cap used', 'credits', 'cap', 'breaches', 'KPIs met', 'termination right until'],
        numeric: [3, 4, 5, 6, 7],
        rows: watch.map((contract) => {
          const year = fullestYear(contract);
          return [
            html`<a href="#contract-${contracts.indexOf(contract)}">${contract.contractId}</a>`,
            contract.serviceLevel,
            year === undefined ? '–' : `${year.index} (${year.start} to ${year.end})`,
            capUsedPercent(contract) >= 100 ? html`<span class="flag">${percentText(capUsedPercent(contract))}</span>` : percentText(capUsedPercent(contract)),
            year === undefined ? '–' : moneyText(year.creditsMinor, contract.currency),
            year === undefined ? '–' : moneyText(year.capMinor, contract.currency),
            year === undefined ? 0 : totalOf(year.breaches),
            percentText(metOf(contract)),
            contract.terminationRight === null ? '–' : html`<span class="flag">${contract.terminationRight.until.slice(0, 10)}</span>`,
          ];
        }),
      })}
</section>`;
}

function metOf(contract: ReplayContract): number | null {
  return metPercent(sum(contract.months.map((month) => totalOf(month.met))), sum(contract.months.map((month) => totalOf(month.decided))));
}

async function portfolio(contracts: readonly ReplayContract[]): Promise<Html> {
  const parts: Html[] = [];
  for (const currency of currenciesOf(contracts)) {
    const months = monthTotals(contracts.filter((contract) => contract.currency === currency));
    const suffix = currenciesOf(contracts).length > 1 ? ` (${currency} contracts)` : '';
    parts.push(await figureOf(creditsAgainstCap(`portfolio-credits-${currency}`, `Portfolio${suffix}`, months, currency)));
    parts.push(await figureOf(breachesPerKpi(`portfolio-breaches-${currency}`, `Portfolio${suffix}`, months)));
    parts.push(await figureOf(kpisMet(`portfolio-met-${currency}`, `Portfolio${suffix}`, months)));
  }
  if (parts.length === 0) return html``;
  const all = monthTotals(contracts);
  const perKpi = sumPerKpi(all.map((month) => month.breaches));
  return html`<section id="portfolio" aria-labelledby="portfolio-title">
<h2 id="portfolio-title">Portfolio, month by month</h2>
<p>Breach rate: ${percentText(breachRatePercent(all))} of decided clocks · breaches: ${KPIS.map((kpi) => `${kpiLabel(kpi)} ${perKpi[kpi]}`).join(', ')}</p>
${parts}
</section>`;
}

async function poolsAndMargin(extras: OutputExtras, contracts: readonly ReplayContract[]): Promise<Html> {
  const parts: Html[] = [];
  if (extras.pools.length > 0) parts.push(html`<h3>Pool occupancy</h3>`, await figureOf(poolOccupancy('pools', extras.pools)));
  for (const currency of [...new Set(extras.economics.map((level) => level.currency))].sort()) {
    parts.push(html`<h3>Margin (${currency})</h3>`, await figureOf(marginByLevel(`margin-${currency}`, extras.economics, currency)));
  }
  if (extras.economics.length === 0 && extras.margins.size > 0) {
    parts.push(
      table({
        caption: 'Margin per contract year',
        headers: ['contract', 'year', 'revenue', 'cost to serve', 'margin'],
        numeric: [1, 2, 3, 4],
        rows: contracts.flatMap((contract) =>
          (extras.margins.get(contract.contractId) ?? []).map((year) => [
            contract.contractId,
            year.index,
            moneyText(year.revenueMinor, contract.currency),
            moneyText(year.costToServeMinor, contract.currency),
            moneyText(year.marginMinor, contract.currency),
          ]),
        ),
      }),
    );
  }
  if (parts.length === 0) return html``;
  return html`<section id="pools-margin" aria-labelledby="pools-margin-title"><h2 id="pools-margin-title">Pools and margin</h2>${parts}</section>`;
}

function noticesSection(notices: readonly ReplayNotice[]): Html {
  const byType = new Map<string, ReplayNotice[]>();
  for (const notice of notices) byType.set(notice.type, [...(byType.get(notice.type) ?? []), notice]);
  const rows = [...byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, ofType]) => [
    type,
    NOTICE_LABELS[type] ?? '',
    ofType.length,
    ofType.filter((notice) => notice.state === 'sent').length,
    ofType.length - ofType.filter((notice) => notice.state === 'sent').length,
  ]);
  return html`<section id="notices" aria-labelledby="notices-title">
<h2 id="notices-title">Notices customers would have received</h2>
${notices.length === 0 ? html`<p>None.</p>` : table({ caption: 'Customer notices by type', headers: ['type', 'what it tells', 'notices', 'sent', 'not sent'], numeric: [2, 3, 4], rows })}
</section>`;
}

async function contractSection(
  contract: ReplayContract,
  index: number,
  notices: readonly ReplayNotice[],
  extras: OutputExtras,
  withCharts: boolean,
): Promise<Html> {
  const months = monthTotals([contract]);
  const subject = contract.contractId;
  const charts = withCharts
    ? [
        await figureOf(creditsAgainstCap(`contract-${index}-credits`, subject, months, contract.currency)),
        await figureOf(breachesPerKpi(`contract-${index}-breaches`, subject, months)),
      ]
    : [];
  const own = notices.filter((notice) => notice.contractId === contract.contractId);
  const right = contract.terminationRight;
  const margins = extras.margins.get(contract.contractId) ?? [];
  return html`<section class="contract" id="contract-${index}" aria-labelledby="contract-${index}-title">
<h3 id="contract-${index}-title">${contract.contractId}</h3>
<p>${contract.status}, service level ${contract.serviceLevel}, ${contract.currency}. KPIs met in time: ${percentText(metOf(contract))}.${right === null ? '' : html` <span class="flag">Termination right from ${right.since.slice(0, 10)} until ${right.until.slice(0, 10)}.</span>`}</p>
${table({
  caption: `${subject}: contract years`,
  headers: ['year', 'from', 'to', 'fee', ...KPIS.map(kpiLabel), 'credits', 'cap', 'cap reached', 'amount due next year', ...(margins.length > 0 ? ['margin'] : [])],
  numeric: [0, 3, 4, 5, 6, 7, 8, 9, 11, 12],
  rows: contract.years.map((year) => [
    year.index,
    year.start,
    year.end,
    moneyText(year.feeMinor, contract.currency),
    ...KPIS.map((kpi) => year.breaches[kpi]),
    moneyText(year.creditsMinor, contract.currency),
    moneyText(year.capMinor, contract.currency),
    year.capReached ? 'yes' : 'no',
    moneyText(year.amountDueNextYearMinor, contract.currency),
    ...(margins.length > 0 ? [moneyText(margins.find((margin) => margin.index === year.index)?.marginMinor ?? 0, contract.currency)] : []),
  ]),
})}
${charts}
${own.length === 0
    ? html`<p>No customer notice.</p>`
    : table({
        caption: `${subject}: notices to the customer`,
        headers: ['notice', 'about', 'to', 'language', 'state'],
        rows: own.map((notice) => [NOTICE_LABELS[notice.type] ?? notice.type, aboutOf(notice), notice.to, notice.locale, notice.state]),
      })}
${contract.rejected.length === 0
    ? ''
    : table({ caption: `${subject}: rejected events`, headers: ['event', 'reason'], rows: contract.rejected.map((event) => [event.eventId, event.reason]) })}
</section>`;
}

/** What a notice id says beyond its type and contract (shared/usecases/notice-factory.ts builds them): year, case, KPI, date. */
function aboutOf(notice: ReplayNotice): string {
  const prefix = `${notice.type}#${notice.contractId}#`;
  if (!notice.id.startsWith(prefix)) return notice.id;
  const parts = notice.id.slice(prefix.length).split('#');
  const [first = '', second = '', third = ''] = parts;
  const kpi = KPIS.find((candidate) => candidate === third);
  if (notice.type.startsWith('credit.') && kpi !== undefined) return `year ${first} · case ${second} · ${kpiLabel(kpi)}`;
  if (notice.type === 'credit.cap_reached') return `year ${first} · ${second.slice(0, 10)}`;
  if (notice.type === 'year.statement') return `year ${first}`;
  if (notice.type === 'renewal.reminder' && /^\d+$/.test(second)) return `term end ${first} · ${second} days before`;
  return parts.join(' · ');
}

function problems(output: ReplayOutput): Html {
  if (output.deadLetters.length === 0) return html`<p class="muted">Dead letters: none.</p>`;
  return html`<h2 id="dead-letters">Dead letters</h2>${table({
    caption: 'Lines that could not be applied',
    headers: ['event', 'error'],
    rows: output.deadLetters.map((letter) => [letter.eventId ?? '(no event id)', letter.error]),
  })}`;
}

async function figureOf({ chart, numbers }: ChartWithNumbers): Promise<Html> {
  return figure(chart, numbers);
}
