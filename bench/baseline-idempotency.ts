/**
 * The common way to make a queue consumer idempotent, for comparison with ours: what the Powertools
 * idempotency utility does around a handler — a conditional PutItem of an INPROGRESS record before the
 * work, an UpdateItem to COMPLETED (with the result) after it — wrapped around the same business
 * transaction without our in-transaction idempotency record. Measured on DynamoDB Local by cost.ts.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { AftercareEventV1 } from '#events/v1.ts';
import type { Catalog } from '#domain/model.ts';
import type { CommitResult, EventContext, Store, StoreWrite } from '#store/store.ts';
import { makeIntake } from '#usecases/intake.ts';
import type { Clock, EventOutcome } from '#usecases/ports.ts';

/** Powertools' default: a record stays valid for an hour, an INPROGRESS one until the invocation's timeout. */
const EXPIRES_AFTER_S = 3_600;

/** The business store of the baseline: the same reads and transaction, minus our idempotency record. */
function withoutInlineIdempotency(store: Store): Store {
  const stripped = (writes: readonly StoreWrite[]): StoreWrite[] => writes.filter((write) => write.kind !== 'processedEvent');
  return {
    readEventContext: async (request): Promise<EventContext> => ({ ...(await store.readEventContext(request)), processed: null }),
    readYears: (contractId, indexes) => store.readYears(contractId, indexes),
    readCases: (refs) => store.readCases(refs),
    readParkedOf: (contractId) => store.readParkedOf(contractId),
    readParked: (refs) => store.readParked(refs),
    dueCases: (now) => store.dueCases(now),
    overdueParked: (now) => store.overdueParked(now),
    readContractPartition: (contractId) => store.readContractPartition(contractId),
    commit: (writes): Promise<CommitResult> => store.commit(stripped(writes)),
    createNoticeOnce: (notice) => store.createNoticeOnce(notice),
  };
}

export interface BaselineDependencies {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly store: Store;
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** Called after each request the idempotency wrapper makes (the store meters its own). */
  readonly onRequest: (request: IdempotencyRequest) => void;
}

export interface IdempotencyRequest {
  readonly operation: 'PutItem' | 'UpdateItem';
  readonly writeUnits: number;
}

export interface BaselineIntake {
  processEvent(event: AftercareEventV1): Promise<EventOutcome>;
}

function writeUnits(capacity: ConsumedCapacity | undefined): number {
  return capacity?.CapacityUnits ?? 0;
}

export function makeBaselineIntake(dependencies: BaselineDependencies): BaselineIntake {
  const { client, tableName, clock, onRequest } = dependencies;
  const intake = makeIntake({ store: withoutInlineIdempotency(dependencies.store), catalog: dependencies.catalog, clock });
  const key = (eventId: string): Record<string, string> => ({ pk: `IDEMPOTENCY#${eventId}`, sk: 'IDEMPOTENCY' });

  /** False when a valid record exists: the event is a duplicate (or still in progress elsewhere). */
  async function claim(eventId: string): Promise<boolean> {
    const nowS = Math.floor(clock.now() / 1000);
    try {
      const output = await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key(eventId), status: 'INPROGRESS', expiration: nowS + EXPIRES_AFTER_S },
          ConditionExpression: 'attribute_not_exists(pk) OR expiration < :now',
          ExpressionAttributeValues: { ':now': nowS },
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
      onRequest({ operation: 'PutItem', writeUnits: writeUnits(output.ConsumedCapacity) });
      return true;
    } catch (error) {
      // A failed conditional write still consumes a write unit on DynamoDB; the emulator reports none.
      onRequest({ operation: 'PutItem', writeUnits: 1 });
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async function complete(eventId: string, outcome: EventOutcome): Promise<void> {
    const output = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(eventId),
        UpdateExpression: 'SET #status = :completed, #data = :data',
        ExpressionAttributeNames: { '#status': 'status', '#data': 'data' },
        ExpressionAttributeValues: { ':completed': 'COMPLETED', ':data': JSON.stringify(outcome) },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    onRequest({ operation: 'UpdateItem', writeUnits: writeUnits(output.ConsumedCapacity) });
  }

  return {
    async processEvent(event) {
      if (!(await claim(event.eventId))) return { kind: 'duplicate' };
      const outcome = await intake.processEvent(event);
      await complete(event.eventId, outcome);
      return outcome;
    },
  };
}
