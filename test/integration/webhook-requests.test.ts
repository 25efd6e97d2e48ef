/**
 * Seen webhook requests on DynamoDB Local and in the memory twin, held to the same semantics
 * (docs/design.md#13-integrations): a claim succeeds once until it expires, concurrent claims of one request let
 * exactly one through, and a released claim may be taken again.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { DynamoWebhookRequestRepository } from '#store/dynamo-webhook-request-repository.ts';
import type { WebhookRequestRepository } from '#store/webhook-request-repository.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { MemoryWebhookRequests } from '#test/support/memory-webhook-requests.ts';

const NOW = Date.parse('2026-02-09T08:00:00Z');
const TEN_MINUTES = 600_000;
const repositories: Record<string, WebhookRequestRepository> = { memory: new MemoryWebhookRequests() };

beforeAll(async () => {
  const emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  repositories.dynamodb = new DynamoWebhookRequestRepository({ client: documentClient(dynamo), tableName: emulators.tableName });
});

describe.each(['dynamodb', 'memory'])('seen webhook requests (%s)', (name) => {
  const repository = (): WebhookRequestRepository => repositories[name] as WebhookRequestRepository;

  it('lets a request be claimed once until its claim expires, per source', async () => {
    expect(await repository().claim('zendesk', `${name}-a`, NOW, NOW + TEN_MINUTES)).toBe(true);
    expect(await repository().claim('zendesk', `${name}-a`, NOW + 60_000, NOW + 60_000 + TEN_MINUTES)).toBe(false);
    expect(await repository().claim('jira', `${name}-a`, NOW, NOW + TEN_MINUTES)).toBe(true);
    expect(await repository().claim('zendesk', `${name}-a`, NOW + TEN_MINUTES + 1000, NOW + 2 * TEN_MINUTES)).toBe(true);
  });

  it('lets exactly one of concurrent claims of the same request through', async () => {
    const claims = await Promise.all(Array.from({ length: 8 }, () => repository().claim('zendesk', `${name}-b`, NOW, NOW + TEN_MINUTES)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('lets a released claim be taken again', async () => {
    await repository().claim('generic', `${name}-c`, NOW, NOW + TEN_MINUTES);
    await repository().release('generic', `${name}-c`);
    expect(await repository().claim('generic', `${name}-c`, NOW, NOW + TEN_MINUTES)).toBe(true);
  });
});
