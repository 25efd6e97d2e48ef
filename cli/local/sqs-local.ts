/** fauxqs in this process: SQS with redrive to a DLQ, long polls and visibility (docs/design.md#9-running-it). */
import { buildApp } from 'fauxqs';
import { LOOPBACK } from './ports.ts';

export interface RunningSqs {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startSqsLocal(options: { region: string }): Promise<RunningSqs> {
  // buildApp rather than startFauxqs: startFauxqs binds 0.0.0.0, and the local stack stays on loopback.
  const app = buildApp({ logger: false, defaultRegion: options.region });
  const address = await app.listen({ port: 0, host: LOOPBACK });
  return { endpoint: new URL(address).origin, stop: () => app.close() };
}
