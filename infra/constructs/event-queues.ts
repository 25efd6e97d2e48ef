/**
 * The queues: integrations' two event queues (docs/design.md#6-the-event-contract-v1: contract events from a CRM or billing system on
 * `contracts`, case events from helpdesks and field-service tools on `cases`, each with its own sender
 * policy) sharing one dead-letter queue (poison, wrong queue, exhausted retries), and one dead-letter
 * queue for asynchronous failures (schedules that could not run, stream batches the notifier gave up
 * on), so neither kind is lost silently.
 *
 * One events DLQ for both: the intake function dead-letters an event on the wrong queue itself, so the
 * DLQ holds messages of either queue whatever their origin; one place for an operator to look, one
 * alarm, and `aftercare dlq redrive` routes each message by its type (`queueOf`) back to the queue it
 * belongs on — not to where it came from, which for a wrong-queue message is the wrong one.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  EVENTS_RETENTION_DAYS,
  EVENTS_VISIBILITY_TIMEOUT_SECONDS,
  MAX_RECEIVE_COUNT,
} from '../queue-settings.ts';
import { deadLetterQueue, secureQueue } from './secure-queue.ts';

export interface EventQueuesProps {
  /**
   * What happens to the queues when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class EventQueues extends Construct {
  /** `contract.*` events (and later `pool.*`, `loan.*`): see `queueOf` in shared/events/queues.ts. */
  readonly contracts: Queue;
  /** `case.*` events. */
  readonly cases: Queue;
  readonly deadLetters: Queue;
  readonly failedInvocations: Queue;

  constructor(scope: Construct, id: string, props: EventQueuesProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', removalPolicy);
    const eventQueue = (queueId: string): Queue =>
      secureQueue(this, queueId, {
        visibilityTimeout: Duration.seconds(EVENTS_VISIBILITY_TIMEOUT_SECONDS),
        retentionPeriod: Duration.days(EVENTS_RETENTION_DAYS),
        deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
        removalPolicy,
      });
    this.contracts = eventQueue('Contracts');
    this.cases = eventQueue('Cases');
    this.failedInvocations = deadLetterQueue(this, 'FailedInvocations', removalPolicy);
    Validations.of(this.failedInvocations).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: of the Scheduler schedules (DeadLetterConfig), the lifecycle ' +
        "function's failed async runs, the notifier's stream mapping and the feedback function's SES events " +
        '(on-failure destinations and the EventBridge rule target\'s DeadLetterConfig), which ' +
        'cdk-nag only recognises as a DLQ when it is a redrive target.',
    });
  }
}
