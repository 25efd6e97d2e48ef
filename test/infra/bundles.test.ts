/**
 * What goes into the function bundles, and that the bundles built with `infra/bundling.ts` run: the SDK's
 * default credential chain is replaced by the environment-only provider (in the CDK asset as in the
 * esbuild build the bench measures), and only intake and feedback carry zod (as zod/mini, to parse at the edge).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { parseEvent } from '#events/parse.ts';
import { esbuildOptions, FUNCTION_NAMES, PROJECT_ROOT, type FunctionName } from '#infra/bundling.ts';
import { AftercareFunction } from '#infra/constructs/aftercare-function.ts';
import { aCaseOpened, aContractRegistered, aTerminationRequested, bodyOf } from '#test/support/factories/event-bodies.ts';
import { SYNTH_TIMEOUT_MS, TEST_ENV } from './synth.ts';
import { resourcesOf } from './template-queries.ts';
import { Template } from 'aws-cdk-lib/assertions';

const run = promisify(execFile);
const catalog = loadDefaultCatalog();
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'aftercare-bundles-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Everything a deployed function has in its environment, with fake credentials; nothing else. */
const LAMBDA_ENVIRONMENT: Readonly<Record<string, string>> = {
  AWS_REGION: 'eu-north-1',
  AWS_ACCESS_KEY_ID: 'ASIAFAKEBUNDLETEST',
  AWS_SECRET_ACCESS_KEY: 'fake-secret',
  AWS_SESSION_TOKEN: 'fake-session-token',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'intake',
  POWERTOOLS_METRICS_NAMESPACE: 'AftercareTest',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  TABLE_NAME: 'aftercare-test',
  DLQ_URL: 'https://sqs.eu-north-1.amazonaws.com/123456789012/aftercare-events-dlq',
  CONTRACTS_QUEUE_ARN: 'arn:aws:sqs:eu-north-1:123456789012:aftercare-contracts',
  CASES_QUEUE_ARN: 'arn:aws:sqs:eu-north-1:123456789012:aftercare-cases',
};

const WITHOUT_CREDENTIALS = Object.fromEntries(
  Object.entries(LAMBDA_ENVIRONMENT).filter(([name]) => !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/.test(name)),
);

function bundleText(result: { outputFiles?: { path: string; contents: Uint8Array }[] }): Uint8Array {
  const bundle = result.outputFiles?.find((file) => file.path.endsWith('.mjs'));
  if (bundle === undefined) throw new Error('esbuild produced no bundle');
  return bundle.contents;
}

const metafiles = new Map<FunctionName, Promise<Metafile>>();

/** Each function is built once for all the tests that read its metafile. */
function metafileOf(name: FunctionName): Promise<Metafile> {
  let metafile = metafiles.get(name);
  if (metafile === undefined) {
    metafile = build({ ...esbuildOptions(name, catalog), metafile: true, logLevel: 'silent' }).then((result) => result.metafile);
    metafiles.set(name, metafile);
  }
  return metafile;
}

/** Bundled source files, relative to the project (node_modules paths included). */
function inputsOf(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs));
}

/** Runs node with `args` in a fresh process with exactly `environment` (and an empty HOME); its stdout. */
async function runNode(args: string[], environment: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: directory, ...environment },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return stdout;
}

