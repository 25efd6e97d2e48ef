/**
 * `aftercare local` (`npm start`): the embedded stack on the wall clock until Ctrl-C — the emulators,
 * the table and queues, the real handlers polling and scheduled, a demo contract — and where to look.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { loadCatalogFile, loadDefaultCatalog } from '#config/catalog.ts';
import { systemClock } from '#usecases/ports.ts';
import { parseFlags, stringFlag } from '../args.ts';
import { UsageError } from '../errors.ts';
import { findJava, MINIMUM_JAVA } from '../local/java.ts';
import { startScheduler } from '../local/scheduler.ts';
import { localDirectory, removeStackFile, writeStackFile } from '../local/stack-file.ts';
import { startLocalStack, type LocalEngine, type LocalLogLevel } from '../local/stack.ts';
import { DEFAULT_WEBHOOK_SOURCES_FILE, loadWebhookSourcesFile } from '#config/webhook-sources.ts';
import { ensureLocalWebhookSecrets, fileWebhookSecretStore, webhookSecretsPath } from '../local/webhook-secrets-file.ts';
import { startWebhookServer } from '../local/webhook-server.ts';
import type { Output } from '../output.ts';
import type { Command } from './command.ts';

export const READY_LINE = 'aftercare local stack ready';
const DEMO_CONTRACT = fileURLToPath(new URL('../../examples/contract.registered.json', import.meta.url));
const LOG_LEVELS: readonly LocalLogLevel[] = ['SILENT', 'ERROR', 'WARN', 'INFO', 'DEBUG'];
/** Shortened so that trying it out gives an answer in minutes (the waits of docs/design.md#order-and-duplicates are 15 and 30). */
const LOCAL_SETTLE_MINUTES = 1;
const LOCAL_SOURCE_IDLE_MINUTES = 1;
const ENGINES: readonly LocalEngine[] = ['dynamodb-local', 'memory'];
export const HOW_TO_GET_JAVA = 'Debian/Ubuntu: `sudo apt-get install openjdk-17-jdk-headless`, else https://adoptium.net';

/**
 * The engine `--engine` names, else DynamoDB Local when a Java 17+ answers `java -version`, else the
 * memory engine with the one line that says so and how to get DynamoDB Local.
 */
export async function chooseLocalEngine(
  named: string | undefined,
  java: () => Promise<{ readonly major: number } | { readonly missing: string }> = () => findJava(),
): Promise<{ readonly engine: LocalEngine; readonly notice: string | null }> {
  if (named !== undefined) {
    if (!(ENGINES as readonly string[]).includes(named)) throw new UsageError(`local: --engine must be one of ${ENGINES.join(', ')}, not ${named}`);
    return { engine: named as LocalEngine, notice: null };
  }
  const found = await java();
  if ('major' in found) return { engine: 'dynamodb-local', notice: null };
  return {
    engine: 'memory',
    notice:
      `no Java ${MINIMUM_JAVA}+ (\`java -version\`): the table runs on the memory engine in this process (gone at stop; ` +
      `--local commands reach it); for DynamoDB Local install a JDK — ${HOW_TO_GET_JAVA}`,
  };
}

/** A whole number of minutes from `--name`, between `min` and a day; null when not given. */
function minutesFlag(flags: Parameters<typeof stringFlag>[0], name: string, min: number): number | null {
  const text = stringFlag(flags, name);
  if (text === undefined) return null;
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes < min || minutes > 1440) {
    throw new UsageError(`local: --${name} must be a whole number of minutes from ${min} to 1440, not ${text}`);
  }
  return minutes;
}

