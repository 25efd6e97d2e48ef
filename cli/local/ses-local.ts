/**
 * aws-ses-v2-local in this process: accepts SES v2 SendEmail, keeps every email for `GET /store` and
 * shows them in its web page. It validates almost nothing; our own code validates addresses and content.
 */
import type { Server } from 'node:http';
import sesLocal from 'aws-ses-v2-local';
import { LOOPBACK } from './ports.ts';

type StartServer = (config: { host: string; port: number }) => Promise<Server>;

// A CommonJS module with `exports.default`: Node hands ESM the exports object, vite's runner the function.
const startServer: StartServer =
  typeof (sesLocal as unknown) === 'function' ? (sesLocal as unknown as StartServer) : sesLocal.default;

/** An email as the emulator stored it. */
export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly replyTo: readonly string[];
  readonly destination: { readonly to: readonly string[]; readonly cc: readonly string[]; readonly bcc: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  /** Epoch seconds at which the emulator received it. */
  readonly at: number;
}

export interface RunningSes {
  readonly endpoint: string;
  store(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSesLocal(): Promise<RunningSes> {
  const server = await startServer({ host: LOOPBACK, port: 0 });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const endpoint = `http://${LOOPBACK}:${port}`;
  return {
    endpoint,
    store: async () => {
      const response = await fetch(`${endpoint}/store`);
      if (!response.ok) throw new Error(`SES emulator /store answered ${response.status}`);
      const { emails } = (await response.json()) as { emails: StoredEmail[] };
      return emails;
    },
    clear: async () => {
      const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      if (!response.ok) throw new Error(`SES emulator /clear-store answered ${response.status}`);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
