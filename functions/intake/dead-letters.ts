/**
 * Where poison messages go: the DLQ, with the original body untouched and the reason as message
 * attributes, so an operator can read why and redrive after a fix.
 */
import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';

export interface DeadLetterAttributes {
  readonly errorCode: string;
  readonly errorPath: string;
  readonly errorMessage: string;
  readonly sourceMessageId: string;
}

export interface DeadLetterSink {
  send(body: string, attributes: DeadLetterAttributes): Promise<void>;
}

// SQS refuses empty attribute values and characters outside its XML set; the whole message (body and
// attributes) must stay under 256 KiB, so a reason is cut well before that.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
export const MAX_ATTRIBUTE_LENGTH = 1024;
const OUTSIDE_SQS_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function sqsDeadLetterSink(sqs: SQSClient, queueUrl: string): DeadLetterSink {
  return {
    async send(body, attributes) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: {
            errorCode: stringAttribute(attributes.errorCode),
            errorPath: stringAttribute(attributes.errorPath),
            errorMessage: stringAttribute(attributes.errorMessage),
            sourceMessageId: stringAttribute(attributes.sourceMessageId),
          },
        }),
      );
    },
  };
}

function stringAttribute(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: attributeValue(value) };
}

/** A value SQS accepts as a String attribute: non-empty, allowed characters, at most MAX_ATTRIBUTE_LENGTH code points. */
export function attributeValue(value: string): string {
  const characters = Array.from(value.replace(OUTSIDE_SQS_CHARACTERS, '\uFFFD'));
  if (characters.length === 0) return '(none)';
  if (characters.length <= MAX_ATTRIBUTE_LENGTH) return characters.join('');
  return `${characters.slice(0, MAX_ATTRIBUTE_LENGTH - 1).join('')}…`;
}
