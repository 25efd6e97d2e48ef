/**
 * `npm start` (aftercare local) as a user runs it: the stack comes up and says where it is, an event
 * sent with `aftercare send --local` ends as an email in the SES emulator, and Ctrl-C (SIGINT) stops
 * every handler and emulator and removes .local/stack.json, leaving no process behind. Without Java
 * (AFTERCARE_JAVA names a command that does not exist) the same on the memory engine, with the one
 * line that says so, and the --local commands reaching its table in the stack's process: the demo pools
 * file as `pools`, `statement`, `invoices` and `economics --local` read it, and the billing events
 * `events --local` lists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsClientFor } from '#cli/local/clients.ts';
import type { StoredEmail } from '#cli/local/emulators.ts';
import type { StackFile } from '#cli/local/stack-file.ts';
import { runAftercare, startAftercare } from './cli-process.ts';

const DEMO_CUSTOMER = 'drift@nordlys-logistikk.example';

async function emailsTo(stack: StackFile, address: string): Promise<StoredEmail[]> {
  const response = await fetch(`${stack.endpoints.ses}/store`);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails.filter((email) => email.destination.to.includes(address));
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** True once no message waits in or is in flight from the queues: the stack took (and deleted) every one. */
async function taken(sqs: SQSClient, queueUrls: readonly string[]): Promise<true | undefined> {
  for (const QueueUrl of queueUrls) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    if (Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) > 0) return undefined;
  }
  return true;
}

function portAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Command lines of running processes that mention `text` (the DynamoDB Local port, the test's directory). */
function processesMentioning(text: string): string[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return listing.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

/** Command lines of the processes `pid` started, and theirs (other people's DynamoDB Local does not count). */
function descendantsOf(pid: number): string[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .flatMap((match) => (match === null ? [] : [{ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? '' }]));
  const found: string[] = [];
  const parents = new Set([pid]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const row of rows) {
      if (parents.has(row.ppid) && !parents.has(row.pid)) {
        parents.add(row.pid);
        found.push(row.args);
        grown = true;
      }
    }
  }
  return found;
}

describe('npm start: the embedded local stack', () => {
  it('comes up, mails the customer about a sent event, and stops on SIGINT leaving nothing behind', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'aftercare-local-'));
    const env = { AFTERCARE_LOCAL_DIR: directory };
    const local = await startAftercare(['local', '--dir', directory], env, /aftercare local stack ready/);
    const stackFile = join(directory, 'stack.json');
    const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as StackFile;
    const javaMarker = `-port ${new URL(stack.endpoints.dynamodb).port}`;

    // Assess: it says where everything is
    expect(local.output()).toContain(stack.contractsQueueUrl);
    expect(local.output()).toContain(stack.casesQueueUrl);
    expect(local.output()).toContain(stack.deadLetterQueueUrl);
    expect(local.output()).toContain(stack.sesViewerUrl);
    expect(local.output()).toContain('npx aftercare send examples/');
    expect(processesMentioning(javaMarker)).toHaveLength(1);

    // Act: a case of the demo contract from February, long past every deadline
    const sent = await runAftercare(['send', 'examples/case.opened.json', '--local'], env);

    // Assess: credits for its breaches are mailed to the demo customer once the late event's hold has
    // lapsed and the year has settled (both one minute on the local stack), at the sweeps after that
    expect(sent.status).toBe(0);
    expect(sent.stdout).toContain(`sent 1 of 1 event(s) to ${stack.casesQueueUrl}`);
    const emails = await eventually(async () => {
      const found = await emailsTo(stack, DEMO_CUSTOMER);
      return found.length > 0 ? found : undefined;
    }, 300_000);
    expect(emails[0]?.subject).not.toBe('');
    expect(emails[0]?.body.text).toContain('K-2001');

    // Assess: the statement and the DLQ of the running stack, through --local
    const statement = await runAftercare(['statement', 'C-DEMO-1', '--local', '--json'], env);
    expect(statement.status).toBe(0);
    // K-2001 (high, on site required) opened 2026-02-09 and never answered: first response, on site and
    // resolution are all long past deadline + grace.
    const [year1] = (JSON.parse(statement.stdout) as { years: { breaches: Record<string, number> }[] }).years;
    expect(year1?.breaches).toEqual({ firstResponse: 1, onSite: 1, replacement: 0, resolution: 1 });
    const deadLetters = await runAftercare(['dlq', 'list', '--local'], env);
    expect(deadLetters.stdout.trim()).toBe('the dead-letter queue is empty');

    // Assess: billing was told the credits, on the local stand-in of the bus, and the email came from the provider
    const billing = await runAftercare(['events', '--local', '--contract', 'C-DEMO-1', '--json'], env);
    expect(billing.status).toBe(0);
    const told = JSON.parse(billing.stdout) as { detailType: string; detail: { id: string; caseId?: string } }[];
    expect(told.map((event) => event.detailType)).toEqual(['Credit Booked', 'Credit Booked', 'Credit Booked']);
    expect(told.map((event) => event.detail.id)).toEqual(['credit.booked#C-DEMO-1#1#1', 'credit.booked#C-DEMO-1#1#2', 'credit.booked#C-DEMO-1#1#3']);
    expect(emails[0]?.replyTo).toEqual(['kundeservice@aerlig-teknikk.example']);

    // Act: Ctrl-C
    process.kill(-(local.child.pid ?? 0), 'SIGINT');
    const status = await local.exited;

    // Assess: stopped cleanly, nothing left running or written
    expect(status).toBe(0);
    expect(existsSync(stackFile)).toBe(false);
    expect(await portAnswers(stack.endpoints.dynamodb)).toBe(false);
    expect(await portAnswers(stack.endpoints.sqs)).toBe(false);
    expect(await portAnswers(stack.endpoints.ses)).toBe(false);
    expect(processesMentioning(javaMarker)).toEqual([]);
    expect(processesMentioning(directory)).toEqual([]);
  }, 600_000);

  it('without Java runs on the memory engine, says so in one line, and serves its table to --local commands', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'aftercare-local-memory-'));
    const env = { AFTERCARE_LOCAL_DIR: directory, AFTERCARE_JAVA: 'aftercare-test-no-such-java' };
    const local = await startAftercare(['local', '--dir', directory], env, /aftercare local stack ready/);
    const stackFile = join(directory, 'stack.json');
    const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as StackFile;

    // Assess: one line says why and how to get DynamoDB Local; no Java was started
    const lines = local.output().split('\n');
    expect(lines.filter((line) => line.includes('memory engine'))).toEqual([
      expect.stringMatching(/^no Java 17\+ \(`java -version`\).*sudo apt-get install openjdk-17-jdk-headless.*https:\/\/adoptium\.net$/),
    ]);
    expect(stack.engine).toBe('memory');
    expect(local.output()).toContain(`in memory (no DynamoDB Local), served to --local commands at ${stack.endpoints.dynamodb}`);
    expect(descendantsOf(local.child.pid ?? 0).filter((args) => /java/i.test(args))).toEqual([]);

    // Act: a case of the demo contract from February, long past every deadline
    const sent = await runAftercare(['send', 'examples/case.opened.json', '--local'], env);

    // Assess: it ends as the statement's breaches, read through --local from the stack's memory table,
    // and as the credit emails in the SES emulator
    expect(sent.status).toBe(0);
    const breaches = await eventually(async () => {
      const statement = await runAftercare(['statement', 'C-DEMO-1', '--local', '--json'], env);
      expect(statement.status).toBe(0);
      const [year1] = (JSON.parse(statement.stdout) as { years: { breaches: Record<string, number> }[] }).years;
      return year1?.breaches.resolution === 1 ? year1.breaches : undefined;
    }, 300_000);
    expect(breaches).toEqual({ firstResponse: 1, onSite: 1, replacement: 0, resolution: 1 });
    const emails = await eventually(async () => {
      const found = await emailsTo(stack, DEMO_CUSTOMER);
      return found.length > 0 ? found : undefined;
    }, 300_000);
    expect(emails[0]?.body.text).toContain('K-2001');
    const lifecycle = await runAftercare(['lifecycle', '--local'], env);
    expect(lifecycle.status).toBe(0);
    expect(lifecycle.stdout).toContain('lifecycle: 1 contract(s) due, 1 advanced');
    const readable = await runAftercare(['statement', 'C-DEMO-1', '--local'], env);
    expect(readable.stdout).toContain('Contract C-DEMO-1');

    // Assess: a DynamoDB client pointed at the table's endpoint is told why it gets no DynamoDB
    const dynamo = await fetch(stack.endpoints.dynamodb, { method: 'POST', body: '{}' });
    expect(dynamo.status).toBe(400);
    expect(await dynamo.text()).toContain('memory engine');

    // Act: Ctrl-C
    process.kill(-(local.child.pid ?? 0), 'SIGINT');

    // Assess: stopped cleanly, nothing left running or written
    expect(await local.exited).toBe(0);
    expect(existsSync(stackFile)).toBe(false);
    expect(await portAnswers(stack.endpoints.dynamodb)).toBe(false);
    expect(await portAnswers(stack.endpoints.sqs)).toBe(false);
    expect(processesMentioning(directory)).toEqual([]);
  }, 600_000);
});

