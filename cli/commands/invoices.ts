/**
 * `aftercare invoices --from DATE --to DATE (--table NAME | --local | --replay OUTPUT.json)`: the amounts due at every
 * renewal in a period, as CSV for a finance team's invoice run (docs/design.md#12-contract-changes-and-billing).
 */
import { renewalInvoices, type RenewalInvoice } from '#domain/invoices.ts';
import { DynamoPortfolioRepository } from '#store/dynamo-portfolio-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { invoiceRun } from '#usecases/invoices.ts';
import { booleanFlag, parseFlags, stringFlag, type ParsedFlags } from '../args.ts';
import { InputFileError, UsageError } from '../errors.ts';
import { readTextFile } from '../input/lines.ts';
import { invoicesCsv, invoicesJson } from '../invoices/invoices-csv.ts';
import { onCommandTable } from '../local/clients.ts';
import { replayOutputSchema } from '../replay/output-schema.ts';
import type { Command } from './command.ts';

export const invoicesCommand: Command = {
  name: 'invoices',
  usage: `Usage: aftercare invoices --from DATE --to DATE (--table NAME | --local | --replay OUTPUT.json) [--json] [--catalog FILE]

Every renewal from DATE through DATE (contract-local dates, YYYY-MM-DD, both included) as CSV for an
invoice run: at the start of contract year k+1, that year's own fee (after any amendment) less the
service credits of year k, never below zero (docs/design.md §12). One row per renewal:

  contract_id,customer,renewal_date,year,fee,credits_deducted,amount_due,currency

Amounts are decimals in the currency's digits (120000.00 NOK, 1000 JPY). Credits are those booked by now:
for a renewal still ahead, the credits of the running year can still grow.

  --from DATE            the first renewal date to list
  --to DATE              the last renewal date to list
  --table NAME           the Aftercare table (region and credentials from the standard AWS chain; a Scan)
  --local                the table of the running local stack (\`npm start\`)
  --replay OUTPUT.json   the output of \`aftercare replay --json\`
  --json                 the renewals as JSON (money in minor units) instead of CSV
  --catalog FILE         the catalog the contracts run on; default: the local stack's, else catalog/default.json
  -h, --help             this text`,
  async run(argv, output) {
    const flags = parseFlags('invoices', argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      table: { type: 'string' },
      local: { type: 'boolean' },
      replay: { type: 'string' },
      json: { type: 'boolean' },
      catalog: { type: 'string' },
    });
    const from = dateFlag(flags, 'from');
    const to = dateFlag(flags, 'to');
    if (from > to) throw new UsageError(`invoices: --from ${from} is after --to ${to}`);
    const replayFile = stringFlag(flags, 'replay');
    let rows: RenewalInvoice[];
    if (replayFile !== undefined) {
      const others = ['table', 'catalog'].filter((name) => stringFlag(flags, name) !== undefined);
      if (booleanFlag(flags, 'local')) others.unshift('local');
      if (others.length > 0) throw new UsageError(`invoices: give either --replay or --${others[0] ?? ''}, not both`);
      rows = renewalsOfReplay(replayFile, from, to);
    } else {
      rows = await onCommandTable('invoices', flags, async ({ table, catalog, memory }) => {
        const store = memory?.store ?? new DynamoStore({ client: table.documents, tableName: table.tableName });
        const portfolio = memory?.portfolio ?? new DynamoPortfolioRepository({ client: table.documents, tableName: table.tableName });
        return invoiceRun({ portfolio, store, catalog, from, to, now: Date.now() });
      });
    }
    output.out(booleanFlag(flags, 'json') ? JSON.stringify(invoicesJson(rows, from, to), null, 2) : invoicesCsv(rows));
    return 0;
  },
};

function dateFlag(flags: ParsedFlags, name: 'from' | 'to'): string {
  const value = stringFlag(flags, name);
  if (value === undefined || value === '') throw new UsageError(`invoices: --${name} DATE is required (see \`aftercare invoices --help\`)`);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = (match ?? []).slice(1).map(Number);
  const real =
    year !== undefined && month !== undefined && day !== undefined && new Date(Date.UTC(year, month - 1, day)).toISOString().startsWith(value);
  if (!real) throw new UsageError(`invoices: --${name} "${value}" is not a date YYYY-MM-DD (e.g. 2027-01-01)`);
  return value;
}

function renewalsOfReplay(file: string, from: string, to: string): RenewalInvoice[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTextFile(file, 'replay output'));
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`invoices: ${file} is not JSON: write it with \`aftercare replay --json > ${file}\``);
  }
  const result = replayOutputSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? '$' : issue.path.join('.');
    throw new InputFileError(`invoices: ${file} is not a replay output (version 1) at ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return renewalInvoices(
    result.data.contracts.map((contract) => ({ ...contract, customerName: contract.customerName ?? '' })),
    from,
    to,
  );
}
