/**
 * A port of the memory engine's table in another process (memory-table-server.ts): every method call
 * is one POST to the running stack, which runs it on its own table. Errors come back with their name
 * and message (a TransactionLimitError stays one by name), so commands report them as they would locally.
 */
import { deserialize, serialize } from 'node:v8';
import { LocalStackNotRunningError } from '../errors.ts';
import { MEMORY_ENGINE_CONTENT_TYPE, PORTS_PATH, type PortAnswer } from './memory-table-server.ts';

export function remotePort<P extends object>(endpoint: string, portName: string): P {
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(`${endpoint}${PORTS_PATH}${portName}/${method}`, {
        method: 'POST',
        headers: { 'content-type': MEMORY_ENGINE_CONTENT_TYPE },
        body: serialize(args),
      });
    } catch (error) {
      throw new LocalStackNotRunningError(`the local stack's memory table at ${endpoint} does not answer (${String(error)}): is \`npm start\` still running?`);
    }
    if (!response.ok) throw new Error(`the local stack's memory table refused ${portName}.${method}: HTTP ${response.status} ${await response.text()}`);
    const reply = deserialize(Buffer.from(await response.arrayBuffer())) as PortAnswer;
    if ('error' in reply) throw Object.assign(new Error(reply.error.message), { name: reply.error.name });
    return reply.value;
  };
  return new Proxy(
    {},
    {
      get: (_target, method) =>
        // `then` is asked by `await` of the port itself: a port is not a promise.
        typeof method !== 'string' || method === 'then' ? undefined : (...args: unknown[]) => call(method, args),
    },
  ) as P;
}