describe('the credential provider in the bundles', () => {
  it.each(FUNCTION_NAMES)('%s carries functions/lambda-credentials.ts instead of the default chain', async (name) => {
    // Act
    const inputs = inputsOf(await metafileOf(name));

    // Assess
    expect(inputs).toContain('functions/lambda-credentials.ts');
    expect(inputs.filter((path) => /@aws-sdk\/(credential-provider-|nested-clients)/.test(path))).toEqual([]);
  });

  it(
    'is the same in the CDK asset: NodejsFunction builds the very bytes the esbuild options build',
    async () => {
      // Prepare
      const app = new App({ outdir: join(directory, 'cdk.out') });
      const stack = new Stack(app, 'BundleCheck', { env: TEST_ENV });
      new AftercareFunction(stack, 'Intake', { name: 'intake', description: 'bundle check', settings: { catalog } });

      // Act
      app.synth();
      const [fn] = Object.values(resourcesOf(Template.fromStack(stack), 'AWS::Lambda::Function'));
      const key = (fn?.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const asset = readFileSync(join(app.outdir, `asset.${key}`, 'index.mjs'));
      const measured = bundleText(await build({ ...esbuildOptions('intake', catalog), logLevel: 'silent' }));

      // Assess (booleans, not toEqual: a failure would print both bundles)
      expect(asset.includes('No AWS credentials'), 'our provider is in the asset').toBe(true);
      expect(Buffer.compare(asset, Buffer.from(measured)) === 0, 'asset and measured bundle are identical').toBe(true);
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('the intake bundle', () => {
  let bundlePath: string;

  beforeAll(async () => {
    bundlePath = join(directory, 'intake', 'index.mjs');
    await build({ ...esbuildOptions('intake', catalog), outfile: bundlePath, write: true, logLevel: 'silent' });
  });

  it('loads in a fresh node process with the Lambda environment and exports the handler', async () => {
    // Act
    const stdout = await runNode(
      [
        '--input-type=module',
        '-e',
        'const module = await import(process.argv[1]); process.stdout.write(typeof module.handler);',
        pathToFileURL(bundlePath).href,
      ],
      LAMBDA_ENVIRONMENT,
    );

    // Assess
    expect(stdout).toBe('function');
  });
});

describe('an SDK client built with the bundle options', () => {
  let probePath: string;
  let server: Server;
  let endpoint: string;
  const received: IncomingHttpHeaders[] = [];

  // The handlers export no client; a probe bundled with the same options (aliases included) sends one request.
  const PROBE = `
    import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
    const client = new DynamoDBClient({ endpoint: process.argv[2], maxAttempts: 1 });
    try {
      const output = await client.send(new ListTablesCommand({}));
      process.stdout.write(JSON.stringify({ tables: output.TableNames }));
    } catch (error) {
      process.stdout.write(JSON.stringify({ name: error.name, message: error.message }));
    }
  `;

  beforeAll(async () => {
    probePath = join(directory, 'probe', 'index.mjs');
    const { entryPoints: _entry, ...options } = esbuildOptions('intake', catalog);
    await build({
      ...options,
      stdin: { contents: PROBE, resolveDir: PROJECT_ROOT, loader: 'js', sourcefile: 'probe.js' },
      outfile: probePath,
      write: true,
      logLevel: 'silent',
    });
    server = createServer((request, response) => {
      received.push(request.headers);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ TableNames: ['aftercare-test'] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('signs with the credentials in the environment', async () => {
    // Prepare
    received.length = 0;

    // Act
    const stdout = await runNode([probePath, endpoint], LAMBDA_ENVIRONMENT);

    // Assess
    expect(JSON.parse(stdout)).toEqual({ tables: ['aftercare-test'] });
    expect(received).toHaveLength(1);
    expect(received[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAFAKEBUNDLETEST\/\d{8}\/eu-north-1\/dynamodb\//);
    expect(received[0]?.['x-amz-security-token']).toBe('fake-session-token');
  });

  it('fails the request with the provider error, sending nothing, when the environment has no credentials', async () => {
    // Prepare
    received.length = 0;

    // Act
    const stdout = await runNode([probePath, endpoint], WITHOUT_CREDENTIALS);

    // Assess
    expect(JSON.parse(stdout)).toMatchObject({
      name: 'CredentialsProviderError',
      message: expect.stringMatching(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set/) as unknown,
    });
    expect(received).toEqual([]);
  });
});

/** Builds `contents` (a module) with the bundle options of `name`, entry and output replaced. */
async function buildProbe(name: FunctionName, contents: string, outfile: string): Promise<void> {
  const { entryPoints: _entry, ...options } = esbuildOptions(name, catalog);
  await build({
    ...options,
    stdin: { contents, resolveDir: PROJECT_ROOT, loader: 'ts', sourcefile: 'probe.ts' },
    outfile,
    write: true,
    logLevel: 'silent',
  });
}

describe('event parsing in the intake bundle (zod/mini)', () => {
  // One of each kind of refusal: wrong type, too long, format, enum, unknown field, our own refinements.
  const BODIES = [
    bodyOf(aContractRegistered()),
    bodyOf(aContractRegistered({ bindingYears: '2' })),
    bodyOf(aContractRegistered({ noticeDays: 1826, reminderDays: [0] })),
    bodyOf(aContractRegistered({ customer: { name: '', email: 'not-an-address', locale: 'sv', phone: '1' } })),
    bodyOf(aContractRegistered({ annualFee: { amount: '12.345', currency: 'XXX' }, timeZone: 'Europe/Atlantis' })),
    bodyOf(aContractRegistered({ annualFee: { amount: -1, currency: 'nok' }, startDate: '2026-02-30' })),
    bodyOf(aCaseOpened({ eventId: 'e'.repeat(129), occurredAt: '2026-02-09T09:00:00', priority: 'urgent' })),
    bodyOf(aTerminationRequested({ reason: 'boredom', prioritty: 'high' })),
    bodyOf({ type: 'case.reopened' }),
    '{',
  ];

  it('refuses with the same paths and English messages as in-process, in a fresh node process', async () => {
    // Prepare: the probe sees only what the bundle carries (no classic zod to set a locale for it).
    const probePath = join(directory, 'parse-probe', 'index.mjs');
    await buildProbe(
      'intake',
      "import { parseEvent } from '#events/parse.ts';\n" +
        'process.stdout.write(JSON.stringify((JSON.parse(process.argv[2]) as string[]).map((body) => parseEvent(body))));',
      probePath,
    );

    // Act
    const bundled = JSON.parse(await runNode([probePath, JSON.stringify(BODIES)], {})) as unknown;

    // Assess
    expect(bundled).toEqual(BODIES.map((body) => parseEvent(body)));
    const messages = BODIES.flatMap((body) => {
      const result = parseEvent(body);
      return result.ok ? [] : result.error.issues.map((issue) => issue.message);
    });
    expect(messages.length).toBeGreaterThan(15);
    expect(messages.filter((message) => message === 'Invalid input')).toEqual([]);
  });
});

describe('zod', () => {
  it.each(['sweep', 'lifecycle', 'notifier'] as const)('is not in the %s bundle', async (name) => {
    const inputs = inputsOf(await metafileOf(name));
    expect(inputs.filter((path) => path.includes('node_modules/zod/'))).toEqual([]);
  });

  it('is in the intake bundle for parsing only, as zod/mini: classic zod, the barrel and the JSON Schema generator stay out', async () => {
    const inputs = inputsOf(await metafileOf('intake'));
    expect(inputs).toContain('shared/events/parse.ts');
    expect(inputs.some((path) => path.includes('node_modules/zod/v4/mini/'))).toBe(true);
    expect(inputs.filter((path) => path.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    expect(inputs).not.toContain('shared/events/json-schema.ts');
    expect(inputs).not.toContain('shared/events/v1.ts');
  });

  it.each(['intake', 'webhooks'] as const)(
    'leaves zod core\'s compiler and JSON Schema generator out of the %s bundle (only replay compiles; z.core.* would keep them all)',
    async (name) => {
      const metafile = await metafileOf(name);
      const kept = Object.values(metafile.outputs).flatMap((output) =>
        Object.entries(output.inputs).flatMap(([path, input]) => (input.bytesInOutput > 0 && path.includes('node_modules/zod/v4/core/') ? [path] : [])),
      );
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.filter((path) => /\/(compile|json-schema[^/]*|to-json-schema|registries-json)\.js$/.test(path))).toEqual([]);
    },
  );

  it('is in the feedback bundle for parsing SES events only, as zod/mini, without the event contract', async () => {
    const inputs = inputsOf(await metafileOf('feedback'));
    expect(inputs).toContain('functions/feedback/ses-event.ts');
    expect(inputs.some((path) => path.includes('node_modules/zod/v4/mini/'))).toBe(true);
    expect(inputs.filter((path) => path.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    // The store's keys know the default source (shared/events/source.ts, zod-free); nothing of the contract.
    expect(inputs.filter((path) => path.startsWith('shared/events/'))).toEqual(['shared/events/source.ts']);
  });
});
