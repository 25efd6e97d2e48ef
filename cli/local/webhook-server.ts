/**
 * The local webhooks endpoint (docs/design.md#13-integrations): a node:http server on 127.0.0.1 that turns each
 * request into the API Gateway HTTP API event (payload format 2.0) the Lambda gets and calls the same
 * handler, so `curl` against the local stack exercises the deployed code path. Like the HTTP API, only
 * `POST /webhooks/{source}` reaches the handler; anything else is answered 404 here.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { WebhooksHandler } from '#functions/webhooks/app.ts';
import { MAX_WEBHOOK_BODY_BYTES } from '#usecases/receive-webhook.ts';
import { localLambdaContext } from './lambda-context.ts';

export interface WebhookServer {
  /** `http://127.0.0.1:<port>/webhooks/` — add the source. */
  readonly url: string;
  stop(): Promise<void>;
}

const ROUTE = /^\/webhooks\/([^/?#]+)$/;

export async function startWebhookServer(handler: WebhooksHandler, port = 0): Promise<WebhookServer> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const route = ROUTE.exec(path);
      if (request.method !== 'POST' || route === null) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
        request.resume();
        return;
      }
      const body = await readBody(request);
      if (body === null) {
        response.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Request Entity Too Large' }));
        return;
      }
      const result = await handler(httpApiEvent(request, decodeURIComponent(route[1] ?? ''), path, body), localLambdaContext('webhooks', 10_000));
      response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string> | undefined).end(result.body ?? '');
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: error instanceof Error ? error.message : 'Internal Server Error' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(bound)}/webhooks/`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The body, or null when it is larger than the handler takes (its own check answers 413 too). */
async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    // A little over the limit, so the handler's own 413 (with its reason) is what answers.
    if (size > MAX_WEBHOOK_BODY_BYTES + 1024) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function httpApiEvent(request: IncomingMessage, source: string, path: string, body: Buffer): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{source}',
    rawPath: path,
    rawQueryString: '',
    headers,
    pathParameters: { source },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: { method: 'POST', path, protocol: `HTTP/${request.httpVersion}`, sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: request.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: 'POST /webhooks/{source}',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    // API Gateway hands text bodies over as they are; base64 keeps any bytes intact here.
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}
