/** An SQS queue with the defaults every Aftercare queue shares: SQS-managed encryption, TLS only. */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEAD_LETTER_RETENTION_DAYS } from '../queue-settings.ts';

// SQS-managed SSE rather than a customer key: senders (integrations, Scheduler, Lambda) need no KMS grants.
export function secureQueue(scope: Construct, id: string, props: QueueProps & { removalPolicy: RemovalPolicy }): Queue {
  return new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
}

export function deadLetterQueue(scope: Construct, id: string, removalPolicy: RemovalPolicy): Queue {
  return secureQueue(scope, id, { retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS), removalPolicy });
}
