/** `aftercare pools (--table NAME | --local) [--json]`: every loan-unit and spare-parts pool with its figures (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
import { DynamoPoolRepository } from '#store/dynamo-pool-repository.ts';
import { readPoolReport, type PoolReportRow } from '#usecases/pool-report.ts';
import { booleanFlag, instantFlag, parseFlags } from '../args.ts';
import { onCommandTable } from '../local/clients.ts';
import type { Command } from './command.ts';

export const poolsCommand: Command = {
  name: 'pools',
  usage: `Usage: aftercare pools (--table NAME | --local) [--json] [--as-of INSTANT] [--catalog FILE]

Every pool of loan units or spare parts (docs/design.md §10): its kind (exclusive or shared), where it
is, its units and how many are out, the contracts entitled to it, draws per year, the mean days a unit
is out, the chance that a request finds it empty (Poisson, from its history) and the units it needs
for the catalog's pools.targetAvailability (default 99 %), refused draws and refused pool events.

  --table NAME      the Aftercare table (region and credentials from the standard AWS chain)
  --local           the table of the running local stack (\`npm start\`)
  --json            the report as JSON (one object per pool; pEmpty and targetAvailability as fractions)
  --as-of INSTANT   the figures as of this instant (ISO-8601 with offset); default now
  --catalog FILE    the catalog (its pools.targetAvailability); default: the local stack's, else catalog/default.json
  -h, --help        this text`,
  async run(argv, output) {
    const flags = parseFlags(
      'pools',
      argv,
      { table: { type: 'string' }, local: { type: 'boolean' }, json: { type: 'boolean' }, 'as-of': { type: 'string' }, catalog: { type: 'string' } },
      0,
    );
    const asOf = instantFlag('pools', flags, 'as-of') ?? Date.now();
    return onCommandTable('pools', flags, async ({ table, catalog, memory }) => {
      const pools = memory?.pools ?? new DynamoPoolRepository({ client: table.documents, tableName: table.tableName });
      const report = await readPoolReport(pools, catalog, asOf);
      if (booleanFlag(flags, 'json')) output.out(JSON.stringify({ asOf: new Date(asOf).toISOString(), pools: report }, null, 2));
      else output.out(poolsText(report).join('\n'));
      return 0;
    });
  },
};

const percent = (fraction: number): string => `${(Math.round(fraction * 1000) / 10).toFixed(1)} %`;

export function poolsText(rows: readonly PoolReportRow[]): string[] {
  if (rows.length === 0) return ['No pools are registered (send a pool.registered event: examples/pool.registered.json).'];
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(`${row.poolId} — ${row.holds}, ${row.location} (${row.kind})`);
    lines.push(`  units ${row.units}, out ${row.out}; contracts: ${row.contracts.length === 0 ? 'none' : row.contracts.join(', ')}`);
    lines.push(
      `  draws per year ${row.drawsPerYear.toFixed(1)}, mean days out ${row.meanTurnaroundDays.toFixed(1)}, ` +
        `P(empty on request) ${percent(row.pEmpty)}, units needed for ${percent(row.targetAvailability)}: ${row.unitsNeeded}` +
        (row.unitsNeeded > row.units ? `  ← ${row.unitsNeeded - row.units} short` : ''),
    );
    if (row.refusedDraws > 0) lines.push(`  refused draws: ${row.refusedDraws}`);
    for (const rejected of row.rejected) lines.push(`  rejected ${rejected.type} ${rejected.eventId}: ${rejected.reason}`);
  }
  return lines;
}
