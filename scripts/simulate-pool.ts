/**
 * `npx tsx scripts/simulate-pool.ts --replay out.json`: for each pool of a replay's --json output, its
 * reported P(empty) (the Poisson tail on the replay's own Λ and T) beside a long seeded simulation
 * (`simulatePool`) with the same units, Λ and T: the share of requests that found every unit out, and
 * the share a refusing pool turned away (Erlang B). docs/design.md#10-service-structures-loan-units-and-spare-parts-pools.
 * Options: `--requests 200000` (simulated requests per pool), `--seed 1`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { replayOutputSchema } from '#cli/replay/output-schema.ts';
import { simulatePool } from '#domain/pool-simulation.ts';

const { values } = parseArgs({
  options: {
    replay: { type: 'string' },
    requests: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true || values.replay === undefined) {
  process.stdout.write(
    'usage: npx tsx scripts/simulate-pool.ts --replay OUT.json [--requests N] [--seed N]\n' +
      'OUT.json: the output of `aftercare replay --events FILE --catalog FILE --json`.\n',
  );
  process.exit(values.help === true ? 0 : 2);
}
const requests = Number(values.requests);
const seed = Number(values.seed);
if (!Number.isFinite(requests) || requests <= 0 || !Number.isInteger(seed)) {
  process.stderr.write('--requests must be a number > 0 and --seed a whole number\n');
  process.exit(2);
}
const parsed = replayOutputSchema.safeParse(JSON.parse(readFileSync(values.replay, 'utf8')));
if (!parsed.success) {
  process.stderr.write(`${values.replay}: not a replay --json output: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}\n`);
  process.exit(2);
}
const percent = (p: number): string => `${(100 * p).toFixed(2)} %`;
for (const pool of parsed.data.pools) {
  const head = `${pool.poolId} (${pool.kind}, ${pool.units} units): Λ = ${pool.drawsPerYear.toFixed(2)} a year, T = ${pool.meanTurnaroundDays.toFixed(2)} days`;
  if (pool.drawsPerYear <= 0 || pool.meanTurnaroundDays <= 0) {
    process.stdout.write(`${head}: no history to simulate\n`);
    continue;
  }
  const simulation = simulatePool({
    units: pool.units,
    drawsPerYear: pool.drawsPerYear,
    meanTurnaroundDays: pool.meanTurnaroundDays,
    years: requests / pool.drawsPerYear,
    seed,
  });
  process.stdout.write(
    `${head}\n  replay P(empty) ${percent(pool.pEmpty)}; simulation (${simulation.requests} requests): ` +
      `found all out ${percent(simulation.foundAllOut.share)} ± ${percent(simulation.foundAllOut.standardError)}, ` +
      `refused ${percent(simulation.refused.share)} ± ${percent(simulation.refused.standardError)}\n`,
  );
}
