/** The webhooks function assembled (functions/wiring.ts): the seen-request store, the secrets, the cases queue, the use case, the handler. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookSources } from '#adapters/mapping.ts';
import { sendInBatches } from '#events/send-batches.ts';
import { DynamoWebhookRequestRepository } from '#store/dynamo-webhook-request-repository.ts';
import type { WebhookRequestRepository } from '#store/webhook-request-repository.ts';
import { makeReceiveWebhook, type CasesQueue, type UnmappedPayloads } from '#usecases/receive-webhook.ts';
import { makeWebhookSecrets, type WebhookSecretStore } from '#usecases/webhook-secrets.ts';
import type { DeadLetterSink } from '../intake/dead-letters.ts';
import { portsOf, type FunctionSettings, type PortsWrapper } from '../wiring.ts';
import { makeWebhooksHandler, type WebhooksHandler } from './app.ts';

export interface WebhooksPorts {
  readonly requests: WebhookRequestRepository;
}

export interface WebhooksSettings extends FunctionSettings {
  readonly sources: WebhookSources;
  readonly secretStore: WebhookSecretStore;
  readonly sqs: SQSClient;
  readonly casesQueueUrl: string;
  readonly deadLetters: DeadLetterSink;
  readonly ports?: PortsWrapper<WebhooksPorts>;
}

/** The cases queue through the sending code of `aftercare send`. */
export function sqsCasesQueue(sqs: SQSClient, queueUrl: string): CasesQueue {
  return {
    async send(events) {
      const { failed } = await sendInBatches(sqs, queueUrl, events);
      return failed.map((failure) => failure.eventId);
    },
  };
}

/** Unmappable payloads in the dead-letter queue, raw, with the reason (`aftercare dlq list` shows them). */
export function deadLetteredPayloads(deadLetters: DeadLetterSink): UnmappedPayloads {
  return {
    keep: (request, refusal) =>
      deadLetters.send(request.body, {
        errorCode: 'WEBHOOK_UNMAPPABLE',
        errorPath: refusal.path,
        errorMessage: refusal.reason,
        sourceMessageId: `webhook:${request.source}`,
      }),
  };
}

export function buildWebhooksHandler(settings: WebhooksSettings): WebhooksHandler {
  const { clock, logger, metrics } = settings;
  const { documents: client, tableName } = settings.table;
  const { requests } = portsOf<WebhooksPorts>({ requests: new DynamoWebhookRequestRepository({ client, tableName }) }, settings.ports);
  const receive = makeReceiveWebhook({
    sources: settings.sources,
    secrets: makeWebhookSecrets({ store: settings.secretStore, clock }),
    requests,
    cases: sqsCasesQueue(settings.sqs, settings.casesQueueUrl),
    unmapped: deadLetteredPayloads(settings.deadLetters),
    clock,
  });
  return makeWebhooksHandler({ receive, logger, metrics });
}
