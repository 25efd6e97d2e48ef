/**
 * A Zendesk ticket's life through the local webhooks endpoint (docs/design.md#13-integrations), posted with curl
 * as Zendesk would post it: created, answered by an agent 20 minutes later (the premium first response
 * is 15 minutes), pending, solved. The case ends with one first-response breach and the credit email to
 * the demo customer; a request signed with another secret is refused and changes nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_SOURCES, type ZendeskMapping } from '#adapters/mapping.ts';
import { signRequest } from '#adapters/signatures.ts';
import type { StoredEmail } from '#cli/local/emulators.ts';
import type { StackFile } from '#cli/local/stack-file.ts';
import { zendeskTriggerPayload } from '#test/support/factories/webhook-payloads.ts';
import { runAftercare, startAftercare } from './cli-process.ts';

const run = promisify(execFile);
const DEMO_CUSTOMER = 'drift@nordlys-logistikk.example';
const zendesk = DEFAULT_WEBHOOK_SOURCES.sources.zendesk as ZendeskMapping;

/** Zendesk's minute-precision timestamp `minutes` ago. */
const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 16) + 'Z';

async function curlPost(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const args = ['-sS', '-o', '-', '-w', '\n%{http_code}', '-X', 'POST', url, '-H', 'content-type: application/json', '--data-binary', body];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const { stdout } = await run('curl', args, { encoding: 'utf8' });
  const lines = stdout.trimEnd().split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n') };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe('the local webhooks endpoint', () => {
  it("turns a Zendesk ticket's life posted with curl into the case and, for a late reply, the credit email", async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'aftercare-webhooks-'));
    const env = { AFTERCARE_LOCAL_DIR: directory };
    const local = await startAftercare(['local', '--dir', directory], env, /aftercare local stack ready/);
    try {
      const stack = JSON.parse(readFileSync(join(directory, 'stack.json'), 'utf8')) as StackFile;
      const secret = (JSON.parse(readFileSync(join(directory, 'webhook-secrets.json'), 'utf8')) as Record<string, string[]>).zendesk?.[0] ?? '';
      const url = `${stack.webhooksUrl ?? ''}zendesk`;
      expect(local.output()).toContain(`${url}   test secret ${secret}`);
      const ticket = { id: '5001', createdAt: minutesAgo(40), organizationExternalId: 'C-DEMO-1' };
      const life = [
        zendeskTriggerPayload('created', zendesk, { ...ticket, priority: 'High' }),
        zendeskTriggerPayload('agent_replied', zendesk, { ...ticket, updatedAt: minutesAgo(20), commentId: '61' }),
        zendeskTriggerPayload('status_changed', zendesk, { ...ticket, status: 'Pending', updatedAt: minutesAgo(10) }),
        zendeskTriggerPayload('status_changed', zendesk, { ...ticket, status: 'Solved', updatedAt: minutesAgo(5) }),
      ];

      // Act
      const answers = [];
      for (const body of life) answers.push(await curlPost(url, body, signRequest('zendesk', secret, body, Date.now())));
      const forged = await curlPost(url, life[0] ?? '', signRequest('zendesk', 'someone-elses-secret', life[0] ?? '', Date.now()));

      // Assess: each delivery queued its event; the forged one nothing
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202]);
      expect(JSON.parse(answers[1]?.body ?? '{}')).toEqual({ source: 'zendesk', queued: ['ticket:5001:comment:61'] });
      expect(forged.status).toBe(401);
      const emails = await eventually(async () => {
        const response = await fetch(`${stack.endpoints.ses}/store`);
        const { emails: all } = (await response.json()) as { emails: StoredEmail[] };
        const found = all.filter((email) => email.destination.to.includes(DEMO_CUSTOMER) && email.body.text?.includes('5001') === true);
        return found.length > 0 ? found : undefined;
      }, 300_000);
      expect(emails[0]?.body.text).toMatch(/2\s400,00/);
      const statement = await runAftercare(['statement', 'C-DEMO-1', '--local', '--json'], env);
      const [year1] = (JSON.parse(statement.stdout) as { years: { breaches: Record<string, number> }[] }).years;
      expect(year1?.breaches).toEqual({ firstResponse: 1, onSite: 0, replacement: 0, resolution: 0 });
    } finally {
      process.kill(-(local.child.pid ?? 0), 'SIGINT');
      await local.exited;
    }
  }, 600_000);
});
