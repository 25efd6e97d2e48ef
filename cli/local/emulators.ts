/**
 * The local emulators of docs/design.md#9-running-it — DynamoDB Local, fauxqs (SQS), aws-ses-v2-local (SES v2) — on
 * loopback with free ports, for `npm start`, `aftercare replay` and the integration tests.
 */
import { startDynamoDbLocal, type LocalCredentials } from './dynamodb-local.ts';
import { startSesLocal, type StoredEmail } from './ses-local.ts';
import { startSqsLocal } from './sqs-local.ts';

export { EmulatorError } from './errors.ts';
export { createQueues, createTable, eventQueueArns, eventQueueUrls, type LocalQueues } from './resources.ts';
export type { LocalCredentials, StoredEmail };

export interface EmulatorOptions {
  /** @default 'eu-north-1' */
  readonly region?: string;
  /** How long DynamoDB Local may take to answer (a JVM on a busy machine is slow). @default 120000 */
  readonly startTimeoutMs?: number;
  /** False: no DynamoDB Local (the stack's memory engine keeps the table; `endpoints.dynamodb` is set by it). @default true */
  readonly dynamodb?: boolean;
}

/** What an SDK v3 client needs to talk to one emulator. */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: LocalCredentials;
}

export interface EmulatorEndpoints {
  readonly region: string;
  readonly credentials: LocalCredentials;
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
}

export interface Emulators extends EmulatorEndpoints {
  readonly clientConfig: { readonly dynamodb: LocalClientConfig; readonly sqs: LocalClientConfig; readonly ses: LocalClientConfig };
  /** Milliseconds each emulator took to answer, and all of them together (they start in parallel). */
  readonly startupMs: { readonly dynamodb: number; readonly sqs: number; readonly ses: number; readonly total: number };
  /** False when DynamoDB Local listens on every interface (Java without jdk.compiler: see dynamodb-local.ts). */
  readonly dynamodbLoopbackOnly: boolean;
  sesStore(): Promise<StoredEmail[]>;
  clearSes(): Promise<void>;
  /** Stops every emulator; safe to call more than once. */
  stop(): Promise<void>;
}

/** DynamoDB Local refuses access keys with `-` or `_`; nothing checks the values. */
export const LOCAL_CREDENTIALS: LocalCredentials = { accessKeyId: 'aftercarelocal', secretAccessKey: 'aftercarelocal' };

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const region = options.region ?? 'eu-north-1';
  const credentials = LOCAL_CREDENTIALS;
  const started = performance.now();
  const timed = async <T>(start: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const value = await start();
    return { value, ms: Math.round(performance.now() - started) };
  };
  const [dynamodb, sqs, ses] = await Promise.allSettled([
    timed(() =>
      options.dynamodb === false
        ? Promise.resolve({ endpoint: '', loopbackOnly: true, stop: () => Promise.resolve() })
        : startDynamoDbLocal({ region, credentials, ...withTimeout(options.startTimeoutMs) }),
    ),
    timed(() => startSqsLocal({ region })),
    timed(() => startSesLocal()),
  ]);
  if (dynamodb.status === 'rejected' || sqs.status === 'rejected' || ses.status === 'rejected') {
    // Stop what did start before reporting the first failure.
    await Promise.allSettled(
      [dynamodb, sqs, ses].flatMap((result) => (result.status === 'fulfilled' ? [result.value.value.stop()] : [])),
    );
    const failure = [dynamodb, sqs, ses].find((result) => result.status === 'rejected');
    throw failure?.reason;
  }
  const total = Math.round(performance.now() - started);
  const config = (endpoint: string): LocalClientConfig => ({ endpoint, region, credentials });

  let stopping: Promise<void> | undefined;
  return {
    region,
    credentials,
    endpoints: { dynamodb: dynamodb.value.value.endpoint, sqs: sqs.value.value.endpoint, ses: ses.value.value.endpoint },
    clientConfig: {
      dynamodb: config(dynamodb.value.value.endpoint),
      sqs: config(sqs.value.value.endpoint),
      ses: config(ses.value.value.endpoint),
    },
    startupMs: { dynamodb: dynamodb.value.ms, sqs: sqs.value.ms, ses: ses.value.ms, total },
    dynamodbLoopbackOnly: dynamodb.value.value.loopbackOnly,
    sesStore: () => ses.value.value.store(),
    clearSes: () => ses.value.value.clear(),
    stop: () => {
      stopping ??= Promise.all([dynamodb.value.value.stop(), sqs.value.value.stop(), ses.value.value.stop()]).then(
        () => undefined,
      );
      return stopping;
    },
  };
}

function withTimeout(timeoutMs: number | undefined): { timeoutMs?: number } {
  return timeoutMs === undefined ? {} : { timeoutMs };
}

/** Client config from endpoints handed over by another process (vitest `provide`/`inject`). */
export function clientConfigOf(endpoints: EmulatorEndpoints, service: keyof EmulatorEndpoints['endpoints']): LocalClientConfig {
  return { endpoint: endpoints.endpoints[service], region: endpoints.region, credentials: endpoints.credentials };
}
