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
}

export interface BadLine {
  readonly where: string;
  readonly reason: string;
}

export function validateEventLines(lines: readonly InputLine[]): { events: ValidatedEvent[]; bad: BadLine[] } {
  const events: ValidatedEvent[] = [];
  const bad: BadLine[] = [];
  for (const line of lines) {
    const parsed = parseEvent(line.text);
    if (parsed.ok) events.push({ where: line.where, eventId: parsed.event.eventId, body: line.text, queue: queueOf(parsed.event.type) });
    else bad.push({ where: line.where, reason: `${parsed.error.path}: ${parsed.error.message}` });
  }
  return { events, bad };
}
