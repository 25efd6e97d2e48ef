import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { attributeValue, MAX_ATTRIBUTE_LENGTH, sqsDeadLetterSink } from '#functions/intake/dead-letters.ts';

const DLQ_URL = 'https://sqs.eu-north-1.amazonaws.com/123456789012/aftercare-events-dlq';
const SQS_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const sqs = mockClient(SQSClient);

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dead-letter-1' });
});

describe('dead-letter attributes', () => {
  it('are always a non-empty string SQS accepts, at most the safe length, whatever the reason says', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (reason) => {
        // Act
        const value = attributeValue(reason);

        // Assess
        expect(value.length).toBeGreaterThan(0);
        expect(Array.from(value).length).toBeLessThanOrEqual(MAX_ATTRIBUTE_LENGTH);
        expect(value).toMatch(SQS_CHARACTERS);
      }),
      { numRuns: 1_000 },
    );
  });

  it('keep a short valid reason as it is', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: MAX_ATTRIBUTE_LENGTH }).filter((s) => SQS_CHARACTERS.test(s)), (reason) => {
        expect(attributeValue(reason)).toBe(reason);
      }),
      { numRuns: 1_000 },
    );
  });

  it('cut a long reason and mark the cut', () => {
    // Prepare
    const reason = 'x'.repeat(MAX_ATTRIBUTE_LENGTH * 3);

    // Act
    const value = attributeValue(reason);

    // Assess
    expect(value).toBe(`${'x'.repeat(MAX_ATTRIBUTE_LENGTH - 1)}…`);
  });
});

describe('the SQS dead-letter sink', () => {
  it('sends the body untouched with every attribute as a non-empty String attribute', async () => {
    // Prepare
    const sink = sqsDeadLetterSink(new SQSClient({}), DLQ_URL);
    const body = '  {"not": "quite json" \u00e6\u00f8\u00e5  ';

    // Act
    await sink.send(body, { errorCode: 'POISON_MESSAGE', errorPath: '', errorMessage: 'body is not JSON', sourceMessageId: 'm1' });

    // Assess
    expect(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: DLQ_URL,
        MessageBody: body,
        MessageAttributes: {
          errorCode: { DataType: 'String', StringValue: 'POISON_MESSAGE' },
          errorPath: { DataType: 'String', StringValue: '(none)' },
          errorMessage: { DataType: 'String', StringValue: 'body is not JSON' },
          sourceMessageId: { DataType: 'String', StringValue: 'm1' },
        },
      },
    ]);
  });

  it('lets a refused send throw, so the caller fails the record', async () => {
    // Prepare
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDenied' }));
    const sink = sqsDeadLetterSink(new SQSClient({}), DLQ_URL);

    // Act
    const sending = sink.send('x', { errorCode: 'POISON_MESSAGE', errorPath: '$', errorMessage: 'm', sourceMessageId: 'm1' });

    // Assess
    await expect(sending).rejects.toThrow('Access denied');
  });
});
