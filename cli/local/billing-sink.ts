/**
 * The local stand-in for the billing EventBridge bus: no EventBridge emulator exists, so the local stack's
 * billing publisher (the same handler and use case as in Lambda) puts its events into the table, under a
 * partition of its own that only the local stack writes (`LOCALBUS#billing`), one item per entry put, in
 * the order they were put; on the memory engine into a list in the stack's process, served to other
 * processes like its table (memory-table-server.ts). `aftercare events --local` lists them. Like the bus,
 * it keeps every put: an event put again after a crash shows twice, with the same `detail.id`.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BILLING_EVENT_SOURCE, type BillingDetail, type BillingEvent } from '#events/billing.ts';
import { MAX_ENTRIES_PER_PUT, type BillingEventBus } from '#events/billing-bus.ts';
import { sortableInstant } from '#store/keys.ts';
import { queryAll } from '#store/paginated-query.ts';
import { BILLING_NOTICE_TYPES, type BillingSourceRef } from '#store/billing-outbox-repository.ts';
import type { StoreWrite } from '#store/store.ts';
import type { Clock } from '#usecases/ports.ts';
import type { BillingHandler } from '#functions/billing/app.ts';
import { billingStreamEvent } from '#functions/billing/stream.ts';
import { localLambdaContext } from './lambda-context.ts';

export const LOCAL_BUS_PARTITION = 'LOCALBUS#billing';

/** An event as the local bus received it: the PutEvents entry and when it was put. */
export interface LocalBillingEvent {
  readonly putAt: string;
  readonly source: string;
  readonly detailType: string;
  readonly time: string;
  readonly detail: BillingDetail;
}

/** What `aftercare events --local` reads on the memory engine: the events the stack's bus received. */
export interface LocalBillingEvents {
  read(): Promise<LocalBillingEvent[]>;
}

let putSequence = 0;

function checkedPut(events: readonly BillingEvent[]): void {
  if (events.length > MAX_ENTRIES_PER_PUT) throw new RangeError(`PutEvents takes at most ${MAX_ENTRIES_PER_PUT} entries, got ${events.length}`);
}

/** The memory engine's bus: every event put, in order, as `readLocalBillingEvents` returns the table's. */
export function memoryBillingBus(clock: Clock): BillingEventBus & LocalBillingEvents {
  const received: LocalBillingEvent[] = [];
  return {
    put(events) {
      checkedPut(events);
      const putAt = sortableInstant(clock.now());
      for (const event of events) {
        received.push({
          putAt,
          source: BILLING_EVENT_SOURCE,
          detailType: event.detailType,
          time: sortableInstant(event.time),
          // As the bus receives it: the detail as JSON, read back as the table's item is.
          detail: JSON.parse(JSON.stringify(event.detail)) as BillingDetail,
        });
      }
      return Promise.resolve([]);
    },
    read: () => Promise.resolve([...received]),
  };
}

export function tableBillingBus(options: { readonly documents: DynamoDBDocumentClient; readonly tableName: string; readonly clock: Clock }): BillingEventBus {
  const { documents, tableName, clock } = options;
  return {
    async put(events) {
      checkedPut(events);
      const putAt = sortableInstant(clock.now());
      for (const event of events) {
        putSequence += 1;
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: LOCAL_BUS_PARTITION,
              sk: `${putAt}#${String(putSequence).padStart(9, '0')}`,
              entity: 'localBusEvent',
              putAt,
              source: BILLING_EVENT_SOURCE,
              detailType: event.detailType,
              time: sortableInstant(event.time),
              // As the bus receives it: the detail as a JSON string (its key order kept).
              detail: JSON.stringify(event.detail),
            },
          }),
        );
      }
      return [];
    },
  };
}

/** Every event the local bus received, in the order it was put. */
export async function readLocalBillingEvents(documents: DynamoDBDocumentClient, tableName: string): Promise<LocalBillingEvent[]> {
  const items = await queryAll(
    { client: documents, tableName },
    { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': LOCAL_BUS_PARTITION }, ConsistentRead: true },
  );
  return items.map((item) => ({
    putAt: item.putAt as string,
    source: item.source as string,
    detailType: item.detailType as string,
    time: item.time as string,
    detail: JSON.parse(item.detail as string) as BillingDetail,
  }));
}

/** The outbox items a commit wrote, as the stream would show them: a ledger item per contract year, a notice per billing notice. */
export function billingRefsOf(writes: readonly StoreWrite[]): BillingSourceRef[] {
  const refs = new Map<string, BillingSourceRef>();
  for (const write of writes) {
    if (write.kind === 'ledger') {
      const { contractId, yearIndex, seq } = write.entry;
      const key = `credits\u0000${contractId}\u0000${yearIndex}`;
      const known = refs.get(key);
      if (known === undefined || (known.kind === 'credits' && seq < known.firstSeq)) refs.set(key, { kind: 'credits', contractId, yearIndex, firstSeq: seq });
    } else if (write.kind === 'notice' && BILLING_NOTICE_TYPES.has(write.notice.type)) {
      const { contractId, id } = write.notice;
      if (contractId !== null) refs.set(`notice\u0000${contractId}\u0000${id}`, { kind: 'notice', contractId, noticeId: id });
    }
  }
  return [...refs.values()];
}

/** Records per invocation: the publisher's event source mapping batch size. */
const STREAM_BATCH_SIZE = 10;

/** The publisher's stream, locally: the outbox items of each commit, handed to the billing handler. */
export class BillingOutboxDriver {
  private refs: BillingSourceRef[] = [];

  constructor(private readonly handler: BillingHandler) {}

  note(writes: readonly StoreWrite[]): void {
    this.refs.push(...billingRefsOf(writes));
  }

  /** Publishes what the commits since the last call wrote; how many outbox items were handed over. */
  async publishCreated(): Promise<number> {
    const refs = this.refs;
    this.refs = [];
    for (let offset = 0; offset < refs.length; offset += STREAM_BATCH_SIZE) {
      const batch = refs.slice(offset, offset + STREAM_BATCH_SIZE);
      const event = billingStreamEvent(batch);
      const response = await this.handler(event, localLambdaContext('billing'));
      // A record the publisher failed stays pending in the table: keep it for the next call, as the stream retries it.
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      event.Records.forEach((record, index) => {
        const ref = batch[index];
        if (ref !== undefined && failed.has(record.dynamodb?.SequenceNumber ?? '')) this.refs.push(ref);
      });
    }
    return refs.length;
  }
}
