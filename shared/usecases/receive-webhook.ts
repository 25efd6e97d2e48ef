/**
 * A helpdesk webhook received (docs/design.md#13-integrations): the signature checked with the source's secret,
 * stale and replayed requests refused, the payload mapped by the source's adapter, the v1 events checked
 * and put on the cases queue with `source` = the source. Every outcome is an HTTP status with a reason;
 * an unmappable payload is also dead-lettered, raw, for the operator.
 */
import { UnmappablePayloadError } from '#adapters/adapter.ts';
import { mapPayload } from '#adapters/adapters.ts';
import type { WebhookSources } from '#adapters/mapping.ts';
import { SIGNATURE_TOLERANCE_MS, verifySignature, type RequestHeaders } from '#adapters/signatures.ts';
import { parseEventObject } from '#events/parse.ts';
import type { QueuedEvent } from '#events/send-batches.ts';
import type { WebhookRequestRepository } from '#store/webhook-request-repository.ts';
import type { Clock } from './ports.ts';
import type { WebhookSecrets } from './webhook-secrets.ts';

/** The raw body must fit a dead letter (SQS: 256 KiB with its attributes). */
export const MAX_WEBHOOK_BODY_BYTES = 240 * 1024;

export interface WebhookRequest {
  readonly source: string;
  /** Lower-cased names. */
  readonly headers: RequestHeaders;
  readonly body: string;
}

export type WebhookOutcome =
  | { readonly status: 202; readonly eventIds: readonly string[] }
  | { readonly status: 200; readonly eventIds: readonly []; readonly ignored: string }
  | { readonly status: 400; readonly path: string; readonly reason: string }
  | { readonly status: 401 | 404 | 409 | 413 | 503; readonly reason: string };

export interface CasesQueue {
  /** Sends each event; the ids of those that could not be sent. */
  send(events: readonly QueuedEvent[]): Promise<readonly string[]>;
}

export interface UnmappedPayloads {
  /** Keeps the raw body for the operator (the DLQ, with the reason as attributes). */
  keep(request: WebhookRequest, refusal: { readonly path: string; readonly reason: string }): Promise<void>;
}

export interface ReceiveWebhookDependencies {
  readonly sources: WebhookSources;
  readonly secrets: WebhookSecrets;
  readonly requests: WebhookRequestRepository;
  readonly cases: CasesQueue;
  readonly unmapped: UnmappedPayloads;
  readonly clock: Clock;
}

export type ReceiveWebhook = (request: WebhookRequest) => Promise<WebhookOutcome>;

export function makeReceiveWebhook(dependencies: ReceiveWebhookDependencies): ReceiveWebhook {
  const { sources, secrets, requests, cases, unmapped, clock } = dependencies;

  return async (request) => {
    const mapping = Object.hasOwn(sources.sources, request.source) ? sources.sources[request.source] : undefined;
    if (mapping === undefined) return { status: 404, reason: `no webhook source "${request.source.slice(0, 64)}"` };
    if (Buffer.byteLength(request.body, 'utf8') > MAX_WEBHOOK_BODY_BYTES) {
      return { status: 413, reason: `the body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes` };
    }

    const now = clock.now();
    let verdict = verifySignature(mapping.adapter, request, await secrets.valuesOf(request.source), now);
    if (!verdict.ok && verdict.problem === 'mismatch') {
      // Perhaps the secret was rotated since it was cached.
      const reread = await secrets.reread(request.source);
      if (reread !== null) verdict = verifySignature(mapping.adapter, request, reread, now);
    }
    if (!verdict.ok) return { status: 401, reason: verdict.reason };

    let events: QueuedEvent[];
    try {
      const mapped = mapPayload(mapping, parseJson(request.body));
      if (mapped.events.length === 0) return { status: 200, eventIds: [], ignored: mapped.ignored ?? 'nothing to map' };
      events = mapped.events.map((event, index) => queuedEvent(request.source, event, mapped.events.length > 1 ? index : null));
    } catch (error) {
      if (!(error instanceof UnmappablePayloadError)) throw error;
      const refusal = { path: error.path, reason: error.reason };
      await unmapped.keep(request, refusal);
      return { status: 400, ...refusal };
    }

    // After the payload is known good: a refused payload claims nothing, and its fix is not a replay.
    const claimed = await requests.claim(request.source, verdict.fingerprint, now, now + 2 * SIGNATURE_TOLERANCE_MS);
    if (!claimed) return { status: 409, reason: 'replayed request: this signed request was received before' };
    let failed: readonly string[];
    try {
      failed = await cases.send(events);
    } catch (error) {
      await requests.release(request.source, verdict.fingerprint);
      throw error;
    }
    if (failed.length > 0) {
      // The helpdesk retries the delivery; the events already sent are duplicates then, and ignored.
      await requests.release(request.source, verdict.fingerprint);
      return { status: 503, reason: `${failed.length} of ${events.length} event(s) could not be queued; retry the delivery` };
    }
    return { status: 202, eventIds: events.map((event) => event.eventId) };
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new UnmappablePayloadError('$', `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The v1 event with its source, checked against the contract as intake will check it. */
function queuedEvent(source: string, event: object, index: number | null): QueuedEvent {
  const at = (path: string): string => (index === null ? path : path === '$' ? String(index) : `${String(index)}.${path}`);
  const given = (event as { source?: unknown }).source;
  if (given !== undefined && given !== source) {
    throw new UnmappablePayloadError(at('source'), `${JSON.stringify(given).slice(0, 66)} is not this webhook's source "${source}"`);
  }
  const parsed = parseEventObject({ ...event, source });
  if (!parsed.ok) throw new UnmappablePayloadError(at(parsed.error.path), parsed.error.message);
  return { eventId: parsed.event.eventId, body: JSON.stringify({ ...event, source }) };
}
