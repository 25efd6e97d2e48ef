/** The webhook sources file (`catalog/webhooks.json` by default; docs/design.md#13-integrations), read and validated. */
import { readFileSync } from 'node:fs';
import { parseWebhookSources, WebhookSourcesError, type WebhookSources } from '#adapters/mapping.ts';

export const DEFAULT_WEBHOOK_SOURCES_FILE = 'catalog/webhooks.json';

export function loadWebhookSourcesFile(path: string): WebhookSources {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WebhookSourcesError(`webhook sources ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseWebhookSources(json, `webhook sources ${path}`);
}
