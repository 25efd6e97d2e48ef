/**
 * Which queue an event type arrives on (docs/design.md#6-the-event-contract-v1): contract events on the contracts queue (a CRM or
 * billing system owns contracts), case events on the cases queue (helpdesks and field-service tools).
 * The one routing rule: the intake handler, `aftercare send` and the replay all ask it. Pool and loan
 * events (`pool.*`, `loan.*`) are on the contracts queue too. Kept free of zod so every bundle may use it.
 */

export const EVENT_QUEUES = ['contracts', 'cases'] as const;
export type EventQueue = (typeof EVENT_QUEUES)[number];

/** `pool.*` and `loan.*` are owned like contracts (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
const CONTRACT_TYPE_PREFIXES = ['contract.', 'pool.', 'loan.'] as const;

/** The queue an event of `type` belongs on; anything that is not a contract event is a case event. */
export function queueOf(type: string): EventQueue {
  return CONTRACT_TYPE_PREFIXES.some((prefix) => type.startsWith(prefix)) ? 'contracts' : 'cases';
}

/**
 * The queue for a raw message body, for senders that have not parsed it (replay, DLQ redrive): by its
 * `type` when it is JSON with a string type; otherwise the cases queue (it is poison wherever it goes).
 */
export function queueOfBody(body: string): EventQueue {
  let type: unknown;
  try {
    type = (JSON.parse(body) as { type?: unknown } | null)?.type;
  } catch {
    type = undefined;
  }
  return queueOf(typeof type === 'string' ? type : '');
}
