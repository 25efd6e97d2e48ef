/** `aftercare lifecycle (--table NAME | --local)`: the daily lifecycle run, now, on demand. */
import { loadCatalogFile, loadDefaultCatalog } from '#config/catalog.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoLifecycleRepository } from '#store/lifecycle-repository.ts';
import { makeLifecycle } from '#usecases/lifecycle.ts';
import { systemClock } from '#usecases/ports.ts';
import { localOr, parseFlags, stringFlag } from '../args.ts';
import { documentClientFor } from '../local/clients.ts';
import { readStackFile } from '../local/stack-file.ts';
import type { Command } from './command.ts';

export const lifecycleCommand: Command = {
  name: 'lifecycle',
  usage: `Usage: aftercare lifecycle (--table NAME | --local) [--catalog FILE]

Runs the lifecycle job that the schedule runs daily at 06:00 Europe/Oslo: every due contract is
advanced day by day up to today. It is idempotent: a second run the same day finds nothing to do.
The notices it creates are delivered by the notifier (with --local: by the running stack, within seconds).

  --table NAME     the Aftercare table (region and credentials from the standard AWS chain)
  --local          the table of the running local stack (\`npm start\`)
  --catalog FILE   the catalog; default: the local stack's, else catalog/default.json
  -h, --help       this text`,
  async run(argv, output) {
    const flags = parseFlags('lifecycle', argv, { table: { type: 'string' }, local: { type: 'boolean' }, catalog: { type: 'string' } });
    const target = localOr('lifecycle', flags, 'table');
    const stack = target.local ? readStackFile() : null;
    const catalogFile = stringFlag(flags, 'catalog') ?? stack?.catalogFile ?? null;
    const catalog = catalogFile === null ? loadDefaultCatalog() : loadCatalogFile(catalogFile);
    const tableName = stack?.tableName ?? (target.local ? '' : target.value);
    const documents = documentClientFor(stack);
    try {
      const lifecycle = makeLifecycle({
        store: new DynamoStore({ client: documents, tableName }),
        contracts: new DynamoLifecycleRepository({ client: documents, tableName }),
        catalog,
        clock: systemClock,
      });
      const report = await lifecycle.run();
      output.out(
        `lifecycle: ${report.contractsDue} contract(s) due, ${report.contractsAdvanced} advanced, ` +
          `${report.daysAdvanced} day(s), ${report.noticesCreated} notice(s) created`,
      );
      for (const failure of report.failed) output.err(`not advanced: ${failure.contractId}: ${failure.reason}`);
      return report.failed.length === 0 ? 0 : 1;
    } finally {
      documents.destroy();
    }
  },
};
