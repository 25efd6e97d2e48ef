/** `aftercare statement CONTRACT_ID (--table NAME | --local)`: the statement (docs/design.md#8-read-model-the-statement), readable or JSON. */
import { DynamoPoolRepository } from '#store/dynamo-pool-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { readStatement } from '#usecases/statement.ts';
import { booleanFlag, instantFlag, parseFlags } from '../args.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { onCommandTable } from '../local/clients.ts';
import { statementJson } from '../statement/statement-json.ts';
import { statementText } from '../statement/statement-text.ts';
import type { Command } from './command.ts';

export const statementCommand: Command = {
  name: 'statement',
  usage: `Usage: aftercare statement CONTRACT_ID (--table NAME | --local) [--json] [--as-of INSTANT] [--catalog FILE]

The contract's statement (docs/design.md §8): status, terms, termination right, and per contract year the
fee, breaches per KPI, KPIs met in %, credits, cap and the amount due next year, and its economics
(visits, cost to serve, margin: docs/design.md §11); the ledger, the notices with their delivery state,
rejected and parked events, the paused time per case (force majeure); the pools the contract may draw
from (an exclusive one with its up-front fee, charged in the year it was registered) and its loans
(open, returned, overdue, days out).

  --table NAME      the Aftercare table (region and credentials from the standard AWS chain)
  --local           the table of the running local stack (\`npm start\`)
  --json            the statement as JSON (instants in UTC, money in minor units)
  --as-of INSTANT   the statement as of this instant (ISO-8601 with offset); default now
  --catalog FILE    the catalog the contracts run on; default: the local stack's, else catalog/default.json
  -h, --help        this text`,
  async run(argv, output) {
    const flags = parseFlags(
      'statement',
      argv,
      { table: { type: 'string' }, local: { type: 'boolean' }, json: { type: 'boolean' }, 'as-of': { type: 'string' }, catalog: { type: 'string' } },
      1,
    );
    const contractId = flags.positionals[0];
    if (contractId === undefined || contractId === '') throw new UsageError('statement: name the contract (see `aftercare statement --help`)');
    const asOf = instantFlag('statement', flags, 'as-of') ?? Date.now();
    return onCommandTable('statement', flags, async ({ table, catalog, memory }) => {
      const store = memory?.store ?? new DynamoStore({ client: table.documents, tableName: table.tableName });
      const pools = memory?.pools ?? new DynamoPoolRepository({ client: table.documents, tableName: table.tableName });
      const statement = await readStatement(store, catalog, contractId, asOf, pools);
      if (statement === null) throw new NotFoundError(`statement: contract ${contractId} is not registered`);
      if (booleanFlag(flags, 'json')) output.out(JSON.stringify(statementJson(statement, asOf), null, 2));
      else output.out(statementText(statement, asOf).join('\n'));
      return 0;
    });
  },
};
