/** The readable replay report: per contract its years, rejected events and notices by type; then dead letters. */
import type { ContractStatement } from '#domain/statement.ts';
import { poolsText } from '../commands/pools.ts';
import { KPI_LEGEND } from '../report/format.ts';
import { yearsTable } from '../report/years.ts';
import { economicsTable } from '../report/economics.ts';
import { levelsTable } from '../report/levels.ts';
import type { ReplayResult } from './run-replay.ts';

export function replayReport(result: ReplayResult): string[] {
  const { output, statements, tally } = result;
  const lines = [
    `Replay as of ${output.asOf}: ${tally.delivered} line(s) delivered, ${tally.sweeps} sweep(s), ` +
      `${tally.lifecycleRuns} lifecycle run(s), ${output.notices.length} customer notice(s)` +
      // Each shard sweeps and runs the lifecycle on its own clock: those counts are summed over the shards.
      (result.jobs > 1 ? `, in ${result.jobs} shards (sweeps and runs summed over them)` : ''),
  ];
  if (statements.length === 0) lines.push('', 'No contract was registered.');
  for (const statement of statements) lines.push('', ...contractSection(statement));
  if (statements.length > 0) {
    lines.push('', 'Per service level (costs = visits + pools; margin = revenue − credits − costs)');
    lines.push(...levelsTable(output.economics.levels).map((line) => `  ${line}`));
    lines.push('', `(${KPI_LEGEND})`);
  }
  if (result.pools.length > 0) lines.push('', 'Pools', ...poolsText(result.pools).map((line) => `  ${line}`));
  lines.push('', output.deadLetters.length === 0 ? 'Dead letters: none' : `Dead letters: ${output.deadLetters.length}`);
  for (const letter of output.deadLetters) lines.push(`  ${letter.eventId ?? '(no event id)'}: ${letter.error}`);
  return lines;
}

function contractSection(statement: ContractStatement): string[] {
  const right = statement.terminationRight;
  const lines = [
    `${statement.contractId} — ${statement.status}, ${statement.serviceLevel}` +
      (right === null ? '' : `, termination right until ${new Date(right.until).toISOString()}`),
    ...yearsTable(statement).map((line) => `  ${line}`),
    ...economicsTable(statement).map((line) => `  ${line}`),
  ];
  if (statement.rejected.length > 0) {
    lines.push(`  rejected events: ${statement.rejected.length}`);
    for (const event of statement.rejected) lines.push(`    ${event.eventId} (${event.type}): ${event.reason}`);
  }
  if (statement.parked.length > 0) lines.push(`  parked events (contract not registered when they came): ${statement.parked.length}`);
  const byType = new Map<string, number>();
  for (const notice of statement.notices) byType.set(notice.type, (byType.get(notice.type) ?? 0) + 1);
  const noticeSummary = [...byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `${type} ${count}`);
  lines.push(`  notices: ${noticeSummary.length === 0 ? 'none' : noticeSummary.join(', ')}`);
  if (statement.loans.length > 0) {
    const out = statement.loans.filter((loan) => loan.returnedAt === null).length;
    const overdue = statement.loans.filter((loan) => loan.overdue).length;
    lines.push(`  loans: ${statement.loans.length} (${out} out${overdue > 0 ? `, ${overdue} overdue` : ''}) from ${statement.pools.map((pool) => pool.poolId).join(', ')}`);
  }
  return lines;
}
