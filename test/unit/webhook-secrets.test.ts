/**
 * Webhook secrets (docs/design.md#13-integrations): the cache reads a source's secret once per five minutes and
 * again on a mismatch at most every ten seconds; Secrets Manager's AWSCURRENT and AWSPREVIOUS are both
 * accepted; `aftercare webhook-secret` rotates locally (the previous one kept, the file its owner's only)
 * and in AWS (PutSecretValue on the source's secret).
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '#cli/main.ts';
import type { Output } from '#cli/output.ts';
import { secretsManagerStore } from '#functions/webhooks/secrets-manager.ts';
import { makeWebhookSecrets } from '#usecases/webhook-secrets.ts';

function capturedOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (text) => stdout.push(text), err: (text) => stderr.push(text), errIsTty: false };
}

const secretsManager = mockClient(SecretsManagerClient);
afterEach(() => secretsManager.reset());

describe('the webhook secrets cache', () => {
  it('reads a source once per five minutes, and again on a mismatch at most every ten seconds', async () => {
    // Prepare
    let reads = 0;
    const clock = { at: 0, now(): number { return this.at; } };
    const secrets = makeWebhookSecrets({ store: { read: () => Promise.resolve([`v${String((reads += 1))}`]) }, clock });

    // Act / Assess
    expect(await secrets.valuesOf('zendesk')).toEqual(['v1']);
    clock.at = 5_000;
    expect(await secrets.valuesOf('zendesk')).toEqual(['v1']);
    expect(await secrets.reread('zendesk')).toBeNull();
    clock.at = 11_000;
    expect(await secrets.reread('zendesk')).toEqual(['v2']);
    clock.at = 311_001;
    expect(await secrets.valuesOf('zendesk')).toEqual(['v3']);
  });
});

describe('the Secrets Manager store', () => {
  it('gives the current and the previous value, and only the current one before any rotation', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: 'aftercare/prod/webhooks/jira', VersionStage: 'AWSCURRENT' }).resolves({ SecretString: 'new' });
    secretsManager.on(GetSecretValueCommand, { SecretId: 'aftercare/prod/webhooks/jira', VersionStage: 'AWSPREVIOUS' }).resolves({ SecretString: 'old' });
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'aftercare/prod/webhooks/generic', VersionStage: 'AWSPREVIOUS' })
      .rejects(new ResourceNotFoundException({ message: 'no previous version', $metadata: {} }));
    secretsManager.on(GetSecretValueCommand, { SecretId: 'aftercare/prod/webhooks/generic', VersionStage: 'AWSCURRENT' }).resolves({ SecretString: 'only' });
    const store = secretsManagerStore(new SecretsManagerClient({}), 'aftercare/prod/webhooks/');
    expect(await store.read('jira')).toEqual(['new', 'old']);
    expect(await store.read('generic')).toEqual(['only']);
  });
});

describe('aftercare webhook-secret', () => {
  it('rotates a local secret, keeping the previous one, in a file only its owner reads', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'aftercare-secrets-'));
    const first = capturedOutput();
    expect(await runCli(['webhook-secret', 'jira', '--local', '--dir', directory], first)).toBe(0);
    const generated = first.stdout.find((line) => line.startsWith('secret: '))?.slice('secret: '.length) ?? '';
    expect(await runCli(['webhook-secret', 'jira', '--local', '--dir', directory, '--value', 'a-secret-of-twenty-chars'], capturedOutput())).toBe(0);
    const path = join(directory, 'webhook-secrets.json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ jira: ['a-secret-of-twenty-chars', generated] });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('puts the new value on the source’s secret in AWS', async () => {
    secretsManager.on(PutSecretValueCommand).resolves({});
    const output = capturedOutput();
    expect(await runCli(['webhook-secret', 'zendesk', '--stage', 'dev', '--value', 'zendesk-made-secret-value'], output)).toBe(0);
    expect(secretsManager.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: 'aftercare/dev/webhooks/zendesk', SecretString: 'zendesk-made-secret-value' });
    expect(output.stdout).toEqual(['zendesk: secret set in AWS Secrets Manager (aftercare/dev/webhooks/zendesk); the previous one is still accepted until the next rotation']);
  });

  it('refuses an unknown source, and a Zendesk source without the secret Zendesk made', async () => {
    const unknown = capturedOutput();
    expect(await runCli(['webhook-secret', 'freshdesk', '--local'], unknown)).toBe(2);
    expect(unknown.stderr.join('')).toContain('no webhook source "freshdesk" (the sources are zendesk, jira, generic)');
    const zendesk = capturedOutput();
    expect(await runCli(['webhook-secret', 'zendesk', '--local'], zendesk)).toBe(2);
    expect(zendesk.stderr.join('')).toContain('pass it with --value');
  });
});