export const localCommand: Command = {
  name: 'local',
  usage: `Usage: aftercare local [--catalog FILE] [--dir DIR] [--log-level LEVEL] [--no-demo] [--engine ENGINE]
                       [--settle-minutes N] [--source-idle-minutes N]
                       [--webhooks FILE] [--webhooks-port N]

Starts DynamoDB Local (needs Java 17+; a JDK keeps it on 127.0.0.1) — without Java the memory engine
instead: the table in this process, served to the --local commands — the SQS and SES emulators on 127.0.0.1, creates the table and
the queues from the CDK stack's own definitions, and runs the real handlers in this process: the
intake polling the events queue like Lambda (batches of 10, partial batch failures, redrive to the DLQ),
the sweep every minute, the lifecycle daily at 06:00 Europe/Oslo, the notifier for every notice.
Registers the demo contract C-DEMO-1 and writes the endpoints to DIR/stack.json for --local.

Keys (when stdin is a terminal): l = run the lifecycle now, s = run the sweep now, q = stop.
Ctrl-C stops everything and removes DIR/stack.json.

  --catalog FILE      the catalog; default catalog/default.json
  --dir DIR           where stack.json goes; default $AFTERCARE_LOCAL_DIR or .local
  --log-level LEVEL   handler logs on stdout: SILENT, ERROR, WARN (default), INFO, DEBUG
  --no-demo           do not register the demo contract
  --engine ENGINE     dynamodb-local or memory; default dynamodb-local when \`java -version\` finds
                      Java 17+ ($AFTERCARE_JAVA names another java command), else memory
  --settle-minutes N  how long credit notices wait after their year last changed; default 1 here
                      (the catalog's noticeSettleMinutes, 15 by default, applies in AWS)
  --source-idle-minutes N
                      how long a late integration holds back breach decisions; default 1 here
                      (the catalog's sourceIdleMinutes, 30 by default, applies in AWS)
  --webhooks FILE     the webhook sources and their field mapping; default catalog/webhooks.json
  --webhooks-port N   the port of the local webhooks endpoint on 127.0.0.1; default: a free one
  -h, --help          this text

The webhooks endpoint (POST <url><source>, the same handler as the Lambda behind API Gateway) checks
signatures with the secrets in DIR/webhook-secrets.json: one is made for each source at the first
start and printed; \`aftercare webhook-secret SOURCE --local\` sets or rotates one.

Both waits are shortened locally so that an event sent to try it out is decided and mailed within
two or three minutes; pass the catalog's values to see production's timing.`,
  async run(argv, output) {
    const flags = parseFlags('local', argv, {
      catalog: { type: 'string' },
      dir: { type: 'string' },
      'log-level': { type: 'string' },
      'no-demo': { type: 'boolean' },
      'settle-minutes': { type: 'string' },
      'source-idle-minutes': { type: 'string' },
      webhooks: { type: 'string' },
      'webhooks-port': { type: 'string' },
      engine: { type: 'string' },
    });
    const logLevel = (stringFlag(flags, 'log-level') ?? 'WARN').toUpperCase() as LocalLogLevel;
    if (!LOG_LEVELS.includes(logLevel)) throw new UsageError(`local: --log-level must be one of ${LOG_LEVELS.join(', ')}`);
    const catalogFile = stringFlag(flags, 'catalog') ?? null;
    const loaded = catalogFile === null ? loadDefaultCatalog() : loadCatalogFile(catalogFile);
    const catalog = {
      ...loaded,
      noticeSettleMinutes: minutesFlag(flags, 'settle-minutes', 0) ?? LOCAL_SETTLE_MINUTES,
      sourceIdleMinutes: minutesFlag(flags, 'source-idle-minutes', 1) ?? LOCAL_SOURCE_IDLE_MINUTES,
    };
    const directory = stringFlag(flags, 'dir') ?? localDirectory();
    const webhookSources = loadWebhookSourcesFile(stringFlag(flags, 'webhooks') ?? DEFAULT_WEBHOOK_SOURCES_FILE);
    const webhooksPort = Number(stringFlag(flags, 'webhooks-port') ?? '0');
    if (!Number.isInteger(webhooksPort) || webhooksPort < 0 || webhooksPort > 65_535) {
      throw new UsageError(`local: --webhooks-port must be a port number from 0 to 65535, not ${stringFlag(flags, 'webhooks-port') ?? ''}`);
    }
    const webhookSecrets = ensureLocalWebhookSecrets(directory, Object.keys(webhookSources.sources));

    const { engine, notice } = await chooseLocalEngine(stringFlag(flags, 'engine'));
    if (notice !== null) output.err(notice);
    output.err(engine === 'memory' ? 'starting the memory table, SQS and SES emulators …' : 'starting DynamoDB Local, SQS and SES emulators …');
    const stack = await startLocalStack({ catalog, clock: systemClock, logLevel, engine, webhookSources, webhookSecrets: fileWebhookSecretStore(directory) });
    const webhookServer = await startWebhookServer(stack.webhooks, webhooksPort);
    const scheduler = startScheduler(
      stack,
      (line) => output.out(`${new Date().toISOString()} ${line}`),
      (what, error) => output.err(`${what} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    stack.poller.start();
    const { endpoints, region, credentials } = stack.emulators;
    const stackFile = writeStackFile(directory, {
      version: 2,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      region,
      credentials,
      endpoints,
      tableName: stack.tableName,
      contractsQueueUrl: stack.queues.contractsQueueUrl,
      casesQueueUrl: stack.queues.casesQueueUrl,
      deadLetterQueueUrl: stack.queues.deadLetterQueueUrl,
      sesViewerUrl: `${endpoints.ses}/`,
      webhooksUrl: webhookServer.url,
      catalogFile,
      engine,
    });

    if (flags.values['no-demo'] !== true) {
      await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.contractsQueueUrl, MessageBody: readFileSync(DEMO_CONTRACT, 'utf8') }));
    }
    printWhereToLook(output, {
      ...stack.queues,
      tableName: stack.tableName,
      engine,
      endpoints,
      stackFile,
      demo: flags.values['no-demo'] !== true,
      timings: { settle: catalog.noticeSettleMinutes, idle: catalog.sourceIdleMinutes, catalog: loaded },
    });
    printWebhooks(output, webhookServer.url, webhookSecrets, webhookSecretsPath(directory));
    if (!stack.emulators.dynamodbLoopbackOnly) {
      output.err(
        'warning: DynamoDB Local listens on every interface, not only 127.0.0.1: this Java has no jdk.compiler module (a JRE), ' +
          'which the 127.0.0.1 launcher needs; install a JDK (e.g. openjdk-17-jdk-headless) to keep it on loopback',
      );
    }
    output.out(`${READY_LINE} (pid ${process.pid}); Ctrl-C stops it`);

    return await new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (why: string): void => {
        if (stopping) return;
        stopping = true;
        output.err(`${why}: stopping …`);
        if (process.stdin.isTTY) process.stdin.setRawMode(false);
        process.stdin.pause();
        void (async () => {
          await scheduler.stop();
          await webhookServer.stop();
          await stack.stop();
          removeStackFile(directory, process.pid);
          output.err('stopped');
          resolve(0);
        })();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      if (process.stdin.isTTY) {
        process.stdin.setRawMode(true);
        process.stdin.resume();
        process.stdin.on('data', (key: Buffer) => {
          const pressed = key.toString();
          if (pressed === 'l') void scheduler.runLifecycle();
          if (pressed === 's') void scheduler.runSweep();
          // Raw mode turns Ctrl-C into a key instead of SIGINT.
          if (pressed === 'q' || pressed === '\u0003') stop('stop requested');
        });
      }
    });
  },
};

function printWebhooks(output: Output, url: string, secrets: Readonly<Record<string, string>>, secretsFile: string): void {
  output.out(
    [
      `Webhooks        ${url}<source>   (POST, signed; README "Connect your helpdesk")`,
      ...Object.entries(secrets).map(([source, secret]) => `  ${source.padEnd(14)}${url}${source}   test secret ${secret}`),
      `  secrets in    ${secretsFile}   (aftercare webhook-secret SOURCE --local sets or rotates one)`,
      '',
    ].join('\n'),
  );
}

function printWhereToLook(
  output: Output,
  where: {
    contractsQueueUrl: string;
    casesQueueUrl: string;
    deadLetterQueueUrl: string;
    tableName: string;
    engine: LocalEngine;
    endpoints: { dynamodb: string; sqs: string; ses: string };
    stackFile: string;
    demo: boolean;
    timings: { settle: number; idle: number; catalog: { noticeSettleMinutes: number; sourceIdleMinutes: number } };
  },
): void {
  const { timings } = where;
  output.out(
    [
      '',
      'Aftercare local stack',
      `  contracts queue ${where.contractsQueueUrl}   (contract.*, pool.*, loan.* events)`,
      `  cases queue     ${where.casesQueueUrl}   (case.* events)`,
      `  dead letters    ${where.deadLetterQueueUrl}`,
      where.engine === 'memory'
        ? `  table           ${where.tableName} in memory (no DynamoDB Local), served to --local commands at ${where.endpoints.dynamodb}`
        : `  table           ${where.tableName} on DynamoDB Local ${where.endpoints.dynamodb}`,
      `  emails          ${where.endpoints.ses}/   (the SES emulator shows every email sent)`,
      `  endpoints in    ${where.stackFile}`,
      '',
      'Running: intake (polls both queues), sweep (every minute), lifecycle (06:00 Europe/Oslo; press l to run now),',
      '         notifier (every notice, as soon as it is created)',
      `Timings: credit notices wait ${timings.settle} min after their year last changed (catalog: ${timings.catalog.noticeSettleMinutes}); an integration`,
      `         sending late events holds back breach decisions for ${timings.idle} min (catalog: ${timings.catalog.sourceIdleMinutes}). --settle-minutes, --source-idle-minutes`,
      where.demo ? 'Demo contract C-DEMO-1 (premium, from examples/contract.registered.json) is registered.' : 'No demo contract (--no-demo).',
      '',
      'Try:',
      '  npx aftercare send examples/case.opened.json --local',
      '  npx aftercare send examples/demo-year.jsonl --local',
      '  npx aftercare statement C-DEMO-1 --local',
      '  npx aftercare dlq list --local',
      '  npx aftercare lifecycle --local',
      '  npx aftercare send examples/demo-pools.jsonl --local   (pools and loans), then npx aftercare pools --local',
      '  npx aftercare economics --local',
      '',
    ].join('\n'),
  );
}
