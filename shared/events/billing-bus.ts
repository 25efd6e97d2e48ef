/**
 * Where billing events go: a port with one call, a batch of at most 10 entries (the PutEvents limit), that
 * says which entries the bus refused. On AWS the EventBridge bus of the stack; locally a sink with the
 * same behaviour (cli/local/billing-sink.ts), since no EventBridge emulator exists.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { BILLING_EVENT_SOURCE, type BillingEvent } from './billing.ts';

/** PutEvents takes at most 10 entries a call. */
export const MAX_ENTRIES_PER_PUT = 10;

export interface RefusedEntry {
  /** Position in the batch that was put. */
  readonly index: number;
  readonly code: string;
}

export interface BillingEventBus {
  /** Puts up to 10 events; resolves to the ones the bus refused (empty: all were accepted). Throws when the call itself failed. */
  put(events: readonly BillingEvent[]): Promise<readonly RefusedEntry[]>;
}

export interface EventBridgeBusOptions {
  readonly client: EventBridgeClient;
  /** Env BILLING_EVENT_BUS: the bus's name or ARN. */
  readonly eventBusName: string;
}

export function eventBridgeBus(options: EventBridgeBusOptions): BillingEventBus {
  const { client, eventBusName } = options;
  return {
    async put(events) {
      if (events.length > MAX_ENTRIES_PER_PUT) throw new RangeError(`PutEvents takes at most ${MAX_ENTRIES_PER_PUT} entries, got ${events.length}`);
      if (events.length === 0) return [];
      const output = await client.send(
        new PutEventsCommand({
          Entries: events.map((event) => ({
            EventBusName: eventBusName,
            Source: BILLING_EVENT_SOURCE,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
            Time: new Date(event.time),
          })),
        }),
      );
      if ((output.FailedEntryCount ?? 0) === 0) return [];
      const refused: RefusedEntry[] = [];
      (output.Entries ?? []).forEach((entry, index) => {
        if (entry.ErrorCode !== undefined && entry.ErrorCode !== '') refused.push({ index, code: entry.ErrorCode });
      });
      // A count without per-entry codes: treat every entry without an event id as refused.
      if (refused.length === 0) {
        (output.Entries ?? events.map(() => ({ EventId: undefined }))).forEach((entry, index) => {
          if (entry.EventId === undefined) refused.push({ index, code: 'Unknown' });
        });
      }
      return refused;
    },
  };
}
