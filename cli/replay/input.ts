/**
 * Replay input (docs/design.md#9-running-it): each line is an event, or `{ "deliverAt": "<ISO>", "event": { … } }` for an
 * event that reached the queue late. Lines are delivered in deliverAt order (default: the event's
 * occurredAt; file order for ties). A line that is not JSON, or not a valid event, is sent as it is,
 * like any poison message: it goes where its neighbour in the file goes.
 */
import type { Instant } from '#domain/time.ts';
import { queueOf, type EventQueue } from '#events/queues.ts';
import { InputFileError } from '../errors.ts';
import type { InputLine } from '../input/lines.ts';
import { LineLinker } from './shards.ts';

export interface Delivery {
  readonly lineNumber: number;
  readonly deliverAt: Instant;
  /** The SQS message body, exactly as it will be sent. */
  readonly body: string;
  /** What the body says, read once when the line is parsed (absent: read from the body when needed). */
  readonly about?: BodyFacts;
  /** The body's eventId (null: it names none), read with `about`: an event's identity is its source and eventId. */
  readonly eventId?: string | null;
  /** The lines it may touch share its group (shards.ts): a contract, a pool, an address, a late source… */
  readonly group?: number;
  /** Whether another line carries the same eventId, read with `group`. */
  readonly eventIdRepeated?: boolean;
}

/** The queue a sender routes the body to (`queueOfBody`) and the contract it names (null: none, or poison). */
export interface BodyFacts {
  readonly queue: EventQueue;
  readonly contractId: string | null;
}

interface Placed {
  readonly line: InputLine;
  readonly body: string;
  readonly deliverAt: Instant | null;
  readonly about: BodyFacts;
  readonly eventId: string | null;
}

const POISON: BodyFacts = { queue: queueOf(''), contractId: null };

export function deliveriesOf(lines: readonly InputLine[]): Delivery[] {
  // One facts object per queue and contract, shared by its lines: a portfolio's million lines hold a pointer each.
  const shared = new Map<string, BodyFacts>();
  const linker = new LineLinker();
  const placed = lines.map((line, index) => place(line, shared, (json) => linker.add(index, json)));
  const firstKnown = placed.find((p) => p.deliverAt !== null)?.deliverAt;
  if (firstKnown === undefined || firstKnown === null) {
    throw new InputFileError('the events file has no line with a valid occurredAt or deliverAt: nothing says when to replay');
  }
  let previous: Instant = firstKnown;
  placed.forEach((p, index) => {
    previous = p.deliverAt ?? previous;
    linker.arrives(index, previous);
  });
  const groups = linker.groups();
  previous = firstKnown;
  const timed = placed.map((p, index) => {
    previous = p.deliverAt ?? previous;
    const eventIdRepeated = p.eventId !== null && linker.repeatedEventIds.has(p.eventId);
    return { lineNumber: p.line.lineNumber, deliverAt: previous, body: p.body, about: p.about, eventId: p.eventId, group: groups[index] ?? index, eventIdRepeated };
  });
  // Array.prototype.sort is stable: equal instants keep file order.
  return timed.sort((a, b) => a.deliverAt - b.deliverAt);
}

function place(line: InputLine, shared: Map<string, BodyFacts>, link: (event: unknown) => void): Placed {
  let json: unknown;
  try {
    json = JSON.parse(line.text);
  } catch {
    link(null);
    return { line, body: line.text, deliverAt: null, about: POISON, eventId: null };
  }
  link(isLateDelivery(json) ? json.event : json);
  if (isLateDelivery(json)) {
    const deliverAt = Date.parse(json.deliverAt);
    if (Number.isNaN(deliverAt)) throw new InputFileError(`${line.where}: deliverAt "${json.deliverAt}" is not an ISO-8601 instant`);
    // The event parsed from JSON, so its body parses back to the same value.
    return { line, body: JSON.stringify(json.event), deliverAt, about: factsOf(json.event, shared), eventId: eventIdOf(json.event) };
  }
  return { line, body: line.text, deliverAt: occurredAtOf(json), about: factsOf(json, shared), eventId: eventIdOf(json) };
}

/** The eventId an intake reads from the body: its top-level `eventId`, when it is a string (any other body is refused). */
function eventIdOf(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const { eventId } = json as { eventId?: unknown };
  return typeof eventId === 'string' ? eventId : null;
}

/**
 * The eventIds more than one delivery carries, whatever their sources (null: a delivery was not read by
 * `deliveriesOf`, so it is not known). Any other idempotency record is read only by its one delivery.
 */
export function repeatedEventIdsOf(deliveries: readonly (Delivery | null)[]): Set<string> | null {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const delivery of deliveries) {
    if (delivery === null) continue;
    if (delivery.eventId === undefined) return null;
    if (delivery.eventId === null) continue;
    if (seen.has(delivery.eventId)) repeated.add(delivery.eventId);
    else seen.add(delivery.eventId);
  }
  return repeated;
}

/** `queueOfBody` and the contract `contractIdInBody` reads, from the parsed body. */
function factsOf(json: unknown, shared: Map<string, BodyFacts>): BodyFacts {
  if (typeof json !== 'object' || json === null) return POISON;
  const { type, contractId } = json as { type?: unknown; contractId?: unknown };
  const facts: BodyFacts = { queue: queueOf(typeof type === 'string' ? type : ''), contractId: typeof contractId === 'string' ? contractId : null };
  const key = `${facts.queue}|${facts.contractId === null ? '' : `=${facts.contractId}`}`;
  const known = shared.get(key);
  if (known !== undefined) return known;
  shared.set(key, facts);
  return facts;
}

function isLateDelivery(json: unknown): json is { deliverAt: string; event: unknown } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const keys = Object.keys(json).sort();
  return keys.length === 2 && keys[0] === 'deliverAt' && keys[1] === 'event' && typeof (json as { deliverAt: unknown }).deliverAt === 'string';
}

function occurredAtOf(json: unknown): Instant | null {
  if (typeof json !== 'object' || json === null || !('occurredAt' in json)) return null;
  const { occurredAt } = json;
  if (typeof occurredAt !== 'string') return null;
  const instant = Date.parse(occurredAt);
  return Number.isNaN(instant) ? null : instant;
}

/** The body's top-level contractId (null: none, or poison), for a delivery `deliveriesOf` did not read. */
export function contractIdInBody(body: string): string | null {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null && 'contractId' in json && typeof json.contractId === 'string') return json.contractId;
  } catch {
    // Poison: it names no contract.
  }
  return null;
}
