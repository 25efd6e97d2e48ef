/**
 * What every function's factory (`functions/<name>/wiring.ts`) is given. Each factory assembles its
 * function's repositories, use case and handler once, for all who run it: the Lambda entry
 * (`handler.ts`, settings from the environment), the local stack (`cli/local/stack.ts`, the emulators'
 * clients), the CLI commands and the fault harness (`test/faults/local-stack.ts`). A caller that watches
 * or breaks a port passes `ports`, which gets the Dynamo repositories and returns the ones to use.
 *
 * Bundled into every function: it imports the environment, the document client, the clock and the
 * observability modules, nothing that brings zod or the CLI.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getStringFromEnv } from '#config/environment.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { systemClock, type Clock } from '#usecases/ports.ts';
import { makeLogger, makeMetrics, type Logger, type Metrics } from '../shared/observability.ts';

/** The single table, through one document client. */
export interface Table {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Turns the Dynamo repositories a factory made into the ones its use case gets (watched, faulty, shared). */
export type PortsWrapper<P> = (ports: P) => P;

/** Settings every function's factory takes. */
export interface FunctionSettings {
  readonly table: Table;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function portsOf<P>(made: P, wrap: PortsWrapper<P> | undefined): P {
  return wrap === undefined ? made : wrap(made);
}

/**
 * A deployed function's settings: the table from TABLE_NAME (a missing setting fails the cold start),
 * the standard client chain, the system clock, and Powertools logs and metrics named after the function.
 */
export function lambdaSettings(serviceName: string): FunctionSettings {
  const logger = makeLogger(serviceName);
  return {
    table: { documents: documentClient(), tableName: getStringFromEnv('TABLE_NAME') },
    clock: systemClock,
    logger,
    metrics: makeMetrics('Aftercare', serviceName, logger),
  };
}
