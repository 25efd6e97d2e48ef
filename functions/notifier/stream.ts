/**
 * Between DynamoDB Stream records and notice refs. The local stack, which has no stream to read, builds
 * the same event from the notices it wants delivered (`noticeStreamEvent`).
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { noticeKey, OPS_PARTITION, SK_PREFIX, contractIdOfPk } from '#store/keys.ts';
import type { NoticeRef } from '#store/notice-repository.ts';

/** The ref of the notice a record is about, or null for any other item (the stream filter should prevent it). */
export function noticeRefOf(record: DynamoDBRecord): NoticeRef | null {
  const pk = record.dynamodb?.Keys?.pk?.S;
  const sk = record.dynamodb?.Keys?.sk?.S;
  if (pk === undefined || sk === undefined || !sk.startsWith(SK_PREFIX.notice)) return null;
  if (record.dynamodb?.NewImage?.entity?.S !== 'notice') return null;
  return { contractId: pk === OPS_PARTITION ? null : contractIdOfPk(pk), id: sk.slice(SK_PREFIX.notice.length) };
}

let sequence = 0;

/** A stream event as Lambda would hand it for `refs`, each record's new image a pending notice. */
export function noticeStreamEvent(refs: readonly NoticeRef[]): DynamoDBStreamEvent {
  return {
    Records: refs.map((ref): DynamoDBRecord => {
      const { pk, sk } = noticeKey(ref.contractId, ref.id);
      sequence += 1;
      const sequenceNumber = String(sequence).padStart(21, '0');
      return {
        eventID: `local-${sequenceNumber}`,
        eventName: 'MODIFY',
        eventSource: 'aws:dynamodb',
        eventVersion: '1.1',
        awsRegion: 'local',
        eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/aftercare/stream/local',
        dynamodb: {
          Keys: { pk: { S: pk }, sk: { S: sk } },
          NewImage: { pk: { S: pk }, sk: { S: sk }, id: { S: ref.id }, entity: { S: 'notice' }, state: { S: 'pending' } },
          SequenceNumber: sequenceNumber,
          StreamViewType: 'NEW_IMAGE',
        },
      };
    }),
  };
}
