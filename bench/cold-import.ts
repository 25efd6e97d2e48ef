/**
 * Cold-start import cost per function: each handler bundled with the CDK's esbuild options (catalog
 * define included), then imported by 20 fresh `node` processes with the Lambda environment set. The
 * figure is the median time of the `import()` inside each process, which is what an init phase pays on
 * top of the runtime's own start. `npx tsx bench/cold-import.ts` prints it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { esbuildOptions, FUNCTION_NAMES, type FunctionName } from '#infra/bundling.ts';

export const PROCESSES_PER_FUNCTION = 20;

/** What each function reads at cold start (functions/<name>/handler.ts) and what the construct sets. */
const LAMBDA_ENVIRONMENT: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'AftercareBench',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  TABLE_NAME: 'aftercare-bench',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/aftercare-events-dlq',
  SENDER_EMAIL: 'aftercare@provider.example',
  OPERATOR_EMAIL: 'operations@provider.example',
  SES_CONFIGURATION_SET: 'aftercare-bench',
  CONTRACTS_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:aftercare-contracts',
  CASES_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:aftercare-cases',
  CASES_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/aftercare-cases',
  BILLING_EVENT_BUS: 'aftercare-billing',
  WEBHOOK_SECRET_PREFIX: 'aftercare/webhooks/',
  WEBHOOK_SOURCES: JSON.stringify({ sources: { zendesk: { adapter: 'zendesk' }, generic: { adapter: 'generic' } } }),
};

// Runs in the child: time the import alone, so node's own start-up is not counted.
const IMPORT_PROBE = `
const started = performance.now();
const module = await import(process.argv[1]);
if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(String(performance.now() - started));
`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function bundle(name: FunctionName, directory: string): Promise<string> {
  const outfile = join(directory, name, 'index.mjs');
  await build({ ...esbuildOptions(name, loadDefaultCatalog()), outfile, write: true, logLevel: 'silent' });
  return outfile;
}

function importOnce(bundlePath: string): number {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_PROBE, pathToFileURL(bundlePath).href], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENVIRONMENT },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`importing ${bundlePath} failed: ${child.stderr.split('\n')[0] ?? ''}`);
  return Number(child.stdout);
}

/** Median ms of importing each function's bundle in a fresh node process. */
export async function benchColdImport(): Promise<Record<string, number>> {
  const directory = mkdtempSync(join(tmpdir(), 'aftercare-cold-import-'));
  try {
    const figures: Record<string, number> = {};
    for (const name of FUNCTION_NAMES) {
      const bundlePath = await bundle(name, directory);
      const samples = Array.from({ length: PROCESSES_PER_FUNCTION }, () => importOnce(bundlePath));
      figures[`${name}: import ms (median of ${PROCESSES_PER_FUNCTION})`] = Math.round(median(samples) * 10) / 10;
      figures[`${name}: import ms (slowest)`] = Math.round(Math.max(...samples) * 10) / 10;
    }
    return figures;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`node ${process.version} (Lambda runs Node 22 on arm64: expect different absolute figures)\n`);
  for (const [name, value] of Object.entries(await benchColdImport())) {
    process.stdout.write(`${name.padEnd(44)} ${value.toFixed(1).padStart(8)}\n`);
  }
}
