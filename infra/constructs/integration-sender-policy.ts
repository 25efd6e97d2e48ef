/**
 * The managed policy integrations attach to their role or user: they may put events on the events queue
 * and do nothing else (no receive, no purge, no other queue).
 */
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface IntegrationSenderPolicyProps {
  readonly events: IQueue;
}

export class IntegrationSenderPolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: IntegrationSenderPolicyProps) {
    super(scope, id);
    // The queue uses SQS-managed encryption, so senders need no KMS permission.
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: 'Lets an integration send Aftercare events (v1) to the events queue, nothing else',
      statements: [new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.events.queueArn] })],
    });
  }
}
