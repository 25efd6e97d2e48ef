/**
 * The webhooks endpoint (docs/design.md#13-integrations): a valid signature queues the mapped events with the
 * source; a tampered body, a wrong secret, a stale or a replayed request is refused and queues nothing;
 * an unmappable payload is answered 400 with the reason and dead-lettered raw; a rotated secret is taken up.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_SOURCES, type ZendeskMapping } from '#adapters/mapping.ts';
import { signRequest } from '#adapters/signatures.ts';
import { MAX_WEBHOOK_BODY_BYTES } from '#usecases/receive-webhook.ts';
import { anHttpApiRequest } from '#test/support/factories/http-events.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import { jiraIssueCreated, zendeskTriggerPayload } from '#test/support/factories/webhook-payloads.ts';
import { NOW, SECRETS, webhookEndpoint } from '#test/support/webhook-endpoint.ts';

const zendesk = DEFAULT_WEBHOOK_SOURCES.sources.zendesk as ZendeskMapping;
const created = zendeskTriggerPayload('created', zendesk);

async function post(endpoint: ReturnType<typeof webhookEndpoint>, source: string, body: string, headers: Record<string, string>) {
  const result = await endpoint.handler(anHttpApiRequest({ source, body, headers }), aLambdaContext('webhooks'));
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
}

describe('the webhooks endpoint', () => {
  it('queues the mapped events of a validly signed Zendesk request, with the source, and answers 202', async () => {
    // Prepare
    const endpoint = webhookEndpoint();

    // Act
    const answer = await post(endpoint, 'zendesk', created, signRequest('zendesk', SECRETS.zendesk, created, NOW));

    // Assess
    expect(answer).toEqual({ status: 202, body: { source: 'zendesk', queued: ['ticket:4711:opened'] } });
    expect(endpoint.queued.map((event) => JSON.parse(event.body) as unknown)).toEqual([
      expect.objectContaining({ source: 'zendesk', eventId: 'ticket:4711:opened', type: 'case.opened', contractId: 'C-DEMO-1', caseId: '4711' }),
    ]);
  });

  it('accepts header names in any case (HTTP headers are case-insensitive)', async () => {
    const endpoint = webhookEndpoint();
    const headers = Object.fromEntries(Object.entries(signRequest('zendesk', SECRETS.zendesk, created, NOW)).map(([name, value]) => [name.toUpperCase(), value]));
    expect((await post(endpoint, 'zendesk', created, headers)).status).toBe(202);
  });

  it('verifies Jira signatures (sha256= hex over the body) and takes the signing time from the payload', async () => {
    const endpoint = webhookEndpoint();
    const body = jiraIssueCreated({}, NOW - 30_000);
    expect((await post(endpoint, 'jira', body, signRequest('jira', SECRETS.jira, body, NOW))).status).toBe(202);
    const stale = jiraIssueCreated({}, NOW - 6 * 60_000);
    const refused = await post(endpoint, 'jira', stale, signRequest('jira', SECRETS.jira, stale, NOW));
    expect(refused).toMatchObject({ status: 401, body: { error: expect.stringMatching(/more than 5 minutes ago/) as unknown } });
  });

  it('refuses a tampered body with 401 and queues nothing', async () => {
    const endpoint = webhookEndpoint();
    const headers = signRequest('zendesk', SECRETS.zendesk, created, NOW);
    const answer = await post(endpoint, 'zendesk', created.replace('C-DEMO-1', 'C-OTHER-9'), headers);
    expect(answer).toEqual({ status: 401, body: { source: 'zendesk', error: 'the signature does not match the body and the secret of this source' } });
    expect(endpoint.queued).toEqual([]);
  });

  it('refuses a request signed with the wrong secret, or with none', async () => {
    const endpoint = webhookEndpoint();
    expect((await post(endpoint, 'zendesk', created, signRequest('zendesk', 'not-the-secret', created, NOW))).status).toBe(401);
    expect(await post(endpoint, 'zendesk', created, {})).toMatchObject({ status: 401, body: { error: 'no x-zendesk-webhook-signature header' } });
    // Another source's secret does not sign for this one.
    expect((await post(endpoint, 'generic', created, signRequest('generic', SECRETS.zendesk, created, NOW))).status).toBe(401);
    expect(endpoint.queued).toEqual([]);
  });

  it('refuses a request signed more than five minutes ago, and one signed as far ahead', async () => {
    const endpoint = webhookEndpoint();
    const stale = await post(endpoint, 'zendesk', created, signRequest('zendesk', SECRETS.zendesk, created, NOW - 5 * 60_000 - 1000));
    const ahead = await post(endpoint, 'zendesk', created, signRequest('zendesk', SECRETS.zendesk, created, NOW + 5 * 60_000 + 1000));
    expect(stale).toMatchObject({ status: 401, body: { error: 'signed at 2026-02-09T07:55:59.000Z, more than 5 minutes ago' } });
    expect(ahead.status).toBe(401);
    expect((await post(endpoint, 'zendesk', created, signRequest('zendesk', SECRETS.zendesk, created, NOW - 4 * 60_000))).status).toBe(202);
  });

  it('refuses the same signed request again as a replay (409), but takes a re-signed retry of the delivery', async () => {
    // Prepare
    const endpoint = webhookEndpoint();
    const headers = signRequest('zendesk', SECRETS.zendesk, created, NOW);
    await post(endpoint, 'zendesk', created, headers);

    // Act
    const replay = await post(endpoint, 'zendesk', created, headers);
    endpoint.clock.at = NOW + 60_000;
    const retry = await post(endpoint, 'zendesk', created, signRequest('zendesk', SECRETS.zendesk, created, NOW + 60_000));

    // Assess: the retry's event has the same id and body, so intake ignores it as a duplicate.
    expect(replay).toEqual({ status: 409, body: { source: 'zendesk', error: 'replayed request: this signed request was received before' } });
    expect(retry.status).toBe(202);
    expect(endpoint.queued.map((event) => event.eventId)).toEqual(['ticket:4711:opened', 'ticket:4711:opened']);
    expect(new Set(endpoint.queued.map((event) => event.body)).size).toBe(1);
  });

  it('answers 400 with the reason for an unmappable payload, dead-letters it raw and claims nothing', async () => {
    // Prepare
    const endpoint = webhookEndpoint();
    const body = zendeskTriggerPayload('created', zendesk, { organizationExternalId: '' });
    const headers = signRequest('zendesk', SECRETS.zendesk, body, NOW);

    // Act
    const answer = await post(endpoint, 'zendesk', body, headers);

    // Assess
    expect(answer).toEqual({
      status: 400,
      body: {
        source: 'zendesk',
        path: 'ticket.organization_external_id',
        error: "no contract: the ticket's organisation has no external id (set it to the contract id in Zendesk, or map a contract field)",
      },
    });
    expect(endpoint.deadLetters).toEqual([expect.objectContaining({ path: 'ticket.organization_external_id', request: expect.objectContaining({ body }) as unknown })]);
    expect(endpoint.queued).toEqual([]);
    expect(endpoint.requests.claims.size).toBe(0);
  });

  it('answers 400 for generic events that are not valid v1, naming the field, and for a foreign source', async () => {
    const endpoint = webhookEndpoint();
    const bad = JSON.stringify({ eventId: 'x', type: 'case.paused', occurredAt: '2026-02-09T08:00:00Z', contractId: 'C-1', caseId: 'K-1' });
    expect(await post(endpoint, 'generic', bad, signRequest('generic', SECRETS.generic, bad, NOW))).toMatchObject({ status: 400, body: { path: 'reason' } });
    const foreign = JSON.stringify({ eventId: 'x', source: 'zendesk', type: 'case.resolved', occurredAt: '2026-02-09T08:00:00Z', contractId: 'C-1', caseId: 'K-1' });
    expect(await post(endpoint, 'generic', foreign, signRequest('generic', SECRETS.generic, foreign, NOW))).toMatchObject({ status: 400, body: { path: 'source' } });
  });

  it('answers 200 with what was ignored when the payload maps to nothing', async () => {
    const endpoint = webhookEndpoint();
    const body = zendeskTriggerPayload('status_changed', zendesk, { status: 'New' });
    expect(await post(endpoint, 'zendesk', body, signRequest('zendesk', SECRETS.zendesk, body, NOW))).toEqual({
      status: 200,
      body: { source: 'zendesk', queued: [], ignored: 'status "new" changes nothing' },
    });
  });

  it('answers 404 for an unknown source and 413 for a body larger than a dead letter can hold', async () => {
    const endpoint = webhookEndpoint();
    expect((await post(endpoint, 'freshdesk', created, {})).status).toBe(404);
    expect((await post(endpoint, 'constructor', created, {})).status).toBe(404);
    const huge = 'x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1);
    expect((await post(endpoint, 'zendesk', huge, signRequest('zendesk', SECRETS.zendesk, huge, NOW))).status).toBe(413);
  });

  it('answers 503 when the events cannot be queued, and releases the claim so the helpdesk’s retry goes through', async () => {
    const endpoint = webhookEndpoint({ failQueue: true });
    const headers = signRequest('zendesk', SECRETS.zendesk, created, NOW);
    expect((await post(endpoint, 'zendesk', created, headers)).status).toBe(503);
    expect(endpoint.requests.claims.size).toBe(0);
  });

  it('takes up a rotated secret at the first request signed with it, and still accepts the previous one', async () => {
    // Prepare: the secret is cached, then rotated in the store (the previous value kept as AWSPREVIOUS).
    const endpoint = webhookEndpoint();
    await post(endpoint, 'zendesk', created, signRequest('zendesk', SECRETS.zendesk, created, NOW));
    endpoint.stored.zendesk = ['rotated-secret', SECRETS.zendesk];
    endpoint.clock.at = NOW + 20_000;
    const reply = zendeskTriggerPayload('agent_replied', zendesk, { updatedAt: '2026-02-09T08:01Z' });

    // Act
    const withNew = await post(endpoint, 'zendesk', reply, signRequest('zendesk', 'rotated-secret', reply, NOW + 20_000));
    const withOld = await post(endpoint, 'zendesk', reply, signRequest('zendesk', SECRETS.zendesk, reply, NOW + 19_000));

    // Assess
    expect(withNew.status).toBe(202);
    expect(withOld.status).toBe(202);
    expect(endpoint.secretReads()).toBe(2);
  });

  it('reads the body when API Gateway hands it over base64-encoded', async () => {
    const endpoint = webhookEndpoint();
    const request = anHttpApiRequest({ source: 'zendesk', body: created, headers: signRequest('zendesk', SECRETS.zendesk, created, NOW), base64: true });
    expect((await endpoint.handler(request, aLambdaContext('webhooks'))).statusCode).toBe(202);
  });
});
