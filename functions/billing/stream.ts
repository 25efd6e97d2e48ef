/**
 * Between DynamoDB Stream records and billing outbox refs. The local stack, which has no stream, builds
 * the same event for the outbox items a commit wrote (`billingStreamEvent`).
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { billingItemKey } from '#store/dynamo-billing-outbox-repository.ts';
import { BILLING_OUTBOX, type BillingSourceRef } from '#store/billing-outbox-repository.ts';
import { contractIdOfPk, SK_PREFIX } from '#store/keys.ts';

/** The outbox item a record is about, or null for any other item (the stream filter should prevent it). */
export function billingRefOf(record: DynamoDBRecord): BillingSourceRef | null {
  const pk = record.dynamodb?.Keys?.pk?.S;
  const sk = record.dynamodb?.Keys?.sk?.S;
  if (pk === undefined || sk === undefined || !pk.startsWith('CONTRACT#')) return null;
  const contractId = contractIdOfPk(pk);
  if (sk.startsWith(SK_PREFIX.notice)) return { kind: 'notice', contractId, noticeId: sk.slice(SK_PREFIX.notice.length) };
  const ledger = /^LEDGER#(\d{4})#(\d{6})$/.exec(sk);
  if (ledger === null) return null;
  return { kind: 'credits', contractId, yearIndex: Number(ledger[1]), firstSeq: Number(ledger[2]) };
}

let sequence = 0;

/** A stream event as Lambda would hand it for `refs`, each record's new image a pending outbox item. */
export function billingStreamEvent(refs: readonly BillingSourceRef[]): DynamoDBStreamEvent {
  return {
    Records: refs.map((ref): DynamoDBRecord => {
      const { pk, sk } = billingItemKey(ref);
      sequence += 1;
      const sequenceNumber = String(sequence).padStart(21, '0');
      return {
        eventID: `local-billing-${sequenceNumber}`,
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        eventVersion: '1.1',
        awsRegion: 'local',
        eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/aftercare/stream/local',
        dynamodb: {
          Keys: { pk: { S: pk }, sk: { S: sk } },
          NewImage: { pk: { S: pk }, sk: { S: sk }, [BILLING_OUTBOX.attribute]: { S: BILLING_OUTBOX.pending } },
          SequenceNumber: sequenceNumber,
          StreamViewType: 'NEW_IMAGE',
        },
      };
    }),
  };
}
