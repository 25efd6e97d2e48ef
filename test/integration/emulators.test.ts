import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  PutItemCommand,
  GetItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, createTable, EmulatorError, eventQueueUrls, type LocalQueues } from '#cli/local/emulators.ts';
import { javaMajorVersion, requireJava } from '#cli/local/java.ts';
import { EVENTS_VISIBILITY_TIMEOUT_SECONDS, MAX_RECEIVE_COUNT } from '#infra/queue-settings.ts';
import { ATTENTION_INDEX, TABLE_DEFINITION, TTL_ATTRIBUTE } from '#store/table-definition.ts';
import { useEmulators } from '#test/support/emulator-context.ts';

const local = useEmulators();
const dynamo = new DynamoDBClient(local.dynamodb);
const sqs = new SQSClient(local.sqs);
const ses = new SESv2Client(local.ses);
let queues: LocalQueues;

beforeAll(async () => {
  await createTable(dynamo, local.tableName);
  queues = await createQueues(sqs, local.queuePrefix);
});

afterAll(() => {
  dynamo.destroy();
  sqs.destroy();
  ses.destroy();
});

const item = (pk: string) => ({ pk: { S: pk }, sk: { S: 'CONTRACT' } });

describe('DynamoDB Local, as the transactional outbox needs it', () => {
  it('cancels a whole transaction when one condition fails, and says which one', async () => {
    // Prepare
    await dynamo.send(new PutItemCommand({ TableName: local.tableName, Item: item('C-existing') }));

    // Act
    const outcome = await dynamo
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: local.tableName, Item: item('C-new') } },
            {
              Put: {
                TableName: local.tableName,
                Item: item('C-existing'),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    // Assess
    expect(outcome).toBeInstanceOf(TransactionCanceledException);
    const reasons = (outcome as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code);
    expect(reasons).toEqual(['None', 'ConditionalCheckFailed']);
    const untouched = await dynamo.send(new GetItemCommand({ TableName: local.tableName, Key: item('C-new') }));
    expect(untouched.Item).toBeUndefined();
  });

  it('creates the table with TTL enabled on the expiry attribute', async () => {
    // Act
    const { TimeToLiveDescription } = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: local.tableName }));

    // Assess
    expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: TTL_ATTRIBUTE });
  });

  it('creates the table with the attention index of the shared definition', async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: local.tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([ATTENTION_INDEX.name]);
  });

  it("creates the table with the definition's stream, and without it when the caller reads no stream", async () => {
    // Prepare
    const streamLess = `${local.tableName}-no-stream`;
    await createTable(dynamo, streamLess, { stream: false });

    // Act
    const [withStream, withoutStream] = await Promise.all(
      [local.tableName, streamLess].map(async (TableName) => (await dynamo.send(new DescribeTableCommand({ TableName }))).Table),
    );

    // Assess
    expect(withStream?.StreamSpecification).toEqual(TABLE_DEFINITION.StreamSpecification);
    expect(withoutStream?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    expect(withoutStream?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([ATTENTION_INDEX.name]);
  });
});

describe('fauxqs, as the intake needs it', () => {
  it.each(['contracts', 'cases'] as const)('creates the %s queue with the shared visibility timeout and redrive policy to the one DLQ', async (queue) => {
    // Act
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: eventQueueUrls(queues)[queue], AttributeNames: ['All'] }),
    );

    // Assess
    expect(Attributes?.VisibilityTimeout).toBe(String(EVENTS_VISIBILITY_TIMEOUT_SECONDS));
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toMatchObject({
      deadLetterTargetArn: queues.deadLetterQueueArn,
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
  });

  it(`moves a message received ${MAX_RECEIVE_COUNT} times without being deleted to the DLQ`, async () => {
    // Prepare
    const body = JSON.stringify({ eventId: `poison-${local.queuePrefix}` });
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.casesQueueUrl, MessageBody: body }));
    const receivedCounts: number[] = [];

    // Act: every receive fails to delete; visibility 0 makes it visible again at once.
    for (let attempt = 0; attempt <= MAX_RECEIVE_COUNT; attempt += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queues.casesQueueUrl,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      receivedCounts.push(...Messages.map((message) => Number(message.Attributes?.ApproximateReceiveCount)));
    }
    const { Messages: deadLetters = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, WaitTimeSeconds: 1 }),
    );

    // Assess
    expect(receivedCounts).toEqual([1, 2, 3, 4, 5]);
    expect(deadLetters.map((message) => message.Body)).toEqual([body]);
  });
});

describe('aws-ses-v2-local, as the notifier needs it', () => {
  it('keeps an email sent with SES v2 SendEmail in its store', async () => {
    // Prepare
    const recipient = `${local.queuePrefix}@nordlys.example`;

    // Act
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'aftercare@provider.example',
        Destination: { ToAddresses: [recipient] },
        Content: {
          Simple: {
            Subject: { Data: 'Servicekreditt innvilget' },
            Body: { Text: { Data: 'Kreditt: 2 400,00 kr' }, Html: { Data: '<p>Kreditt: 2&nbsp;400,00&nbsp;kr</p>' } },
          },
        },
      }),
    );
    const stored = (await local.sesStore()).filter((email) => email.destination.to.includes(recipient));

    // Assess
    expect(MessageId).toEqual(expect.any(String));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ messageId: MessageId, subject: 'Servicekreditt innvilget' });
  });
});

describe('the Java check before DynamoDB Local starts', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_392"', 8],
    ['no version here', undefined],
  ])('reads the major version of %s', (output, major) => {
    expect(javaMajorVersion(output)).toBe(major);
  });

  it('says what is missing and how to install it when there is no java', async () => {
    // Act
    const outcome = await requireJava('java-not-installed-here').then(
      () => undefined,
      (error: unknown) => error,
    );

    // Assess
    expect(outcome).toBeInstanceOf(EmulatorError);
    expect((outcome as Error).message).toMatch(/needs Java 17\+ but `java-not-installed-here` is not on PATH: .*apt-get install openjdk-17-jdk-headless/);
  });
});
