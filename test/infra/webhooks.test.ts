/**
 * The webhooks endpoint in the template (docs/design.md#13-integrations): the one route on an HTTP API, its
 * stage throttled and access-logged without payloads, and the function's grants — the secrets of its own
 * sources only, sending to the cases queue (and the DLQ for unmappable payloads) only, seen-request claims
 * in the webhook partitions only.
 */
import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { TableV2, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseWebhookSources } from '#adapters/mapping.ts';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { Webhooks } from '#infra/constructs/webhooks.ts';
import { SYNTH_TIMEOUT_MS, synthesizeAftercare, TEST_ENV } from './synth.ts';
import { actionsOf, allIdentityStatements, logicalIdOf, resourcesOf, roleStatementsOf } from './template-queries.ts';

let template: Template;

beforeAll(() => {
  template = synthesizeAftercare().template;
}, SYNTH_TIMEOUT_MS);

const secretIds = (): string[] => Object.keys(resourcesOf(template, 'AWS::SecretsManager::Secret'));

describe('the webhooks endpoint', () => {
  it('routes POST /webhooks/{source} to the webhooks function with payload format 2.0, and nothing else', () => {
    const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey)).toEqual(['POST /webhooks/{source}']);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
  });

  it('throttles the stage and writes access logs that carry no header or body', () => {
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    expect(stage?.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } });
    const format = (stage?.Properties.AccessLogSettings as { Format: string }).Format;
    expect(JSON.parse(format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(format).not.toMatch(/body|header|requestOverride/i);
    const logGroupId = ((stage?.Properties.AccessLogSettings as { DestinationArn: { 'Fn::GetAtt': [string] } }).DestinationArn)['Fn::GetAtt'][0];
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('has one secret per configured source, named by stage and source', () => {
    const names = Object.values(resourcesOf(template, 'AWS::SecretsManager::Secret')).map((secret) => secret.Properties.Name);
    expect(names.sort()).toEqual(['aftercare/prod/webhooks/generic', 'aftercare/prod/webhooks/jira', 'aftercare/prod/webhooks/zendesk']);
  });

  it('lets the function read exactly its sources’ secrets, and no other role read them', () => {
    const statements = roleStatementsOf(template, 'webhooks').filter((statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')));
    expect(statements.flatMap(actionsOf)).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue']);
    expect(statements.map((statement) => (statement.Resource as { Ref: string }).Ref).sort()).toEqual(secretIds().sort());
    const readers = allIdentityStatements(template).filter((statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')));
    expect(readers).toHaveLength(3);
  });

  it('lets the function send to the cases queue and the dead-letter queue only', () => {
    const sends = roleStatementsOf(template, 'webhooks').filter((statement) => actionsOf(statement).some((action) => action.startsWith('sqs:')));
    expect(sends.flatMap(actionsOf)).toEqual(['sqs:SendMessage']);
    expect(sends[0]?.Resource).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'QueuesCases'), 'Arn'] },
      { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'QueuesDeadLetters'), 'Arn'] },
    ]);
  });

  it('lets the function put and delete seen-request claims in the webhook partitions only', () => {
    const table = roleStatementsOf(template, 'webhooks').filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    expect(table).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WEBHOOK#*'] } },
      }),
    ]);
  });

  it('grants the function nothing else but its logs', () => {
    const actions = roleStatementsOf(template, 'webhooks').flatMap(actionsOf);
    const other = actions.filter((action) => !/^(secretsmanager:GetSecretValue|sqs:SendMessage|dynamodb:(PutItem|DeleteItem)|logs:)/.test(action));
    expect(other).toEqual([]);
  });

  it('outputs the webhooks URL', () => {
    template.hasOutput('WebhooksUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() as unknown }) });
  });
});

describe('the Webhooks construct', () => {
  it('refuses a sources configuration too large for the function environment', () => {
    const stack = new Stack(new App(), 'Bare', { env: TEST_ENV });
    const table = new TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const queue = new Queue(stack, 'Queue');
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`source-${String(index)}`, { adapter: 'jira', contractField: 'customfield_10050' }]));
    expect(
      () =>
        new Webhooks(stack, 'Webhooks', {
          table,
          casesQueue: queue,
          deadLetters: queue,
          sources: parseWebhookSources({ sources: many }),
          settings: { catalog: loadDefaultCatalog() },
          secretPrefix: 'aftercare/test/webhooks/',
        }),
    ).toThrow(/at most 3000 fit the function's environment/);
  });
});
