/**
 * The managed policy an integration attaches to its role or user: it may put events on one event queue
 * and do nothing else (no receive, no purge, no other queue). One per queue (docs/design.md#6-the-event-contract-v1): a CRM or billing
 * system gets the contracts policy, a helpdesk or field-service tool the cases policy, so a helpdesk can
 * never register a contract (and with it an address that receives the customer's notices).
 */
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface IntegrationSenderPolicyProps {
  /** The one queue the policy allows sending to. */
  readonly queue: IQueue;
  /** What the queue takes, for the policy's description: e.g. `contract events (contract.*)`. */
  readonly carries: string;
}

export class IntegrationSenderPolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: IntegrationSenderPolicyProps) {
    super(scope, id);
    // The queue uses SQS-managed encryption, so senders need no KMS permission.
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `Lets an integration send Aftercare ${props.carries} (v1) to its queue, nothing else`,
      statements: [new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.queue.queueArn] })],
    });
  }
}
