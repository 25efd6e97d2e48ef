/**
 * The webhooks endpoint under random input: random bodies and headers never crash it and never queue an
 * event without a valid signature; validly signed random payloads are answered, never thrown.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signRequest } from '#adapters/signatures.ts';
import { anHttpApiRequest } from '#test/support/factories/http-events.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import { NOW, SECRETS, webhookEndpoint } from '#test/support/webhook-endpoint.ts';

const SOURCES = ['zendesk', 'jira', 'generic'] as const;
const SIGNATURE_HEADERS = ['x-zendesk-webhook-signature', 'x-zendesk-webhook-signature-timestamp', 'x-hub-signature', 'x-aftercare-signature', 'x-aftercare-timestamp'];

const headerValue = fc.oneof(
  fc.string(),
  fc.base64String({ minLength: 44, maxLength: 44 }),
  fc.stringMatching(/^sha256=[0-9a-f]{64}$/),
  fc.constantFrom('2026-02-09T08:01:00Z', String(Math.floor(NOW / 1000)), ''),
);
const headers = fc.dictionary(fc.oneof(fc.constantFrom(...SIGNATURE_HEADERS), fc.string({ minLength: 1, maxLength: 20 })), headerValue, { maxKeys: 6 });
const body = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((value) => JSON.stringify({ change: 'created', ticket: value, webhookEvent: 'jira:issue_created', issue: value })));

describe('the webhooks endpoint under random input', () => {
  it('never throws and never queues an event without a valid signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...SOURCES), fc.string()), headers, body, fc.boolean(), async (source, given, text, base64) => {
        const endpoint = webhookEndpoint();
        const result = await endpoint.handler(anHttpApiRequest({ source, body: text, headers: given, base64 }), aLambdaContext('webhooks'));
        expect([401, 404]).toContain(result.statusCode);
        expect(endpoint.queued).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('answers every validly signed random payload with a status, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SOURCES), body, async (source, text) => {
        const endpoint = webhookEndpoint();
        const result = await endpoint.handler(anHttpApiRequest({ source, body: text, headers: signRequest(source, SECRETS[source], text, NOW) }), aLambdaContext('webhooks'));
        // Jira's signing time is inside the body: a random body has none (401).
        expect([200, 202, 400, 401]).toContain(result.statusCode);
        if (result.statusCode !== 202) expect(endpoint.queued).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
