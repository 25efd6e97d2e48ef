/**
 * The functions: one shape for all (runtime, bundle, logs, Powertools), how each is triggered, and that
 * each role grants what its function needs and nothing more.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { FUNCTION_NAMES } from '#infra/bundling.ts';
import { OPERATOR_EMAIL, SENDER_EMAIL, SYNTH_TIMEOUT_MS, synthesizeAftercare } from './synth.ts';
import {
  actionsOf,
  allIdentityStatements,
  functionIdOf,
  functionOf,
  logicalIdOf,
  resourceList,
  resourcesOf,
  roleStatementsOf,
  type PolicyStatementJson,
} from './template-queries.ts';

let template: Template;
let outdir: string;

beforeAll(() => {
  const synthesized = synthesizeAftercare({ bundle: true });
  template = synthesized.template;
  outdir = synthesized.app.outdir;
}, SYNTH_TIMEOUT_MS);

const tableArn = (): unknown => ({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::DynamoDB::Table', 'StoreTable'), 'Arn'] });
const queueArn = (prefix: string): unknown => ({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', prefix), 'Arn'] });
const environmentOf = (service: string): Record<string, unknown> =>
  (functionOf(template, service).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

function statementOn(statements: PolicyStatementJson[], resource: unknown): PolicyStatementJson | undefined {
  return statements.find((statement) => JSON.stringify(statement.Resource) === JSON.stringify(resource));
}

function actionsOn(service: string, resource: unknown): string[] {
  const statement = statementOn(roleStatementsOf(template, service), resource);
  return statement === undefined ? [] : actionsOf(statement).sort();
}

describe('every function', () => {
  it('runs Node.js 22 on ARM64 from an ESM bundle', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(FUNCTION_NAMES.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    }
  });

  it('logs to its own log group with a retention, and carries the Powertools settings', () => {
    for (const service of FUNCTION_NAMES) {
      const fn = functionOf(template, service);
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(environmentOf(service)).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: service,
        POWERTOOLS_METRICS_NAMESPACE: 'Aftercare',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        TABLE_NAME: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'StoreTable') },
      });
    }
  });

  it('is bundled as ESM with require defined, a source map, and the compiled catalog embedded', () => {
    // Prepare
    const code = functionOf(template, 'intake').Properties.Code as { S3Key: string };
    const assetDir = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    const calendarNames = Object.keys(loadDefaultCatalog().calendars);
    // Act
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    // Assess
    expect(bundle.split('\n')[0]).toMatch(/createRequire.*const require\s*=/);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    // (Booleans, not toContain: a failure would print the whole bundle.)
    for (const name of calendarNames) expect(bundle.includes(`"${name}"`), `calendar ${name} embedded`).toBe(true);
    expect(bundle.includes('typeof AFTERCARE_COMPILED_CATALOG'), 'identifier replaced by define').toBe(false);
  });
});

describe('intake', () => {
  it.each(['QueuesContracts', 'QueuesCases'])(
    'drains the %s queue in batches, reporting failed records one by one, with bounded concurrency',
    (queue) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: queueArn(queue),
        FunctionName: { Ref: functionIdOf(template, 'intake') },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumBatchingWindowInSeconds: Match.anyValue(),
        ScalingConfig: { MaximumConcurrency: Match.anyValue() },
      });
      const mapping = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).find(
        (candidate) => JSON.stringify(candidate.Properties.EventSourceArn) === JSON.stringify(queueArn(queue)),
      );
      expect(mapping?.Properties.MaximumBatchingWindowInSeconds).toBeGreaterThan(0);
      const scaling = mapping?.Properties.ScalingConfig as { MaximumConcurrency: number } | undefined;
      expect(scaling?.MaximumConcurrency).toBeGreaterThanOrEqual(2);
    },
  );

  it('has exactly two event source mappings, one per event queue', () => {
    const intakeMappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter(
      (candidate) => JSON.stringify(candidate.Properties.FunctionName) === JSON.stringify({ Ref: functionIdOf(template, 'intake') }),
    );
    expect(intakeMappings.map((m) => m.Properties.EventSourceArn)).toEqual([queueArn('QueuesContracts'), queueArn('QueuesCases')]);
  });

  it('knows which queue is which, so it can dead-letter an event on the wrong one', () => {
    expect(environmentOf('intake').CONTRACTS_QUEUE_ARN).toEqual(queueArn('QueuesContracts'));
    expect(environmentOf('intake').CASES_QUEUE_ARN).toEqual(queueArn('QueuesCases'));
  });

  it('knows the dead-letter queue and may only send to it', () => {
    expect(environmentOf('intake').DLQ_URL).toEqual({ Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'QueuesDeadLetters') });
    expect(actionsOn('intake', queueArn('QueuesDeadLetters'))).toEqual(['sqs:SendMessage']);
  });

  it('reads and writes items (the parts of TransactWriteItems) and queries the table, not the index', () => {
    expect(actionsOn('intake', tableArn())).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(JSON.stringify(roleStatementsOf(template, 'intake'))).not.toContain('/index/');
  });
});

describe('sweep and lifecycle', () => {
  it('sweep runs every minute, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: {
        Arn: { 'Fn::GetAtt': [functionIdOf(template, 'sweep'), 'Arn'] },
        DeadLetterConfig: { Arn: queueArn('QueuesFailedInvocations') },
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue() },
      },
    });
  });

  it('lifecycle runs daily at 06:00 Oslo time, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Oslo',
      Target: {
        Arn: { 'Fn::GetAtt': [functionIdOf(template, 'lifecycle'), 'Arn'] },
        DeadLetterConfig: { Arn: queueArn('QueuesFailedInvocations') },
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue() },
      },
    });
  });

  it.each(['intake', 'lifecycle'])('%s may read the pool partitions (POOLS, POOL#…): Query and the items of a draw or a loan notice', (service) => {
    // docs/design.md#10-service-structures-loan-units-and-spare-parts-pools: intake draws units, the lifecycle reminds loans.
    const actions = actionsOn(service, tableArn());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']));
    const leadingKeys = roleStatementsOf(template, service).flatMap((statement) => {
      const condition = (statement.Condition as Record<string, Record<string, string[]>> | undefined)?.['ForAllValues:StringLike'];
      return condition?.['dynamodb:LeadingKeys'] ?? [];
    });
    if (leadingKeys.length > 0) expect(leadingKeys).toEqual(expect.arrayContaining(['POOLS', 'POOL#*']));
  });

  it.each(['sweep', 'lifecycle'])('%s may query the attention index by its exact ARN', (service) => {
    const indexArn = { 'Fn::Join': ['', [tableArn(), '/index/attention']] };
    expect(actionsOn(service, indexArn)).toEqual(['dynamodb:Query']);
  });
});

describe('notices', () => {
  it('the notifier is woken only for pending notices, bisects failing batches and keeps what it gives up on', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionIdOf(template, 'notifier') },
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: queueArn('QueuesFailedInvocations') } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({ dynamodb: { NewImage: { entity: { S: ['notice'] }, state: { S: ['pending'] } } } }),
          },
        ],
      },
    });
  });

  it('the notifier knows the sender, the operator and the configuration set', () => {
    expect(environmentOf('notifier')).toMatchObject({
      SENDER_EMAIL,
      OPERATOR_EMAIL,
      SES_CONFIGURATION_SET: { Ref: logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'NoticesConfigurationSet') },
    });
  });

  it('the notifier may send email only from the sender identity, through the configuration set', () => {
    const sesStatements = roleStatementsOf(template, 'notifier').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('ses:')),
    );
    expect(sesStatements).toHaveLength(1);
    const [send] = sesStatements;
    expect(send?.Action).toBe('ses:SendEmail');
    expect(send?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': SENDER_EMAIL } });
    const resources = JSON.stringify(send === undefined ? [] : resourceList(send));
    expect(resources).toContain(`:identity/",{"Ref":"${logicalIdOf(template, 'AWS::SES::EmailIdentity', 'NoticesSender')}"}`);
    expect(resources).toContain(':configuration-set/');
    expect(resources).not.toContain('*');
  });

  it('the sender identity uses the configuration set, which records reputation metrics', () => {
    const configurationSet = logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'NoticesConfigurationSet');
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: SENDER_EMAIL,
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSet } },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { ReputationOptions: { ReputationMetricsEnabled: true } });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSet },
      EventDestination: { Enabled: true, MatchingEventTypes: Match.arrayWith(['bounce', 'complaint', 'reject']) },
    });
  });

  it('the notifier reads, leases and settles notices on the table, and cannot delete or use the index', () => {
    expect(actionsOn('notifier', tableArn())).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(JSON.stringify(roleStatementsOf(template, 'notifier'))).not.toContain('/index/');
  });
});

describe('billing', () => {
  const busArn = (): unknown => ({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Events::EventBus', 'BillingBus'), 'Arn'] });

  it('the stack has its own billing event bus, and says its ARN', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasOutput('BillingEventBusArn', { Value: busArn() });
  });

  it('the publisher is woken only for pending billing outbox items, bisects failing batches and keeps what it gives up on', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionIdOf(template, 'billing') },
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: queueArn('QueuesFailedInvocations') } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { billing: { S: ['pending'] } } } }) }] },
    });
  });

  it('the publisher may put events on the billing bus only', () => {
    const eventStatements = roleStatementsOf(template, 'billing').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('events:')),
    );
    expect(eventStatements).toHaveLength(1);
    const [put] = eventStatements;
    expect(put?.Action).toBe('events:PutEvents');
    expect(put?.Resource).toEqual(busArn());
    for (const other of FUNCTION_NAMES.filter((name) => name !== 'billing')) {
      expect(JSON.stringify(roleStatementsOf(template, other))).not.toContain('events:PutEvents');
    }
  });

  it('the publisher reads outbox items and marks them published in contract partitions, and cannot put, delete or query', () => {
    expect(actionsOn('billing', tableArn())).toEqual(['dynamodb:BatchGetItem', 'dynamodb:UpdateItem']);
    const statement = statementOn(roleStatementsOf(template, 'billing'), tableArn());
    expect(statement?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONTRACT#*'] } });
    expect(JSON.stringify(roleStatementsOf(template, 'billing'))).not.toContain('/index/');
  });

  it('the publisher knows the bus by name', () => {
    expect(environmentOf('billing')).toMatchObject({ BILLING_EVENT_BUS: { Ref: logicalIdOf(template, 'AWS::Events::EventBus', 'BillingBus') } });
  });
});

describe('delivery feedback', () => {
  const configurationSet = (): unknown => ({ Ref: logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'NoticesConfigurationSet') });

  it('the configuration set publishes bounces and complaints to the default EventBridge bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: configurationSet(),
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        EventBridgeDestination: { EventBusArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':event-bus/default$')])] } },
      },
    });
  });

  it("a rule for this configuration set's bounces and complaints invokes the feedback function, with retries and a dead-letter queue", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complaint Received'],
        detail: { mail: { tags: { 'ses:configuration-set': [configurationSet()] } } },
      },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [functionIdOf(template, 'feedback'), 'Arn'] },
          Id: Match.anyValue(),
          DeadLetterConfig: { Arn: queueArn('QueuesFailedInvocations') },
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
        },
      ],
    });
  });

  it('a feedback invocation that fails after its retries is kept in the failed-invocations queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionIdOf(template, 'feedback') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: queueArn('QueuesFailedInvocations') } },
    });
    expect(actionsOn('feedback', queueArn('QueuesFailedInvocations'))).toContain('sqs:SendMessage');
  });

  it('the feedback function only gets, updates and puts items in the partitions of notices, message pointers and suppressions', () => {
    const statement = statementOn(roleStatementsOf(template, 'feedback'), tableArn());
    expect(statement === undefined ? [] : actionsOf(statement).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(statement?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONTRACT#*', 'OPS', 'SESMSG#*', 'SUPPRESSION#*'] },
    });
    expect(JSON.stringify(roleStatementsOf(template, 'feedback'))).not.toContain('/index/');
    expect(roleStatementsOf(template, 'feedback').flatMap(actionsOf).filter((action) => !/^(dynamodb|logs|sqs):/.test(action))).toEqual([]);
  });
});

describe('least privilege', () => {
  it('no identity policy grants a service-wide or all-actions wildcard', () => {
    const actions = allIdentityStatements(template).flatMap(actionsOf);
    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('only dynamodb:ListStreams, which has no resource-level permission, is granted on every resource', () => {
    const onEverything = allIdentityStatements(template).filter((statement) => resourceList(statement).includes('*'));
    // One statement per stream consumer (the notifier and the billing publisher).
    expect(onEverything.flatMap(actionsOf)).toEqual(['dynamodb:ListStreams', 'dynamodb:ListStreams']);
  });
});
