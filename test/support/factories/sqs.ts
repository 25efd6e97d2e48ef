/** Factories for what Lambda hands a function: SQS batches of event bodies and an invocation context. */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { queueOfBody, type EventQueue } from '#events/queues.ts';

export const CONTRACTS_QUEUE_ARN = 'arn:aws:sqs:eu-north-1:123456789012:aftercare-contracts';
export const CASES_QUEUE_ARN = 'arn:aws:sqs:eu-north-1:123456789012:aftercare-cases';
export const QUEUE_ARNS: Readonly<Record<EventQueue, string>> = { contracts: CONTRACTS_QUEUE_ARN, cases: CASES_QUEUE_ARN };

let recordsMade = 0;

export function anSqsRecord(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  recordsMade += 1;
  const messageId = overrides.messageId ?? `message-${recordsMade}`;
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795996800000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1795996800001',
    },
    messageAttributes: {},
    md5OfBody: 'not-checked-by-the-handler',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARNS[queueOfBody(body)],
    awsRegion: 'eu-north-1',
    ...overrides,
  };
}

/** A batch whose records carry the bodies in order, with message ids `m1`, `m2`, …. */
export function anSqsBatch(...bodies: readonly string[]): SQSEvent {
  return { Records: bodies.map((body, index) => anSqsRecord(body, { messageId: `m${index + 1}` })) };
}

/** A JSON body of a valid v1 case event; override any envelope field. */
export function aCaseEventBody(overrides: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({
    eventId: 'E-1',
    type: 'case.responded',
    occurredAt: '2026-11-28T09:00:00+01:00',
    contractId: 'C-1',
    caseId: 'CASE-1',
    ...overrides,
  });
}

export function aLambdaContext(functionName = 'aftercare-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-north-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'request-1',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/28/[$LATEST]stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
