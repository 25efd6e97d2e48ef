/** The webhooks handler over memory twins: a settable clock and secrets, the seen requests, the queued events and the dead letters. */
import { parseWebhookSources, type WebhookSources } from '#adapters/mapping.ts';
import { makeWebhooksHandler } from '#functions/webhooks/app.ts';
import type { QueuedEvent } from '#events/send-batches.ts';
import { makeReceiveWebhook, type WebhookRequest } from '#usecases/receive-webhook.ts';
import { makeWebhookSecrets } from '#usecases/webhook-secrets.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { MemoryWebhookRequests } from './memory-webhook-requests.ts';

export const SECRETS = { zendesk: 'zendesk-signing-secret', jira: 'jira-webhook-secret', generic: 'generic-secret' } as const;
export const NOW = Date.parse('2026-02-09T08:01:00Z');

export function webhookEndpoint(options: { readonly sources?: WebhookSources; readonly failQueue?: boolean } = {}) {
  const clock = { at: NOW, now(): number { return this.at; } };
  const stored: Record<string, string[]> = { zendesk: [SECRETS.zendesk], jira: [SECRETS.jira], generic: [SECRETS.generic] };
  let secretReads = 0;
  const requests = new MemoryWebhookRequests();
  const queued: QueuedEvent[] = [];
  const deadLetters: { request: WebhookRequest; path: string; reason: string }[] = [];
  const logger = makeLogger('webhooks');
  const receive = makeReceiveWebhook({
    sources: options.sources ?? parseWebhookSources({ sources: { zendesk: { adapter: 'zendesk' }, jira: { adapter: 'jira', contractField: 'customfield_10050' }, generic: { adapter: 'generic' } } }),
    secrets: makeWebhookSecrets({
      store: {
        read(source) {
          secretReads += 1;
          return Promise.resolve(stored[source] ?? []);
        },
      },
      clock,
    }),
    requests,
    cases: {
      send(events) {
        if (options.failQueue === true) return Promise.resolve(events.map((event) => event.eventId));
        queued.push(...events);
        return Promise.resolve([]);
      },
    },
    unmapped: {
      keep(request, refusal) {
        deadLetters.push({ request, ...refusal });
        return Promise.resolve();
      },
    },
    clock,
  });
  const handler = makeWebhooksHandler({ receive, logger, metrics: makeMetrics('AftercareTest', 'webhooks', logger) });
  return { handler, clock, stored, requests, queued, deadLetters, secretReads: () => secretReads };
}
