/**
 * The memory engine's table, reachable from other processes: when `npm start` runs without Java the
 * table lives in the stack's process (shared/store/memory), and the `aftercare … --local` commands call its
 * ports (MemoryStackPorts in clients.ts) over a loopback HTTP endpoint instead of DynamoDB Local. A call is
 * `POST /ports/<port>/<method>` with the arguments as a V8 structured clone (Maps, Sets and undefined
 * survive), answered with `{ value }` or `{ error: { name, message } }` the same way. Anything else —
 * a DynamoDB request from a client pointed here by mistake — gets a DynamoDB-style 400 saying why.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { deserialize, serialize } from 'node:v8';
import { LOOPBACK } from './ports.ts';

export const PORTS_PATH = '/ports/';
export const MEMORY_ENGINE_CONTENT_TYPE = 'application/x-v8-serialized';

/** The ports served, by name: each an object whose methods return values or promises. */
export type ServedPorts = Readonly<Record<string, object>>;

export interface MemoryTableServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export type PortAnswer = { readonly value: unknown } | { readonly error: { readonly name: string; readonly message: string } };

export async function startMemoryTableServer(ports: ServedPorts): Promise<MemoryTableServer> {
  const server = createServer((request, response) => {
    void answer(ports, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the memory table server has no TCP address');
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${LOOPBACK}:${address.port}`,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return stopping;
    },
  };
}

async function answer(ports: ServedPorts, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const [portName = '', methodName = ''] = (request.url ?? '').startsWith(PORTS_PATH) ? (request.url ?? '').slice(PORTS_PATH.length).split('/') : [];
  const port: object | undefined = ports[portName];
  const method: unknown = port === undefined ? undefined : Reflect.get(port, methodName);
  if (request.method !== 'POST' || typeof method !== 'function') {
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(
      JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#UnknownOperationException',
        message:
          'this local stack runs on the memory engine (no Java, so no DynamoDB Local): its table is served to `aftercare … --local` only; ' +
          'start `npm start` with Java 17+ for a DynamoDB endpoint',
      }),
    );
    return;
  }
  let reply: PortAnswer;
  try {
    const args = deserialize(Buffer.concat(chunks)) as unknown[];
    const value: unknown = await Reflect.apply(method, port, args);
    reply = { value };
  } catch (error) {
    reply = { error: error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) } };
  }
  response.writeHead(200, { 'content-type': MEMORY_ENGINE_CONTENT_TYPE });
  response.end(serialize(reply));
}
