/**
 * The one table's shape, read by both the CDK stack and the local stack so they cannot drift.
 * Item types and access patterns are documented in docs/data-model.md.
 */

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Sparse index of things that need attention at an instant or on a date: due case clocks, pending
 * notices, parked events, contracts due for the lifecycle job. Items leave it by dropping `apk`.
 */
export const ATTENTION_INDEX = {
  name: 'attention',
  partitionKey: 'apk',
  sortKey: 'ask',
} as const;

/** Shard counts of the attention index partitions, per kind (see docs/data-model.md for why). */
export const ATTENTION_SHARDS = {
  case: 16,
  notice: 4,
  parked: 2,
  lifecycle: 4,
} as const;

export type AttentionKind = keyof typeof ATTENTION_SHARDS;

/** The definition as DynamoDB's CreateTable takes it (the local stack); the CDK construct maps it too. */
export const TABLE_DEFINITION = {
  AttributeDefinitions: [
    { AttributeName: PARTITION_KEY, AttributeType: 'S' },
    { AttributeName: SORT_KEY, AttributeType: 'S' },
    { AttributeName: ATTENTION_INDEX.partitionKey, AttributeType: 'S' },
    { AttributeName: ATTENTION_INDEX.sortKey, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
    { AttributeName: SORT_KEY, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: ATTENTION_INDEX.name,
      KeySchema: [
        { AttributeName: ATTENTION_INDEX.partitionKey, KeyType: 'HASH' },
        { AttributeName: ATTENTION_INDEX.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
} as const;
