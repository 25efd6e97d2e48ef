/** API Gateway HTTP API requests (payload format 2.0) as the webhooks route hands them to Lambda. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export function anHttpApiRequest(options: {
  readonly source: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: string;
  readonly base64?: boolean;
}): APIGatewayProxyEventV2 {
  const path = `/webhooks/${options.source}`;
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{source}',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    pathParameters: { source: options.source },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.execute-api.eu-north-1.amazonaws.com',
      domainPrefix: 'api',
      http: { method: options.method ?? 'POST', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'Zendesk Webhook' },
      requestId: 'request-1',
      routeKey: 'POST /webhooks/{source}',
      stage: '$default',
      time: '09/Feb/2026:08:00:00 +0000',
      timeEpoch: Date.parse('2026-02-09T08:00:00Z'),
    },
    body: options.base64 === true ? Buffer.from(options.body).toString('base64') : options.body,
    isBase64Encoded: options.base64 === true,
  };
}
