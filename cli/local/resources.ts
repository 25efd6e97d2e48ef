/**
 * The table and queues of the local stack, created from the same definitions as the CDK stack
 * (shared/store/table-definition.ts, infra/queue-settings.ts) so local behaviour matches AWS.
 */
import {
  CreateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  DEAD_LETTER_RETENTION_DAYS,
  EVENTS_RETENTION_DAYS,
  EVENTS_VISIBILITY_TIMEOUT_SECONDS,
  MAX_RECEIVE_COUNT,
} from '#infra/queue-settings.ts';
import type { EventQueue } from '#events/queues.ts';
import { TABLE_DEFINITION, TTL_ATTRIBUTE } from '#store/table-definition.ts';

const DAY_SECONDS = 86_400;

export interface TableOptions {
  /**
   * The table's stream, which the deployed notifier reads. Nothing local reads it (the local stack hands
   * each committed notice to the notifier itself), and DynamoDB Local keeps every stream record of every
   * table, so with it on each later write gets slower: a 10,000-event replay took 723 s with the stream
   * and 459 s without. The local stack leaves it off; tests of the definition itself keep it.
   * @default true
   */
  readonly stream?: boolean;
}

export async function createTable(dynamo: DynamoDBClient, tableName: string, options: TableOptions = {}): Promise<void> {
  // The definition is deeply readonly; the SDK's input types want mutable arrays.
  const { StreamSpecification, ...rest } = structuredClone(TABLE_DEFINITION) as unknown as Omit<CreateTableCommandInput, 'TableName'>;
  const definition = options.stream === false ? rest : { ...rest, StreamSpecification };
  await dynamo.send(new CreateTableCommand({ TableName: tableName, ...definition }));
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  await dynamo.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE },
    }),
  );
}

export interface LocalQueues {
  readonly contractsQueueUrl: string;
  readonly contractsQueueArn: string;
  readonly casesQueueUrl: string;
  readonly casesQueueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
}

/** The two event queues' URLs by queue (`queueOf` names the one an event type belongs on). */
export function eventQueueUrls(queues: LocalQueues): Record<EventQueue, string> {
  return { contracts: queues.contractsQueueUrl, cases: queues.casesQueueUrl };
}

export function eventQueueArns(queues: LocalQueues): Record<EventQueue, string> {
  return { contracts: queues.contractsQueueArn, cases: queues.casesQueueArn };
}

/**
 * The two event queues and their shared DLQ, as infra/constructs/event-queues.ts defines them:
 * `<prefix>-contracts`, `<prefix>-cases`, `<prefix>-events-dlq`, redrive after MAX_RECEIVE_COUNT receives.
 */
export async function createQueues(sqs: SQSClient, prefix: string): Promise<LocalQueues> {
  const deadLetterQueueUrl = await createQueue(sqs, `${prefix}-events-dlq`, {
    MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_DAYS * DAY_SECONDS),
  });
  const deadLetterQueueArn = await queueArn(sqs, deadLetterQueueUrl);
  const eventQueue = async (queue: EventQueue): Promise<{ url: string; arn: string }> => {
    const url = await createQueue(sqs, `${prefix}-${queue}`, {
      VisibilityTimeout: String(EVENTS_VISIBILITY_TIMEOUT_SECONDS),
      MessageRetentionPeriod: String(EVENTS_RETENTION_DAYS * DAY_SECONDS),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
    });
    return { url, arn: await queueArn(sqs, url) };
  };
  const contracts = await eventQueue('contracts');
  const cases = await eventQueue('cases');
  return {
    contractsQueueUrl: contracts.url,
    contractsQueueArn: contracts.arn,
    casesQueueUrl: cases.url,
    casesQueueArn: cases.arn,
    deadLetterQueueUrl,
    deadLetterQueueArn,
  };
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  return QueueUrl;
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`GetQueueAttributes ${queueUrl} returned no QueueArn`);
  return arn;
}
