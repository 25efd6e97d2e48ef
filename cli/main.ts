/**
 * The `aftercare` command: the embedded local stack, replay, send, statement, invoices, pools, events, redrive, dlq, schema, lifecycle, webhook-secret.
 * A user's mistake ends in one line on stderr and a non-zero exit; only a bug shows a stack trace.
 */
import { pathToFileURL } from 'node:url';
import { wantsHelp, type Command } from './commands/command.ts';
import { makeHelpCommand } from './commands/help.ts';
import { UsageError, UserFacingError } from './errors.ts';
import { EmulatorError } from './local/errors.ts';
import { processOutput, type Output } from './output.ts';

/** Commands load on use: `aftercare --help` should not wait for the AWS SDK and the handlers. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

const COMMANDS: readonly CommandEntry[] = [
  { name: 'local', summary: 'run the embedded local stack until Ctrl-C (what `npm start` runs)', load: async () => (await import('./commands/local.ts')).localCommand },
  { name: 'replay', summary: 'replay a file of events through the real handlers on a virtual clock', load: async () => (await import('./commands/replay.ts')).replayCommand },
  { name: 'send', summary: 'validate events from a file and send them to the events queue', load: async () => (await import('./commands/send.ts')).sendCommand },
  { name: 'statement', summary: "print a contract's statement: terms, years, credits, ledger, notices", load: async () => (await import('./commands/statement.ts')).statementCommand },
  { name: 'invoices', summary: 'list the amounts due at the renewals in a period as CSV, for an invoice run', load: async () => (await import('./commands/invoices.ts')).invoicesCommand },
  { name: 'economics', summary: 'per service level: contracts, revenue, credits, costs, margin, breach rate', load: async () => (await import('./commands/economics.ts')).economicsCommand },
  { name: 'dlq', summary: 'list dead letters with their error, or redrive them to the events queue', load: async () => (await import('./commands/dlq.ts')).dlqCommand },
  { name: 'redrive', summary: 'try a quarantined case, parked events or lifecycle again, now', load: async () => (await import('./commands/redrive.ts')).redriveCommand },
  { name: 'pools', summary: 'list every loan-unit and spare-parts pool: units, out, draws, turnaround, risk of running empty', load: async () => (await import('./commands/pools.ts')).poolsCommand },
  { name: 'lifecycle', summary: 'run the daily lifecycle job now (renewals, reminders, year statements, expiry)', load: async () => (await import('./commands/lifecycle.ts')).lifecycleCommand },
  { name: 'events', summary: 'list the billing events the local stack published (credits, closed years, terminations, ends)', load: async () => (await import('./commands/events.ts')).eventsCommand },
  { name: 'webhook-secret', summary: 'set or rotate the signing secret of a webhook source (local or AWS)', load: async () => (await import('./commands/webhook-secret.ts')).webhookSecretCommand },
  { name: 'schema', summary: 'print the JSON Schema of the v1 event contract', load: async () => (await import('./commands/schema.ts')).schemaCommand },
];
const helpCommand: Command = makeHelpCommand(() => [...COMMANDS, helpEntry]);
const helpEntry: CommandEntry = {
  name: 'help',
  summary: 'this list, or `aftercare help COMMAND` for one command',
  load: () => Promise.resolve(helpCommand),
};

/** Runs one command line and resolves to the exit status; never throws. */
export async function runCli(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') return await helpCommand.run([], output);
    const entry = [...COMMANDS, helpEntry].find((candidate) => candidate.name === name);
    if (entry === undefined) throw new UsageError(`unknown command "${name}" (see \`aftercare help\`)`);
    const command = await entry.load();
    if (wantsHelp(rest)) {
      output.out(command.usage);
      return 0;
    }
    return await command.run(rest, output);
  } catch (error) {
    const line = userFacingLine(error);
    if (line === null) throw error;
    output.err(`aftercare: ${line.text}`);
    return line.exitCode;
  }
}

function userFacingLine(error: unknown): { text: string; exitCode: number } | null {
  if (error instanceof UserFacingError) return { text: error.message, exitCode: error.exitCode };
  if (error instanceof Error && error.name === 'CatalogError' && 'issues' in error && Array.isArray(error.issues)) {
    const [headline = 'the catalog is invalid'] = error.message.split('\n');
    return { text: `${headline} ${error.issues.join('; ')}`, exitCode: 1 };
  }
  if (error instanceof EmulatorError) return { text: error.message, exitCode: 1 };
  if (isClientFault(error)) return { text: `${error.name}: ${error.message}`, exitCode: 1 };
  if (isMissingCredentials(error)) {
    return { text: `no AWS credentials or region: ${(error as Error).message.split('\n')[0] ?? ''}`, exitCode: 1 };
  }
  return null;
}

/** AWS refused the request for something the user named (a queue or table that does not exist, access denied). */
function isClientFault(error: unknown): error is Error {
  return error instanceof Error && '$fault' in error && error.$fault === 'client';
}

function isMissingCredentials(error: unknown): boolean {
  return error instanceof Error && (error.name === 'CredentialsProviderError' || /Region is missing/.test(error.message));
}

/** The process entry: `tsx cli/main.ts …` (npm start) and cli/bin/aftercare.js. */
export async function main(): Promise<void> {
  // Handler metrics are for CloudWatch; locally they would only clutter stdout.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // Node 20 is the supported local runtime (docs/design.md#9-running-it); the SDK's reminder about 22 is for Lambda.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.exitCode = await runCli(process.argv.slice(2));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
