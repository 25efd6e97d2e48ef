/**
 * The generic adapter (docs/design.md#13-integrations): a signed JSON body of v1 case events as they are — one
 * event or an array of at most MAX_GENERIC_EVENTS — for a field-service tool or anything without an adapter.
 * The events are checked against the v1 contract by the endpoint, like every adapter's output; contract
 * events are refused here (a webhook source owns cases, never contracts: docs/design.md#6-the-event-contract-v1).
 */
import { queueOf } from '#events/queues.ts';
import type { CaseEventV1 } from '#events/schemas.ts';
import { isObject, UnmappablePayloadError, type Mapped } from './adapter.ts';

export const MAX_GENERIC_EVENTS = 50;

export function mapGenericPayload(payload: unknown): Mapped {
  const events: unknown[] = Array.isArray(payload) ? payload : [payload];
  if (events.length === 0) throw new UnmappablePayloadError('$', 'an empty array holds no events');
  if (events.length > MAX_GENERIC_EVENTS) throw new UnmappablePayloadError('$', `at most ${MAX_GENERIC_EVENTS} events per request, not ${events.length}`);
  events.forEach((event, index) => {
    const path = Array.isArray(payload) ? String(index) : '$';
    if (!isObject(event)) throw new UnmappablePayloadError(path, 'an event must be a JSON object');
    const type = typeof event.type === 'string' ? event.type : '';
    if (queueOf(type) === 'contracts') {
      throw new UnmappablePayloadError(`${path === '$' ? '' : `${path}.`}type`, `"${type}" is a contract event: a webhook source sends case events only (contract events go to the contracts queue)`);
    }
  });
  // Checked against the v1 schema by the endpoint (parseEventObject), like every adapter's output.
  return { events: events as CaseEventV1[] };
}
