/**
 * The stateful half of the stack: the table mapped from the shared definition, queues with dead letters,
 * encryption and TLS everywhere, retention, the integration policy and the outputs.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_INDEX, TABLE_DEFINITION, TTL_ATTRIBUTE } from '#store/table-definition.ts';
import { SYNTH_TIMEOUT_MS, synthesizeAftercare } from './synth.ts';
import { functionOf, logicalIdOf, resourcesOf, type PolicyStatementJson } from './template-queries.ts';

let template: Template;

beforeAll(() => {
  ({ template } = synthesizeAftercare());
}, SYNTH_TIMEOUT_MS);

const queueId = (prefix: string): string => logicalIdOf(template, 'AWS::SQS::Queue', prefix);

describe('the table', () => {
  it('has the keys, attributes and attention index of the shared table definition', () => {
    // Prepare / Act: synthesized once in beforeAll
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: TABLE_DEFINITION.KeySchema,
      AttributeDefinitions: Match.arrayEquals([...TABLE_DEFINITION.AttributeDefinitions]),
      GlobalSecondaryIndexes: [
        {
          IndexName: ATTENTION_INDEX.name,
          KeySchema: TABLE_DEFINITION.GlobalSecondaryIndexes[0].KeySchema,
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('is on-demand, streams new images, expires items by expiresAt and keeps 35 days of PITR', () => {
    expect(TTL_ATTRIBUTE).toBe('expiresAt');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('is encrypted with a KMS key and protected from deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('is retained when the stack is deleted or the table replaced', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('the queues', () => {
  it.each(['QueuesContracts', 'QueuesCases'])('%s sends an event to the one events dead-letter queue after 5 receives', (queue) => {
    expect(resourcesOf(template, 'AWS::SQS::Queue')[queueId(queue)]?.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [queueId('QueuesDeadLetters'), 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  it('keep dead letters for 14 days, longer than events are kept', () => {
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const retention = (id: string): number => queues[id]?.Properties.MessageRetentionPeriod as number;
    expect(retention(queueId('QueuesDeadLetters'))).toBe(14 * 24 * 3600);
    expect(retention(queueId('QueuesFailedInvocations'))).toBe(14 * 24 * 3600);
    expect(retention(queueId('QueuesContracts'))).toBeLessThan(retention(queueId('QueuesDeadLetters')));
    expect(retention(queueId('QueuesCases'))).toBeLessThan(retention(queueId('QueuesDeadLetters')));
  });

  it('hide a received event for at least 6 times the intake timeout', () => {
    const intakeTimeout = functionOf(template, 'intake').Properties.Timeout as number;
    for (const queue of ['QueuesContracts', 'QueuesCases']) {
      const events = resourcesOf(template, 'AWS::SQS::Queue')[queueId(queue)];
      expect(events?.Properties.VisibilityTimeout, queue).toBeGreaterThanOrEqual(6 * intakeTimeout);
    }
  });

  it('are every one encrypted at rest and retained', () => {
    const queues = Object.values(resourcesOf(template, 'AWS::SQS::Queue'));
    expect(queues).toHaveLength(4);
    for (const queue of queues) {
      expect(queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined).toBe(true);
      expect(queue.DeletionPolicy).toBe('Retain');
    }
  });

  it('every one refuses requests that do not use TLS', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
    for (const id of Object.keys(resourcesOf(template, 'AWS::SQS::Queue'))) {
      const policy = policies.find((candidate) =>
        (candidate.Properties.Queues as unknown[]).some((queue) => JSON.stringify(queue) === JSON.stringify({ Ref: id })),
      );
      const statements = (policy?.Properties.PolicyDocument as { Statement: PolicyStatementJson[] } | undefined)?.Statement;
      expect(statements, `queue ${id}`).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});

describe('the operations topic', () => {
  it('is encrypted with a rotating customer managed key', () => {
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', 'MonitoringTopicKey');
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('lets CloudWatch use the key, so alarms can publish to the encrypted topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
          }),
        ]),
      },
    });
  });

  it('refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('the integration sender policies: one per queue', () => {
  const policyOf = (prefix: string) => resourcesOf(template, 'AWS::IAM::ManagedPolicy')[logicalIdOf(template, 'AWS::IAM::ManagedPolicy', prefix)];

  it.each([
    ['ContractsSender', 'QueuesContracts'],
    ['CasesSender', 'QueuesCases'],
  ])('%s allows sqs:SendMessage on %s and nothing else', (policy, queue) => {
    expect(policyOf(policy)?.Properties.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId(queue), 'Arn'] } }],
    });
  });

  it('there are exactly the two sender policies', () => {
    expect(Object.keys(resourcesOf(template, 'AWS::IAM::ManagedPolicy'))).toHaveLength(2);
  });
});

describe('the outputs', () => {
  it('give integrators the queue URLs and the policy, and operators the table and the dashboard', () => {
    template.hasOutput('ContractsQueueUrl', { Value: { Ref: queueId('QueuesContracts') } });
    template.hasOutput('CasesQueueUrl', { Value: { Ref: queueId('QueuesCases') } });
    template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: queueId('QueuesDeadLetters') } });
    template.hasOutput('TableName', { Value: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'StoreTable') } });
    template.hasOutput('ContractsSenderPolicyArn', { Value: { Ref: logicalIdOf(template, 'AWS::IAM::ManagedPolicy', 'ContractsSender') } });
    template.hasOutput('CasesSenderPolicyArn', { Value: { Ref: logicalIdOf(template, 'AWS::IAM::ManagedPolicy', 'CasesSender') } });
    template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('console\\.aws\\.amazon\\.com/cloudwatch')])] },
    });
  });
});
