/**
 * `npm start` (aftercare local) as a user runs it: the stack comes up and says where it is, an event
 * sent with `aftercare send --local` ends as an email in the SES emulator, and Ctrl-C (SIGINT) stops
 * every handler and emulator and removes .local/stack.json, leaving no process behind.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
