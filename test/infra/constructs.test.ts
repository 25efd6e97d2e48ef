/**
 * The stateless constructs on their own, each in a bare Stack with the stateful constructs it is wired
 * to (as aws-solutions-constructs tests theirs): the properties that matter, the grants scoped to what
 * the function needs, and bad props refused at synth with the rule they break.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { ATTENTION_INDEX } from '#store/table-definition.ts';
import { AftercareFunction } from '#infra/constructs/aftercare-function.ts';
import { EventQueues } from '#infra/constructs/event-queues.ts';
import { Intake, requiredVisibilitySeconds, INTAKE_TIMEOUT } from '#infra/constructs/intake.ts';
import { StatefulStore } from '#infra/constructs/stateful-store.ts';
import { Sweep } from '#infra/constructs/sweep.ts';
import {
  EVENTS_VISIBILITY_TIMEOUT_SECONDS,
  INTAKE_BATCH_SIZE,
  INTAKE_BATCHING_WINDOW_SECONDS,
  INTAKE_MAX_CONCURRENCY,
  INTAKE_TIMEOUT_SECONDS,
  MAX_RECEIVE_COUNT,
} from '#infra/queue-settings.ts';
import { TEST_ENV } from './synth.ts';
import { actionsOf, functionOf, logicalIdOf, resourcesOf, roleStatementsOf, type PolicyStatementJson } from './template-queries.ts';

const settings = { catalog: loadDefaultCatalog() };

/** A stack of its own, templates only (no esbuild), with the table and the queues the constructs are wired to. */
function bareStack() {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'T', { env: TEST_ENV });
  const { table } = new StatefulStore(stack, 'Store');
  const queues = new EventQueues(stack, 'Queues');
  return { stack, table, queues };
}

function anIntake(overrides: Partial<ConstructorParameters<typeof Intake>[2]> = {}) {
  const { stack, table, queues } = bareStack();
  const intake = new Intake(stack, 'Intake', {
    table,
    queues: { contracts: queues.contracts, cases: queues.cases },
    deadLetters: queues.deadLetters,
    settings,
    ...overrides,
  });
  return { stack, intake, template: () => Template.fromStack(stack) };
}

const arnOf = (template: Template, type: string, prefix: string): unknown => ({ 'Fn::GetAtt': [logicalIdOf(template, type, prefix), 'Arn'] });

function statementsOn(template: Template, service: string, resource: unknown): PolicyStatementJson[] {
  return roleStatementsOf(template, service).filter((statement) =>
    (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).some((r) => JSON.stringify(r) === JSON.stringify(resource)),
  );
}

