/** `aftercare lifecycle (--table NAME | --local)`: the daily lifecycle run, now, on demand. */
import { buildLifecycle } from '#functions/lifecycle/wiring.ts';
import { systemClock } from '#usecases/ports.ts';
import { parseFlags } from '../args.ts';
import { onCommandTable } from '../local/clients.ts';
import type { Command } from './command.ts';

export const lifecycleCommand: Command = {
  name: 'lifecycle',
  usage: `Usage: aftercare lifecycle (--table NAME | --local) [--catalog FILE]

Runs the lifecycle job that the schedule runs daily at 06:00 Europe/Oslo: every due contract is
advanced day by day up to today; then every loan out is looked at (a return reminder to its borrower
3 days before it is due, one alert to operations once it is overdue). It is idempotent: a second run the same day finds nothing to do.
The notices it creates are delivered by the notifier (with --local: by the running stack, within seconds).

  --table NAME     the Aftercare table (region and credentials from the standard AWS chain)
  --local          the table of the running local stack (\`npm start\`)
  --catalog FILE   the catalog; default: the local stack's, else catalog/default.json
  -h, --help       this text`,
  async run(argv, output) {
    const flags = parseFlags('lifecycle', argv, { table: { type: 'string' }, local: { type: 'boolean' }, catalog: { type: 'string' } });
    return onCommandTable('lifecycle', flags, async ({ table, catalog, memory }) => {
      const lifecycle = buildLifecycle({
        table,
        catalog,
        clock: systemClock,
        // No failure counts on demand: an operator's run prints what failed, and does not bring the
        // scheduled runs' quarantine nearer. The pools and cases: the daily look at loans out.
        ports: (ports) =>
          memory === null
            ? {
                store: ports.store,
                contracts: ports.contracts,
                ...(ports.pools === undefined ? {} : { pools: ports.pools }),
                ...(ports.cases === undefined ? {} : { cases: ports.cases }),
              }
            : { store: memory.store, contracts: memory.contracts, pools: memory.pools, cases: memory.store },
      });
      const report = await lifecycle.run();
      output.out(
        `lifecycle: ${report.contractsDue} contract(s) due, ${report.contractsAdvanced} advanced, ` +
          `${report.daysAdvanced} day(s), ${report.noticesCreated} notice(s) created`,
      );
      if (report.loans !== undefined) {
        const { openLoans, remindersCreated, overdueAlerts } = report.loans;
        output.out(`loans: ${openLoans} out, ${remindersCreated} return reminder(s) and ${overdueAlerts} overdue alert(s) created`);
      }
      for (const failure of report.failed) output.err(`not advanced: ${failure.contractId}: ${failure.reason}`);
      return report.failed.length === 0 ? 0 : 1;
    });
  },
};
