/**
 * `.local/stack.json`: where the running `npm start` stack listens, so `--local` in other commands
 * (send, statement, dlq) finds it. Written at start, removed at stop.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { LocalStackNotRunningError } from '../errors.ts';

export const STACK_FILE_NAME = 'stack.json';

const stackFileSchema = z.object({
  /** 2: two event queues (contracts, cases); a version-1 file names the one events queue of older stacks. */
  version: z.literal(2),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  region: z.string(),
  credentials: z.object({ accessKeyId: z.string(), secretAccessKey: z.string() }),
  endpoints: z.object({ dynamodb: z.string(), sqs: z.string(), ses: z.string() }),
  tableName: z.string(),
  contractsQueueUrl: z.string(),
  casesQueueUrl: z.string(),
  deadLetterQueueUrl: z.string(),
  sesViewerUrl: z.string(),
  /** The local webhooks endpoint, `http://127.0.0.1:<port>/webhooks/` (absent in stacks started before it existed). */
  webhooksUrl: z.string().optional(),
  /** The catalog the stack's handlers run on; null for the default catalog. */
  catalogFile: z.string().nullable(),
  /**
   * Where the table lives (absent in older files: DynamoDB Local). On `memory`, `endpoints.dynamodb` is
   * the stack's memory table endpoint, which the `--local` commands call (memory-table-client.ts).
   */
  engine: z.enum(['dynamodb-local', 'memory']).optional(),
});

export type StackFile = z.infer<typeof stackFileSchema>;

/** `$AFTERCARE_LOCAL_DIR`, or `.local` in the working directory. */
export function localDirectory(environment: NodeJS.ProcessEnv = process.env): string {
  const configured = environment.AFTERCARE_LOCAL_DIR;
  return resolve(configured !== undefined && configured !== '' ? configured : '.local');
}

export function writeStackFile(directory: string, stack: StackFile): string {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, STACK_FILE_NAME);
  writeFileSync(path, `${JSON.stringify(stack, null, 2)}\n`);
  return path;
}

export function removeStackFile(directory: string, pid: number): void {
  const path = join(directory, STACK_FILE_NAME);
  // Another `npm start` may have taken the directory over since: only remove our own file.
  if (readStackFileIfAny(path)?.pid === pid) rmSync(path, { force: true });
}

/** The running local stack, or a LocalStackNotRunningError that says how to start one. */
export function readStackFile(directory = localDirectory()): StackFile {
  const path = join(directory, STACK_FILE_NAME);
  const stack = readStackFileIfAny(path);
  if (stack === null) throw new LocalStackNotRunningError(`no local stack found (${path} is missing): start one with \`npm start\``);
  if (!isAlive(stack.pid)) {
    throw new LocalStackNotRunningError(`the local stack in ${path} (pid ${stack.pid}) is not running any more: start it again with \`npm start\``);
  }
  return stack;
}

function readStackFileIfAny(path: string): StackFile | null {
  if (!existsSync(path)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new LocalStackNotRunningError(`${path} is not a stack file: delete it and run \`npm start\``);
  }
  const parsed = stackFileSchema.safeParse(json);
  if (!parsed.success) throw new LocalStackNotRunningError(`${path} is not a stack file: delete it and run \`npm start\``);
  return parsed.data;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
