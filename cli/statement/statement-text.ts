/** The statement (docs/design.md#8-read-model-the-statement) for a person: terms, termination right, years, ledger, notices, rejected, parked and quarantined items. */
import type { ContractStatement } from '#domain/statement.ts';
import { toIso } from '#domain/time.ts';
import { KPI_LEGEND, kpiLabel, money, table } from '../report/format.ts';
import { yearsTable } from '../report/years.ts';
import { economicsTable, pausedTimeLines } from '../report/economics.ts';

export function statementText(statement: ContractStatement, asOf: number): string[] {
  const { terms, currency } = statement;
  const right = statement.terminationRight;
  const lines = [
    `Contract ${statement.contractId} — ${statement.status}, service level ${statement.serviceLevel} (as of ${toIso(asOf)})`,
    `  start ${terms.start}, binding end ${terms.bindingEnd}, current term end ${terms.currentTermEnd}, notice deadline ${terms.noticeDeadline}` +
      (terms.endsAt === null ? '' : `, ends ${toIso(terms.endsAt)}`),
    `  termination right: ${right === null ? 'none' : `since ${toIso(right.since)} until ${toIso(right.until)}`}`,
    `  liability cap: ${money(statement.liabilityCapMinor, currency)}` +
      (statement.creditsOwedMinor > 0 ? `; credits owed at the end: ${money(statement.creditsOwedMinor, currency)}` : ''),
    '',
    ...yearsTable(statement).map((line) => `  ${line}`),
    `  (${KPI_LEGEND})`,
    '',
    '  Economics (cost to serve = visit cost + pools + credits; margin = revenue − cost to serve)',
    ...economicsTable(statement).map((line) => `  ${line}`),
  ];
  if (statement.ledger.length > 0) {
    lines.push('', '  Ledger');
    const rows = statement.ledger.map((entry) => [
      String(entry.seq),
      String(entry.yearIndex),
      entry.caseId,
      kpiLabel(entry.kpi),
      money(entry.amountMinor, currency),
      toIso(entry.bookedAt),
    ]);
    lines.push(...table(['#', 'year', 'case', 'KPI', 'amount', 'booked'], rows, [true, true, false, false, true, false]).map((l) => `  ${l}`));
  }
  if (statement.notices.length > 0) {
    lines.push('', '  Notices');
    const rows = statement.notices.map((notice) => [notice.type, notice.state, notice.to, notice.id]);
    lines.push(...table(['type', 'state', 'to', 'id'], rows).map((l) => `  ${l}`));
  }
  lines.push(...poolsText(statement));
  if (statement.rejected.length > 0) {
    lines.push('', '  Rejected events');
    for (const event of statement.rejected) lines.push(`  ${event.eventId} (${event.type}): ${event.reason}`);
  }
  if (statement.parked.length > 0) {
    lines.push('', '  Parked events (waiting for the contract)');
    for (const event of statement.parked) lines.push(`  ${event.eventId} case ${event.caseId}, received ${toIso(event.receivedAt)}`);
  }
  if (statement.pausedTime.length > 0) {
    lines.push('', '  Paused time per case (clocks stood still; force majeure pauses every clock)');
    lines.push(...pausedTimeLines(statement).map((line) => `  ${line}`));
  }
  if (statement.quarantined.length > 0) {
    lines.push('', '  Quarantined (set aside after failing; re-drive with `aftercare redrive <contract> <item>`)');
    for (const item of statement.quarantined) {
      const name = item.kind === 'lifecycle' ? 'lifecycle' : `${item.kind}:${item.id}`;
      lines.push(`  ${name}: ${item.reason} (${item.attempts} failures, ${toIso(item.at)})`);
    }
  }
  return lines;
}

/** The contract's pools (an exclusive one with its up-front fee and the year it is charged in) and its loans. */
function poolsText(statement: ContractStatement): string[] {
  if (statement.pools.length === 0 && statement.loans.length === 0) return [];
  const lines = ['', '  Pools'];
  for (const pool of statement.pools) {
    const fee = pool.upFrontFee === null ? '' : `, up-front fee ${money(pool.upFrontFee.minor, pool.upFrontFee.currency)}`;
    lines.push(`  ${pool.poolId} — ${pool.holds}, ${pool.location} (${pool.kind}${fee})`);
  }
  for (const year of statement.years) {
    if (year.exclusivePoolFeesMinor > 0) lines.push(`  year ${year.index}: exclusive pool fees ${money(year.exclusivePoolFeesMinor, statement.currency)}`);
  }
  if (statement.loans.length > 0) {
    const open = statement.loans.filter((loan) => loan.returnedAt === null).length;
    const overdue = statement.loans.filter((loan) => loan.overdue).length;
    lines.push('', `  Loans (${open} out${overdue > 0 ? `, ${overdue} overdue` : ''}, ${statement.loans.length - open} back)`);
    const rows = statement.loans.map((loan) => [
      loan.poolId,
      loan.unitId,
      loan.caseId ?? '—',
      loan.borrower,
      toIso(loan.startedAt),
      loan.dueAt === null ? (loan.caseId === null ? '—' : 'after the case') : toIso(loan.dueAt),
      loan.returnedAt === null ? (loan.overdue ? 'OVERDUE' : 'out') : toIso(loan.returnedAt),
      String(loan.daysOut),
    ]);
    lines.push(...table(['pool', 'unit', 'case', 'borrower', 'started', 'due', 'returned', 'days out'], rows, [false, false, false, false, false, false, false, true]).map((l) => `  ${l}`));
  }
  return lines;
}
