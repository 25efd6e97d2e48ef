/**
 * Webhooks (docs/design.md#13-integrations): an API Gateway HTTP API with one route, `POST /webhooks/{source}`,
 * and the function behind it, which verifies each request with its source's secret, refuses stale and
 * replayed requests, maps the payload and sends the events to the cases queue.
 *
 * An HTTP API rather than a Lambda function URL: a function URL has no throttling of its own (only the
 * function's concurrency), no access logs and no routes; the HTTP API's stage throttles every caller,
 * writes access logs (without payloads) and routes only the one POST, so everything else is answered by
 * API Gateway without invoking the function. Authentication is the helpdesk's HMAC signature, checked in
 * the function: Zendesk and Jira can sign, but not present IAM or JWT credentials.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WebhookSources } from '#adapters/mapping.ts';
import { WEBHOOK_PARTITION_PREFIX } from '#store/keys.ts';
import { AftercareFunction, type FunctionSettings, type TableAccess } from './aftercare-function.ts';

export interface WebhooksProps {
  readonly table: ITable;
  /** The one queue the function sends events to. */
  readonly casesQueue: IQueue;
  /** Where unmappable payloads are kept, raw, for the operator. */
  readonly deadLetters: IQueue;
  readonly sources: WebhookSources;
  readonly settings: FunctionSettings;
  /** Secret names are `<secretPrefix><source>`, e.g. `aftercare/prod/webhooks/zendesk`. */
  readonly secretPrefix: string;
  /**
   * Steady requests per second across all sources (API Gateway stage throttling).
   * @default 50
   */
  readonly rateLimit?: number;
  /**
   * Requests API Gateway lets through at once above the rate.
   * @default 100
   */
  readonly burstLimit?: number;
  /** @default {} (none) */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Seen-request claims only: put (conditional) and delete, in the webhook partitions. */
export const WEBHOOKS_TABLE_ACCESS: TableAccess = { items: ['PutItem', 'DeleteItem'], partitions: [`${WEBHOOK_PARTITION_PREFIX}*`] };

// Lambda environment variables hold 4 KB in all; the sources go there as JSON.
const MAX_SOURCES_JSON = 3000;

export class Webhooks extends Construct {
  readonly function: AftercareFunction;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly secrets: Readonly<Record<string, Secret>>;
  /** `https://…/webhooks/` — add the source. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebhooksProps) {
    super(scope, id);
    const sourcesJson = JSON.stringify(props.sources);
    if (sourcesJson.length > MAX_SOURCES_JSON) {
      throw new Error(`Webhooks: the sources configuration is ${sourcesJson.length} characters as JSON; at most ${MAX_SOURCES_JSON} fit the function's environment`);
    }
    const removalPolicy = props.settings.removalPolicy ?? RemovalPolicy.RETAIN;

    this.function = new AftercareFunction(this, 'Function', {
      name: 'webhooks',
      description: 'Verifies helpdesk webhooks, maps them to v1 case events and sends them to the cases queue',
      settings: props.settings,
      timeout: Duration.seconds(10),
      memorySize: 256,
      environment: {
        ...props.environment,
        WEBHOOK_SOURCES: sourcesJson,
        WEBHOOK_SECRET_PREFIX: props.secretPrefix,
        CASES_QUEUE_URL: props.casesQueue.queueUrl,
        DLQ_URL: props.deadLetters.queueUrl,
      },
    }).bindTable(props.table, WEBHOOKS_TABLE_ACCESS);
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.casesQueue.queueArn, props.deadLetters.queueArn] }));

    // One secret per source, read by this function only; its value is set with `aftercare webhook-secret`.
    const secrets: Record<string, Secret> = {};
    for (const source of Object.keys(props.sources.sources)) {
      const secret = new Secret(this, `Secret-${source}`, {
        secretName: `${props.secretPrefix}${source}`,
        description: `Signing secret of the ${source} webhooks (set or rotate: aftercare webhook-secret ${source})`,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy,
      });
      this.function.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'The value is the helpdesk’s signing secret (Zendesk generates it; Jira takes it from the admin): it is rotated in the helpdesk and then here with `aftercare webhook-secret`, not by a rotation Lambda.',
      });
      secrets[source] = secret;
    }
    this.secrets = secrets;

    this.api = new HttpApi(this, 'Api', { description: 'Aftercare helpdesk webhooks', createDefaultStage: false });
    this.api.addRoutes({
      path: '/webhooks/{source}',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('Webhooks', this.function),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.settings.logRetention ?? RetentionDays.THREE_MONTHS, removalPolicy });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      // Who called which route with what outcome: never a header or a body.
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationStatus: '$context.integrationStatus',
            integrationLatency: '$context.integrationLatency',
            error: '$context.error.message',
          }),
        ),
      },
    });
    this.url = `https://${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/webhooks/`;
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Helpdesks authenticate with an HMAC signature of each request (Zendesk, Jira secure admin webhooks), verified by the function with the source’s secret; they cannot present IAM or JWT credentials.',
    });
  }
}
