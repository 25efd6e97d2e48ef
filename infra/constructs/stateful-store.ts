/**
 * The one DynamoDB table (docs/design.md#1-shape), mapped from the shared TABLE_DEFINITION that the local stack also
 * creates, so keys and the attention index cannot drift between AWS and the emulator.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DEFINITION, TTL_ATTRIBUTE } from '#store/table-definition.ts';

export interface StatefulStoreProps {
  /**
   * What happens to the table when the stack is deleted or the table replaced.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

type KeyElement = { readonly AttributeName: string; readonly KeyType: 'HASH' | 'RANGE' };

const ATTRIBUTE_TYPES = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;
const PROJECTIONS = { KEYS_ONLY: ProjectionType.KEYS_ONLY, ALL: ProjectionType.ALL, INCLUDE: ProjectionType.INCLUDE } as const;
const BILLING_MODES = { PAY_PER_REQUEST: BillingMode.PAY_PER_REQUEST, PROVISIONED: BillingMode.PROVISIONED } as const;
const STREAM_VIEWS = {
  NEW_IMAGE: StreamViewType.NEW_IMAGE,
  OLD_IMAGE: StreamViewType.OLD_IMAGE,
  NEW_AND_OLD_IMAGES: StreamViewType.NEW_AND_OLD_IMAGES,
  KEYS_ONLY: StreamViewType.KEYS_ONLY,
} as const;

function attribute(keySchema: readonly KeyElement[], keyType: KeyElement['KeyType']): Attribute {
  const name = keySchema.find((element) => element.KeyType === keyType)?.AttributeName;
  const definition = TABLE_DEFINITION.AttributeDefinitions.find((candidate) => candidate.AttributeName === name);
  if (definition === undefined) throw new Error(`TABLE_DEFINITION has no attribute definition for its ${keyType} key`);
  return { name: definition.AttributeName, type: ATTRIBUTE_TYPES[definition.AttributeType] };
}

export class StatefulStore extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StatefulStoreProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(TABLE_DEFINITION.KeySchema, 'HASH'),
      sortKey: attribute(TABLE_DEFINITION.KeySchema, 'RANGE'),
      billingMode: BILLING_MODES[TABLE_DEFINITION.BillingMode],
      stream: STREAM_VIEWS[TABLE_DEFINITION.StreamSpecification.StreamViewType],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS managed key (aws/dynamodb): key use shows in CloudTrail, and no key policy to keep in step.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    for (const index of TABLE_DEFINITION.GlobalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName,
        partitionKey: attribute(index.KeySchema, 'HASH'),
        sortKey: attribute(index.KeySchema, 'RANGE'),
        projectionType: PROJECTIONS[index.Projection.ProjectionType],
      });
    }
  }
}
