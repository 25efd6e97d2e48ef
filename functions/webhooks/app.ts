/**
 * The webhooks function as a thin adapter (docs/design.md#13-integrations): an API Gateway HTTP API request
 * (payload format 2.0) on `POST /webhooks/{source}` in, the receive-webhook use case, an HTTP answer
 * with a JSON reason out. Logs carry the source, the status, the reason and event ids, never the payload.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ReceiveWebhook, WebhookOutcome } from '#usecases/receive-webhook.ts';
import { MetricUnit, type Logger, type Metrics } from '../../shared/observability.ts';
import { observed } from '../observed.ts';

export interface WebhooksHandlerDependencies {
  readonly receive: ReceiveWebhook;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export type WebhooksHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export function makeWebhooksHandler({ receive, logger, metrics }: WebhooksHandlerDependencies): WebhooksHandler {
  async function answer(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const source = event.pathParameters?.source ?? '';
    if (event.requestContext.http.method !== 'POST') return respond({ status: 405, reason: 'only POST' }, source);
    let outcome: WebhookOutcome;
    try {
      outcome = await receive({ source, headers: lowerCased(event.headers), body: bodyOf(event) });
    } catch (error) {
      // A dependency failed (the secret store, the table, the queue): the helpdesk retries on 5xx.
      logger.error('webhook not received; answered 503 so the helpdesk retries', { source, error });
      metrics.addMetric('WebhooksFailed', MetricUnit.Count, 1);
      return respond({ status: 503, reason: 'temporarily unable to receive; retry' }, source);
    }
    if (outcome.status === 202) metrics.addMetric('WebhookEventsQueued', MetricUnit.Count, outcome.eventIds.length);
    else if (outcome.status !== 200) metrics.addMetric('WebhooksRefused', MetricUnit.Count, 1);
    const facts = { source, status: outcome.status, ...('reason' in outcome ? { reason: outcome.reason } : {}), ...('eventIds' in outcome ? { eventIds: outcome.eventIds } : {}) };
    if (outcome.status >= 400) logger.warn('webhook refused', { ...facts, ...('path' in outcome ? { path: outcome.path } : {}) });
    else logger.info('webhook received', facts);
    return respond(outcome, source);
  }

  return observed(logger, metrics, answer);
}

/** `{ source, queued: [eventIds] }`, with `ignored` when nothing was mapped, or `{ source, error, path? }`. */
function respond(outcome: WebhookOutcome | { status: 405; reason: string }, source: string): APIGatewayProxyStructuredResultV2 {
  const body =
    outcome.status === 202
      ? { source, queued: outcome.eventIds }
      : outcome.status === 200
        ? { source, queued: [], ignored: outcome.ignored }
        : { source, error: outcome.reason, ...('path' in outcome ? { path: outcome.path } : {}) };
  return { statusCode: outcome.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function lowerCased(headers: APIGatewayProxyEventV2['headers'] | undefined): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

function bodyOf(event: APIGatewayProxyEventV2): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}
