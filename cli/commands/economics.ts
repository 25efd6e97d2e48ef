/**
 * `aftercare economics (--table NAME | --local | --replay OUTPUT.json) [--json] [--csv]`: per service level,
 * contracts, revenue, credits, costs, margin and breach rate per KPI (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract).
 */
import { toIso } from '#domain/time.ts';
import type { LevelEconomics } from '#domain/economics.ts';
import { DynamoContractDirectory } from '#store/contract-directory.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { readPortfolioEconomics } from '#usecases/economics.ts';
import { DynamoPoolRepository } from '#store/dynamo-pool-repository.ts';
import { booleanFlag, instantFlag, parseFlags, stringFlag } from '../args.ts';
import { InputFileError, UsageError } from '../errors.ts';
import { readTextFile } from '../input/lines.ts';
import { onCommandTable } from '../local/clients.ts';
import { levelsCsv, levelsTable } from '../report/levels.ts';
import { replayOutputSchema } from '../replay/output-schema.ts';
import type { Command } from './command.ts';
import type { Output } from '../output.ts';

export const economicsCommand: Command = {
  name: 'economics',
  usage: `Usage: aftercare economics (--table NAME | --local | --replay OUTPUT.json) [--json] [--csv] [--as-of INSTANT] [--catalog FILE]

Per service level (and currency) across the portfolio: contracts, revenue (fees and exclusive pool
fees), credits, costs (visits and the pools' carrying cost), margin (revenue − credits − costs) and
the breach rate per KPI (breached ÷ decided clocks). What a provider needs to see whether a level is
priced right; replay last year's events against a draft catalog and read it with --replay.

  --table NAME      the Aftercare table (region and credentials from the standard AWS chain); reads every
                    contract (a Scan for the contract items, then one Query per contract)
  --local           the table of the running local stack (\`npm start\`)
  --replay FILE     the output of \`aftercare replay --json\` (its economics, as of its asOf)
  --json            the table as JSON ({ asOf, levels: [...] }, money in minor units)
  --csv             the table as CSV (money in major units, breach rates as fractions)
  --as-of INSTANT   with --table / --local: as of this instant (ISO-8601 with offset); default now
  --catalog FILE    with --table / --local: the catalog the contracts run on; default: the local stack's,
                    else catalog/default.json
  -h, --help        this text`,
  async run(argv, output) {
    const flags = parseFlags('economics', argv, {
      table: { type: 'string' },
      local: { type: 'boolean' },
      replay: { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      'as-of': { type: 'string' },
      catalog: { type: 'string' },
    });
    if (booleanFlag(flags, 'json') && booleanFlag(flags, 'csv')) throw new UsageError('economics: choose one of --json and --csv');
    const replayFile = stringFlag(flags, 'replay');
    if (replayFile !== undefined) {
      if (stringFlag(flags, 'table') !== undefined || booleanFlag(flags, 'local')) {
        throw new UsageError('economics: choose one of --table, --local and --replay');
      }
      if (stringFlag(flags, 'as-of') !== undefined || stringFlag(flags, 'catalog') !== undefined) {
        throw new UsageError('economics: --as-of and --catalog do not apply to --replay (the replay was priced with its catalog, as of its asOf)');
      }
      const replayed = readReplayOutput(replayFile);
      print(output, flags, replayed.asOf, replayed.economics.levels);
      return 0;
    }
    const asOf = instantFlag('economics', flags, 'as-of') ?? Date.now();
    return onCommandTable('economics', flags, async ({ table, catalog, memory }) => {
      const store = memory?.store ?? new DynamoStore({ client: table.documents, tableName: table.tableName });
      const directory = memory?.portfolio ?? new DynamoContractDirectory({ client: table.documents, tableName: table.tableName });
      const pools = memory?.pools ?? new DynamoPoolRepository({ client: table.documents, tableName: table.tableName });
      const { levels } = await readPortfolioEconomics({ directory, store, pools, catalog, asOf });
      print(output, flags, toIso(asOf), levels);
      return 0;
    });
  },
};

function readReplayOutput(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(path, 'replay output'));
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`replay output ${path}: not JSON`);
  }
  const parsed = replayOutputSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first === undefined || first.path.length === 0 ? '(root)' : first.path.join('.');
    throw new InputFileError(
      `replay output ${path}: not the output of \`aftercare replay --json\` of this version (${where}: ${first?.message ?? 'invalid'}); replay again`,
    );
  }
  return parsed.data;
}

function print(output: Output, flags: Parameters<typeof booleanFlag>[0], asOf: string, levels: readonly LevelEconomics[]): void {
  if (booleanFlag(flags, 'json')) output.out(JSON.stringify({ asOf, levels }, null, 2));
  else if (booleanFlag(flags, 'csv')) output.out(levelsCsv(levels).join('\n'));
  else output.out([`Economics per service level as of ${asOf} (costs = visits + pools; margin = revenue − credits − costs)`, '', ...levelsTable(levels)].join('\n'));
}
