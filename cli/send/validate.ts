/** Every line checked before anything is sent: one bad line and none is sent. */
import { parseEvent } from '#events/parse.ts';
import { queueOf, type EventQueue } from '#events/queues.ts';
import type { InputLine } from '../input/lines.ts';

export interface ValidatedEvent {
  readonly where: string;
  readonly eventId: string;
  readonly body: string;
  /** The queue the event belongs on (docs/design.md#6-the-event-contract-v1): contract events and case events are routed apart. */
  readonly queue: EventQueue;
  /** The line was a replay line `{ deliverAt, event }` (docs/design.md#9-running-it): its event is sent now. */
  readonly fromReplayLine: boolean;
}

export interface BadLine {
  readonly where: string;
  readonly reason: string;
}

export function validateEventLines(lines: readonly InputLine[]): { events: ValidatedEvent[]; bad: BadLine[] } {
  const events: ValidatedEvent[] = [];
  const bad: BadLine[] = [];
  for (const line of lines) {
    const replayed = eventOfReplayLine(line.text);
    const body = replayed ?? line.text;
    const parsed = parseEvent(body);
    const fromReplayLine = replayed !== null;
    if (parsed.ok) events.push({ where: line.where, eventId: parsed.event.eventId, body, queue: queueOf(parsed.event.type), fromReplayLine });
    else bad.push({ where: line.where, reason: `${fromReplayLine ? 'event.' : ''}${parsed.error.path}: ${parsed.error.message}` });
  }
  return { events, bad };
}

/**
 * The event of a replay line `{ "deliverAt": "<ISO>", "event": { … } }` as JSON text, or null for any other line.
 * Only that exact shape is unwrapped: an event with a stray `deliverAt` field is still refused as the event it is.
 */
function eventOfReplayLine(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value).sort();
  if (keys.length !== 2 || keys[0] !== 'deliverAt' || keys[1] !== 'event') return null;
  const { event } = value as { event: unknown };
  return typeof event === 'object' && event !== null ? JSON.stringify(event) : null;
}
