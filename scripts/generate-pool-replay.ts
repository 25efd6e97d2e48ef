/**
 * `npx tsx scripts/generate-pool-replay.ts --out pools.jsonl`: a seeded two-year replay file with a
 * shared and an exclusive pool (test/support/generators/pool-replay-events.ts), and on stderr what each
 * pool's history says: Λ and T, P(empty) by the Poisson model, Erlang B, and a long seeded simulation
 * with the same Λ and T to compare the replay's report against. Options: `--seed 14 --contracts 20
 * --failures 0.5 --turnaround-days 14 --units 2 --years 2`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { erlangB, poolHistoryStats, poolRisk } from '#domain/pool-risk.ts';
import { simulatePool } from '#domain/pool-simulation.ts';
import { generatePoolReplay } from '#test/support/generators/pool-replay-events.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '14' },
    contracts: { type: 'string', default: '20' },
    failures: { type: 'string', default: '0.5' },
    'turnaround-days': { type: 'string', default: '14' },
    units: { type: 'string', default: '2' },
    years: { type: 'string', default: '2' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  process.stdout.write(
    'usage: npx tsx scripts/generate-pool-replay.ts [--out FILE] [--seed N] [--contracts N] [--failures PER_YEAR] [--turnaround-days D] [--units S] [--years Y]\n' +
      'Writes a seeded replay file with pools (stdout without --out) and prints each pool’s risk to stderr.\n',
  );
  process.exit(0);
}
const number = (name: keyof typeof values): number => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name}: must be a number > 0, got ${String(values[name])}\n`);
    process.exit(2);
  }
  return value;
};

const scenario = generatePoolReplay({
  seed: number('seed'),
  contracts: number('contracts'),
  failuresPerContractYear: number('failures'),
  meanTurnaroundDays: number('turnaround-days'),
  sharedUnits: number('units'),
  years: number('years'),
});
const file = `${scenario.lines.join('\n')}\n`;
if (values.out === undefined) process.stdout.write(file);
else writeFileSync(values.out, file);

const percent = (p: number): string => `${(100 * p).toFixed(2)} %`;
process.stderr.write(`${scenario.lines.length} events, ${new Date(scenario.windowStart).toISOString().slice(0, 10)} to ${new Date(scenario.asOf).toISOString().slice(0, 10)}${values.out === undefined ? '' : ` → ${values.out}`}\n`);
for (const pool of scenario.pools) {
  const stats = poolHistoryStats({ draws: pool.draws, refused: pool.refused, windowStart: scenario.windowStart, windowEnd: scenario.asOf });
  const units = pool.unitIds.length;
  const risk = poolRisk({ units, drawsPerYear: stats.drawsPerYear, meanTurnaroundDays: stats.meanTurnaroundDays, targetAvailability: 0.99 });
  const simulation =
    stats.drawsPerYear > 0 && stats.meanTurnaroundDays > 0
      ? simulatePool({ units, drawsPerYear: stats.drawsPerYear, meanTurnaroundDays: stats.meanTurnaroundDays, years: 200_000 / stats.drawsPerYear, seed: 1 })
      : null;
  process.stderr.write(
    [
      `${pool.poolId} (${pool.kind}, ${units} unit${units === 1 ? '' : 's'}, ${pool.contracts.length} contracts): ${pool.requests} requests, ${pool.foundEmpty} found it empty (${percent(pool.foundEmpty / Math.max(1, pool.requests))})`,
      `  history: Λ = ${stats.drawsPerYear.toFixed(2)} a year, T = ${stats.meanTurnaroundDays.toFixed(1)} days, m = ${risk.meanOut.toFixed(3)} (drawn with Λ = ${pool.drawsPerYear}, T = ${pool.meanTurnaroundDays})`,
      `  P(empty) Poisson ${percent(risk.pEmpty)}, Erlang B ${percent(erlangB(risk.meanOut, units))}, units for 99 %: ${risk.unitsNeeded}`,
      simulation === null
        ? '  simulation: no history to simulate'
        : `  simulation (${simulation.requests} requests): found all out ${percent(simulation.foundAllOut.share)} ± ${percent(simulation.foundAllOut.standardError)}, refused ${percent(simulation.refused.share)} ± ${percent(simulation.refused.standardError)}`,
    ].join('\n') + '\n',
  );
}