describe('Intake in a bare stack', () => {
  it('maps each event queue with ReportBatchItemFailures, the batch size, window and concurrency', () => {
    // Prepare / Act
    const template = anIntake().template();

    // Assess
    for (const queue of ['QueuesContracts', 'QueuesCases']) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(template, 'AWS::SQS::Queue', queue),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: INTAKE_BATCH_SIZE,
        MaximumBatchingWindowInSeconds: INTAKE_BATCHING_WINDOW_SECONDS,
        ScalingConfig: { MaximumConcurrency: INTAKE_MAX_CONCURRENCY },
      });
    }
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });

  it('runs on queues that redrive to the dead-letter queue, visible long enough for the function timeout and window', () => {
    // Prepare / Act
    const template = anIntake().template();

    // Assess
    for (const queue of ['QueuesContracts', 'QueuesCases']) {
      expect(resourcesOf(template, 'AWS::SQS::Queue')[logicalIdOf(template, 'AWS::SQS::Queue', queue)]?.Properties).toMatchObject({
        RedrivePolicy: { deadLetterTargetArn: arnOf(template, 'AWS::SQS::Queue', 'QueuesDeadLetters'), maxReceiveCount: MAX_RECEIVE_COUNT },
        VisibilityTimeout: EVENTS_VISIBILITY_TIMEOUT_SECONDS,
      });
    }
    expect(EVENTS_VISIBILITY_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(
      requiredVisibilitySeconds(INTAKE_TIMEOUT, Duration.seconds(INTAKE_BATCHING_WINDOW_SECONDS)),
    );
  });

  it('is a Node.js 22 ARM64 function of 512 MB and 30 s, told its queues and dead-letter queue', () => {
    // Prepare / Act
    const template = anIntake().template();

    // Assess
    const fn = functionOf(template, 'intake');
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 512, Timeout: INTAKE_TIMEOUT_SECONDS });
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      DLQ_URL: { Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'QueuesDeadLetters') },
      CONTRACTS_QUEUE_ARN: arnOf(template, 'AWS::SQS::Queue', 'QueuesContracts'),
      CASES_QUEUE_ARN: arnOf(template, 'AWS::SQS::Queue', 'QueuesCases'),
      TABLE_NAME: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'StoreTable') },
    });
  });

  it('may send to the dead-letter queue only, consume its two queues, and use the table items and keys, not the index', () => {
    // Prepare / Act
    const template = anIntake().template();

    // Assess
    expect(statementsOn(template, 'intake', arnOf(template, 'AWS::SQS::Queue', 'QueuesDeadLetters')).flatMap(actionsOf)).toEqual(['sqs:SendMessage']);
    for (const queue of ['QueuesContracts', 'QueuesCases']) {
      expect(statementsOn(template, 'intake', arnOf(template, 'AWS::SQS::Queue', queue)).flatMap(actionsOf)).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      );
      expect(statementsOn(template, 'intake', arnOf(template, 'AWS::SQS::Queue', queue)).flatMap(actionsOf)).not.toContain('sqs:SendMessage');
    }
    expect(statementsOn(template, 'intake', arnOf(template, 'AWS::DynamoDB::Table', 'StoreTable')).flatMap(actionsOf).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(JSON.stringify(roleStatementsOf(template, 'intake'))).not.toContain('/index/');
    expect(roleStatementsOf(template, 'intake').filter((statement) => statement.Resource === '*')).toEqual([]);
  });

  it('takes a batching window the queues still allow', () => {
    const slack = EVENTS_VISIBILITY_TIMEOUT_SECONDS - requiredVisibilitySeconds(INTAKE_TIMEOUT, Duration.seconds(0));
    expect(() => anIntake({ maxBatchingWindow: Duration.seconds(slack) })).not.toThrow();
  });

  it('refuses a batching window that breaks visibility ≥ 6 × timeout + window', () => {
    const slack = EVENTS_VISIBILITY_TIMEOUT_SECONDS - requiredVisibilitySeconds(INTAKE_TIMEOUT, Duration.seconds(0));
    expect(() => anIntake({ maxBatchingWindow: Duration.seconds(slack + 1) })).toThrow(
      /Intake: the contracts queue's visibility timeout \(182 s\) must be at least 6 × the function timeout \(30 s\) \+ maxBatchingWindow \(3 s\) = 183 s/,
    );
  });

  it('refuses a queue whose visibility timeout is too short for the function timeout', () => {
    // Prepare
    const { stack, table, queues } = bareStack();
    const short = new Queue(stack, 'Short', {
      visibilityTimeout: Duration.seconds(INTAKE_TIMEOUT_SECONDS),
      deadLetterQueue: { queue: queues.deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    // Act / Assess
    expect(() => new Intake(stack, 'Intake', { table, queues: { contracts: queues.contracts, cases: short }, deadLetters: queues.deadLetters, settings })).toThrow(
      /the cases queue's visibility timeout \(30 s\) must be at least/,
    );
  });

  it('refuses a queue without a redrive policy', () => {
    // Prepare
    const { stack, table, queues } = bareStack();
    const undrained = new Queue(stack, 'Undrained', { visibilityTimeout: Duration.seconds(EVENTS_VISIBILITY_TIMEOUT_SECONDS) });

    // Act / Assess
    expect(
      () => new Intake(stack, 'Intake', { table, queues: { contracts: undrained, cases: queues.cases }, deadLetters: queues.deadLetters, settings }),
    ).toThrow(/Intake: the contracts queue needs a redrive policy \(deadLetterQueue\)/);
  });

  it('trusts an imported queue, whose settings it cannot see', () => {
    // Prepare
    const { stack, table, queues } = bareStack();
    const imported = Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-north-1:123456789012:elsewhere');

    // Act / Assess
    expect(() => new Intake(stack, 'Intake', { table, queues: { contracts: imported, cases: queues.cases }, deadLetters: queues.deadLetters, settings })).not.toThrow();
  });

  it.each([0, 11, 2.5])('refuses a batch size of %s', (batchSize) => {
    expect(() => anIntake({ batchSize })).toThrow(/Intake: batchSize must be a whole number from 1 to 10/);
  });
});

describe('Sweep in a bare stack', () => {
  function aSweep(timeout?: Duration) {
    const { stack, table, queues } = bareStack();
    new Sweep(stack, 'Sweep', { table, settings, failedInvocations: queues.failedInvocations, ...(timeout === undefined ? {} : { timeout }) });
    return Template.fromStack(stack);
  }

  it('runs every minute for at most 50 s, the schedule retrying into the failed-invocations queue, Lambda not retrying', () => {
    // Prepare / Act
    const template = aSweep();

    // Assess
    expect(functionOf(template, 'sweep').Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 512, Timeout: 50 });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        DeadLetterConfig: { Arn: arnOf(template, 'AWS::SQS::Queue', 'QueuesFailedInvocations') },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 },
      }),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
  });

  it('queries the attention index and the table, and may not touch any queue', () => {
    // Prepare / Act
    const template = aSweep();
    const tableArn = arnOf(template, 'AWS::DynamoDB::Table', 'StoreTable');

    // Assess
    expect(statementsOn(template, 'sweep', tableArn).flatMap(actionsOf)).toContain('dynamodb:Query');
    const indexArn = { 'Fn::Join': ['', [tableArn, `/index/${ATTENTION_INDEX.name}`]] };
    expect(statementsOn(template, 'sweep', indexArn).flatMap(actionsOf)).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(roleStatementsOf(template, 'sweep'))).not.toContain('sqs:');
  });

  it('takes a timeout just under the minute', () => {
    expect(() => aSweep(Duration.seconds(59))).not.toThrow();
  });

  it.each([60, 90])('refuses a timeout of %s s: it runs every minute', (seconds) => {
    expect(() => aSweep(Duration.seconds(seconds))).toThrow(new RegExp(`Sweep: timeout \\(${seconds} s\\) must be under 60 s`));
  });
});

