/**
 * The one Lambda function shape of Aftercare: every default (Node.js 22 on ARM64, an ESM bundle with the
 * SDK and the compiled catalog inside, source maps, its own log group, Powertools settings) lives here,
 * and `bindTable` grants exactly the table access a function asks for.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Catalog } from '#domain/model.ts';
import { ATTENTION_INDEX } from '#store/table-definition.ts';
import { cdkBundling, handlerEntry, PROJECT_ROOT, type FunctionName } from '../bundling.ts';
import { METRICS_NAMESPACE } from '../metric-names.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** What every function of one deployment shares. */
export interface FunctionSettings {
  /** The catalog compiled at synth, embedded in every bundle. */
  readonly catalog: Catalog;
  /**
   * How long function logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Powertools log level.
   * @default 'INFO'
   */
  readonly logLevel?: LogLevel;
}

export interface AftercareFunctionProps {
  /** The folder under `functions/` whose `handler.ts` is the entry. */
  readonly name: FunctionName;
  readonly description: string;
  readonly settings: FunctionSettings;
  /**
   * At most Lambda's 15 minutes.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * MB, a whole number from 128 to 10 240 (Lambda's range).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Extra environment variables. The construct's own (NODE_OPTIONS, the Powertools settings, TABLE_NAME
   * from `bindTable`) cannot be set here.
   * @default {} (none)
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Item-level DynamoDB actions. TransactWriteItems has no IAM action: each item in it is authorised as its own Put/Update/Delete/ConditionCheck. */
export type ItemAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

export interface TableAccess {
  readonly items: readonly ItemAction[];
  /**
   * Where the function may Query: the table's own keys and/or the sparse `attention` index.
   * @default [] (no Query)
   */
  readonly query?: readonly ('table' | 'attention')[];
  /**
   * Partition-key patterns (IAM StringLike, e.g. `CONTRACT#*`) the item actions are limited to, through
   * the `dynamodb:LeadingKeys` condition.
   * @default every partition
   */
  readonly partitions?: readonly string[];
}

/** Environment variables the construct sets itself; `environment` may not override them. */
export const OWN_ENVIRONMENT = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_LOG_LEVEL', 'TABLE_NAME'] as const;

// https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
const MEMORY_RANGE_MB = { min: 128, max: 10_240 } as const;

function validateFunctionProps(props: AftercareFunctionProps): void {
  const memorySize = props.memorySize;
  if (memorySize !== undefined && (!Number.isInteger(memorySize) || memorySize < MEMORY_RANGE_MB.min || memorySize > MEMORY_RANGE_MB.max)) {
    throw new Error(`AftercareFunction ${props.name}: memorySize must be a whole number of MB from ${MEMORY_RANGE_MB.min} to ${MEMORY_RANGE_MB.max}, not ${memorySize}`);
  }
  const overridden = OWN_ENVIRONMENT.filter((name) => props.environment !== undefined && name in props.environment);
  if (overridden.length > 0) {
    throw new Error(`AftercareFunction ${props.name}: environment may not set ${overridden.join(', ')}: the construct sets it (logLevel in settings, TABLE_NAME through bindTable)`);
  }
}

export class AftercareFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AftercareFunctionProps) {
    validateFunctionProps(props);
    const { settings } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: settings.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: settings.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the Aftercare ${props.name} function`,
    });
    super(scope, id, {
      entry: handlerEntry(props.name),
      projectRoot: PROJECT_ROOT,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 512,
      role,
      logGroup,
      bundling: cdkBundling(settings.catalog),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: settings.logLevel ?? 'INFO',
        ...props.environment,
      },
    });
    logGroup.grantWrite(role);
  }

  /** Grants exactly `access` on `table` (and its attention index) and tells the function the table's name. */
  bindTable(table: ITable, access: TableAccess): this {
    const query = access.query ?? [];
    const tableActions = [...access.items, ...(query.includes('table') ? ['Query'] : [])];
    if (tableActions.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: tableActions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
          ...(access.partitions === undefined
            ? {}
            : { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...access.partitions] } } }),
        }),
      );
    }
    if (query.includes('attention')) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${ATTENTION_INDEX.name}`],
        }),
      );
    }
    return this.addEnvironment('TABLE_NAME', table.tableName);
  }
}
