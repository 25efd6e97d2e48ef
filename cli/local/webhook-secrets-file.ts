/**
 * The local stack's webhook secrets (docs/design.md#13-integrations): `<local dir>/webhook-secrets.json`, readable by
 * its owner only, one list per source, current first and the previous one kept after a rotation (as
 * Secrets Manager keeps AWSPREVIOUS). The local endpoint reads it through the same port as the Lambda.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookSecretStore } from '#usecases/webhook-secrets.ts';

export const WEBHOOK_SECRETS_FILE = 'webhook-secrets.json';

type SecretsFile = Record<string, string[]>;

export function webhookSecretsPath(directory: string): string {
  return join(directory, WEBHOOK_SECRETS_FILE);
}

function readSecretsFile(path: string): SecretsFile {
  if (!existsSync(path)) return {};
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
  return Object.fromEntries(
    Object.entries(json as Record<string, unknown>).map(([source, values]) => [source, Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : []]),
  );
}

function writeSecretsFile(path: string, secrets: SecretsFile): void {
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** A new random secret (the kind Jira's "Generate secret" and a generic sender take). */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Sets `value` as the source's secret; the one it replaces stays accepted as the previous one. */
export function setLocalWebhookSecret(directory: string, source: string, value: string): void {
  mkdirSync(directory, { recursive: true });
  const path = webhookSecretsPath(directory);
  const secrets = readSecretsFile(path);
  const current = secrets[source]?.[0];
  secrets[source] = current === undefined || current === value ? [value] : [value, current];
  writeSecretsFile(path, secrets);
}

/** Each source's current secret, a new one generated for a source that has none yet. */
export function ensureLocalWebhookSecrets(directory: string, sources: readonly string[]): Record<string, string> {
  const path = webhookSecretsPath(directory);
  const current: Record<string, string> = {};
  for (const source of sources) {
    if (readSecretsFile(path)[source]?.[0] === undefined) setLocalWebhookSecret(directory, source, generateWebhookSecret());
    current[source] = readSecretsFile(path)[source]?.[0] ?? '';
  }
  return current;
}

/** The port the local webhooks handler reads: the file each time (the handler caches, as in AWS). */
export function fileWebhookSecretStore(directory: string): WebhookSecretStore {
  return { read: (source) => Promise.resolve(readSecretsFile(webhookSecretsPath(directory))[source] ?? []) };
}