describe('AftercareFunction in a bare stack', () => {
  function aFunction(props: Partial<ConstructorParameters<typeof AftercareFunction>[2]> = {}) {
    const { stack, table } = bareStack();
    const fn = new AftercareFunction(stack, 'Fn', { name: 'lifecycle', description: 'bare', settings, ...props });
    return { stack, table, fn, template: () => Template.fromStack(stack) };
  }

  it('has the defaults: Node.js 22 on ARM64, 512 MB, 30 s, source maps and the Powertools settings', () => {
    // Prepare / Act
    const template = aFunction({ environment: { OPERATOR_EMAIL: 'ops@aftercare.example' } }).template();

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 30,
      Handler: 'index.handler',
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'lifecycle',
          POWERTOOLS_METRICS_NAMESPACE: 'Aftercare',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          OPERATOR_EMAIL: 'ops@aftercare.example',
        },
      },
    });
  });

  it('logs to its own log group, kept three months and retained, and may write to that group only', () => {
    // Prepare / Act
    const template = aFunction().template();

    // Assess
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 90 }, DeletionPolicy: 'Retain' });
    const logGroupArn = arnOf(template, 'AWS::Logs::LogGroup', 'FnLogs');
    const logStatements = roleStatementsOf(template, 'lifecycle').filter((statement) => actionsOf(statement).some((action) => action.startsWith('logs:')));
    expect(logStatements.map((statement) => statement.Resource)).toEqual([logGroupArn]);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  it('takes the log retention and level from the settings', () => {
    const template = aFunction({ settings: { ...settings, logRetention: RetentionDays.ONE_WEEK, logLevel: 'DEBUG' } }).template();
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) } });
  });

  it('bindTable grants exactly the access asked for, limited to the partitions named, and tells the table name', () => {
    // Prepare
    const { fn, table, template } = aFunction();

    // Act
    fn.bindTable(table, { items: ['GetItem', 'UpdateItem'], partitions: ['CONTRACT#*'] });

    // Assess
    const synthesized = template();
    const tableArn = arnOf(synthesized, 'AWS::DynamoDB::Table', 'StoreTable');
    expect(statementsOn(synthesized, 'lifecycle', tableArn)).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONTRACT#*'] } },
      },
    ]);
    expect(JSON.stringify(roleStatementsOf(synthesized, 'lifecycle'))).not.toContain('/index/');
    synthesized.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: logicalIdOf(synthesized, 'AWS::DynamoDB::Table', 'StoreTable') } }) },
    });
  });

  it.each([64, 10_241, 300.5])('refuses a memory size of %s MB', (memorySize) => {
    expect(() => aFunction({ memorySize })).toThrow(/AftercareFunction lifecycle: memorySize must be a whole number of MB from 128 to 10240/);
  });

  it.each(['TABLE_NAME', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS'])('refuses an environment that sets its own %s', (name) => {
    expect(() => aFunction({ environment: { [name]: 'mine' } })).toThrow(new RegExp(`AftercareFunction lifecycle: environment may not set ${name}`));
  });
});