describe('npm start on the memory engine: the --local commands read the stack in its process', () => {
  const directory = mkdtempSync(join(tmpdir(), 'aftercare-local-memory-commands-'));
  const env = { AFTERCARE_LOCAL_DIR: directory, AFTERCARE_JAVA: 'aftercare-test-no-such-java' };
  let local: Awaited<ReturnType<typeof startAftercare>> | undefined;
  const json = async <T>(args: readonly string[]): Promise<T> => {
    const run = await runAftercare(args, env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(async () => {
    // Prepare: the demo pools (two pools, three contracts, their cases and loans) and the demo contract's late case
    local = await startAftercare(['local', '--dir', directory], env, /aftercare local stack ready/);
    const stack = JSON.parse(readFileSync(join(directory, 'stack.json'), 'utf8')) as StackFile;
    expect(stack.engine).toBe('memory');
    // The two queues are taken in parallel; `send --local` sends the file in its order (each run of lines
    // bound for one queue once the run before is taken), so the pools end as the file tells, as in replay.
    const sqs = sqsClientFor(stack);
    const queueUrls = [stack.contractsQueueUrl, stack.casesQueueUrl];
    for (const file of ['examples/demo-pools.jsonl', 'examples/case.opened.json']) {
      expect((await runAftercare(['send', file, '--local'], env)).status).toBe(0);
      await eventually(() => taken(sqs, queueUrls), 240_000);
    }
    sqs.destroy();
  }, 600_000);

  afterAll(async () => {
    if (local === undefined) return;
    process.kill(-(local.child.pid ?? 0), 'SIGINT');
    expect(await local.exited).toBe(0);
  }, 60_000);

  type PoolsJson = { pools: { poolId: string; kind: string; units: number; out: number; contracts: string[]; rejected: unknown[] }[] };

  it('pools --local reports both demo pools with their units and the contracts entitled, every unit back once the returns are taken', async () => {
    // Act: the file taken in its order (beforeAll): every unit is back, the one return of a unit not out refused
    const { pools } = await eventually(async () => {
      const report = await json<PoolsJson>(['pools', '--local', '--json']);
      const settled = report.pools.length === 2 && report.pools.every((pool) => pool.out === 0 && pool.rejected.length <= 1);
      return settled && report.pools.some((pool) => pool.rejected.length === 1) ? report : undefined;
    }, 420_000);

    // Assess
    expect(pools.map(({ poolId, kind, units, out, contracts }) => ({ poolId, kind, units, out, contracts }))).toEqual([
      { poolId: 'POOL-NORDLYS-1', kind: 'exclusive', units: 1, out: 0, contracts: ['C-POOLS-1'] },
      { poolId: 'POOL-OSLO-1', kind: 'shared', units: 3, out: 0, contracts: ['C-POOLS-1', 'C-POOLS-2', 'C-POOLS-3'] },
    ]);
  }, 480_000);

  it("statement --local shows the contract's pools and its loans", async () => {
    // Act
    const statement = await eventually(async () => {
      const read = await json<{ pools: { poolId: string; upFrontFee: unknown }[]; loans: { poolId: string; unitId: string; caseId: string }[] }>(
        ['statement', 'C-POOLS-1', '--local', '--json'],
      );
      return read.loans.length === 2 ? read : undefined;
    }, 120_000);

    // Assess
    expect(statement.pools.map((pool) => pool.poolId)).toEqual(['POOL-NORDLYS-1', 'POOL-OSLO-1']);
    expect(statement.loans.map(({ poolId, unitId, caseId }) => ({ poolId, unitId, caseId }))).toEqual([
      { poolId: 'POOL-OSLO-1', unitId: 'LX-0007', caseId: 'K-2001' },
      { poolId: 'POOL-NORDLYS-1', unitId: 'SC2-01', caseId: 'K-2002' },
    ]);
  }, 180_000);

  it("invoices --local lists every contract's renewal", async () => {
    // Act
    const { renewals } = await eventually(async () => {
      const run = await json<{ renewals: { contractId: string; renewalDate: string; year: number; feeMinor: number }[] }>(
        ['invoices', '--from', '2027-01-01', '--to', '2027-01-31', '--local', '--json'],
      );
      return run.renewals.length === 4 ? run : undefined;
    }, 120_000);

    // Assess
    expect(renewals.map(({ contractId, renewalDate, year, feeMinor }) => ({ contractId, renewalDate, year, feeMinor }))).toEqual([
      { contractId: 'C-DEMO-1', renewalDate: '2027-01-01', year: 2, feeMinor: 12_000_000 },
      { contractId: 'C-POOLS-1', renewalDate: '2027-01-01', year: 2, feeMinor: 12_000_000 },
      { contractId: 'C-POOLS-2', renewalDate: '2027-01-01', year: 2, feeMinor: 12_000_000 },
      { contractId: 'C-POOLS-3', renewalDate: '2027-01-01', year: 2, feeMinor: 6_000_000 },
    ]);
  }, 180_000);

  it('economics --local reads every contract, per service level', async () => {
    // Act
    const { levels } = await eventually(async () => {
      const report = await json<{ levels: { level: string; currency: string; contracts: number }[] }>(['economics', '--local', '--json']);
      return report.levels.reduce((sum, level) => sum + level.contracts, 0) === 4 ? report : undefined;
    }, 120_000);

    // Assess
    expect(levels.map(({ level, currency, contracts }) => ({ level, currency, contracts }))).toEqual([
      { level: 'premium', currency: 'NOK', contracts: 3 },
      { level: 'standard', currency: 'NOK', contracts: 1 },
    ]);
  }, 180_000);

  it('publishes the billing events, and events --local lists them as on DynamoDB Local', async () => {
    // Act: the credits of the demo contract's late case, booked at a sweep once the hold has lapsed
    const told = await eventually(async () => {
      const events = await json<{ source: string; detailType: string; detail: { id: string } }[]>(['events', '--local', '--contract', 'C-DEMO-1', '--json']);
      return events.length >= 3 ? events : undefined;
    }, 300_000);

    // Assess: the same entries the DynamoDB Local stack lists (the first test of this file)
    expect(told.map((event) => event.detailType)).toEqual(['Credit Booked', 'Credit Booked', 'Credit Booked']);
    expect(told.map((event) => event.detail.id)).toEqual(['credit.booked#C-DEMO-1#1#1', 'credit.booked#C-DEMO-1#1#2', 'credit.booked#C-DEMO-1#1#3']);
    expect(told.every((event) => event.source === 'aftercare.billing')).toBe(true);
    const readable = await runAftercare(['events', '--local'], env);
    expect(readable.stdout).toContain('credit.booked#C-DEMO-1#1#1');
  }, 360_000);
});
