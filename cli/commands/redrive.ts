/** `aftercare redrive CONTRACT_ID ITEM (--table NAME | --local)`: tries a quarantined item again, now. */
import { DynamoStore } from '#store/dynamo-store.ts';
import { sweepPorts } from '#functions/sweep/wiring.ts';
import type { RetriedItemRef } from '#store/store.ts';
import { systemClock } from '#usecases/ports.ts';
import { redriveQuarantined } from '#usecases/redrive.ts';
import { parseFlags } from '../args.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { onCommandTable } from '../local/clients.ts';
import type { Command } from './command.ts';

/** `case:<caseId>`, `parked:case:<caseId>`, `parked:event:<source>#<eventId>` or `lifecycle`, as the statement lists them. */
export function itemOf(contractId: string, text: string): RetriedItemRef | null {
  if (text === 'lifecycle') return { kind: 'lifecycle', contractId, id: 'lifecycle' };
  const [kind = '', id = ''] = text.split(/:(.*)/s);
  if (id === '') return null;
  if (kind === 'case') return { kind: 'case', contractId, id };
  if (kind === 'parked' && (id.startsWith('case:') || id.startsWith('event:'))) return { kind: 'parked', contractId, id };
  return null;
}

export const redriveCommand: Command = {
  name: 'redrive',
  usage: `Usage: aftercare redrive CONTRACT_ID ITEM (--table NAME | --local) [--catalog FILE]

Tries a quarantined item again, now (README "Operate"). ITEM is what the statement lists under
"Quarantined": case:<caseId>, parked:case:<caseId>, parked:event:<source>#<eventId> or lifecycle. On success
the item is back in the sweep's (or the lifecycle's) work and its quarantine record is removed; a
failure is printed and the item stays quarantined.

  --table NAME      the Aftercare table (region and credentials from the standard AWS chain)
  --local           the table of the running local stack (\`npm start\`)
  --catalog FILE    the catalog the contracts run on; default: the local stack's, else catalog/default.json
  -h, --help        this text`,
  async run(argv, output) {
    const flags = parseFlags('redrive', argv, { table: { type: 'string' }, local: { type: 'boolean' }, catalog: { type: 'string' } }, 2);
    const [contractId = '', itemText = ''] = flags.positionals;
    const item = itemOf(contractId, itemText);
    if (contractId === '' || item === null) throw new UsageError('redrive: name the contract and the item (see `aftercare redrive --help`)');
    return onCommandTable('redrive', flags, async ({ table, catalog, memory }) => {
      // The item is tried as the sweep (or the lifecycle) would, with the sweep's source lags; the store also
      // reads the contract's partition (its quarantine records).
      const { sourceLags } = memory ?? sweepPorts(table);
      const store = memory?.store ?? new DynamoStore({ client: table.documents, tableName: table.tableName });
      const result = await redriveQuarantined({ store, sourceLags, catalog, clock: systemClock }, item);
      if (result.kind === 'not-quarantined') throw new NotFoundError(`redrive: ${itemText} of contract ${contractId} is not quarantined`);
      output.out(
        result.kind === 'redriven'
          ? `re-driven: ${itemText} of contract ${contractId}`
          : `still waiting: contract ${contractId} is not registered; its registration applies these events`,
      );
      return 0;
    });
  },
};
