/**
 * The provider's voice on the wire (docs/design.md#7-notices): a credit notice sent through the notifier as it is
 * wired for Lambda (buildNotifierHandler, the catalog's provider) reaches the SES emulator from
 * `"Ærlig Teknikk AS" <sender>` (RFC 2047 encoded) with the provider's Reply-To, and signs with its name.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { noticeStreamEvent } from '#functions/notifier/stream.ts';
import { buildNotifierHandler } from '#functions/notifier/wiring.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { useEmulators, type EmulatorContext } from '#test/support/emulator-context.ts';
import { aCaseEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const SENDER = 'varsler@aerlig-teknikk.example';

let emulators: EmulatorContext;
let store: DynamoStore;
let documents: ReturnType<typeof documentClient>;
let ses: SESv2Client;

beforeAll(async () => {
  emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  documents = documentClient(dynamo);
  store = new DynamoStore({ client: documents, tableName: emulators.tableName });
  ses = new SESv2Client({ ...emulators.ses, maxAttempts: 1 });
});

beforeEach(() => vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true'));
afterEach(() => vi.unstubAllEnvs());

/** RFC 2047 B-encoded words back to text, as a mail client shows them. */
function decodedDisplayName(from: string): string {
  const phrase = from.slice(0, from.lastIndexOf('<')).trim();
  return Buffer.concat(
    phrase.split(' ').map((word) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)?.[1] ?? '', 'base64')),
  ).toString('utf8');
}

describe('a notice sent through the notifier', () => {
  it('comes from the provider by name, with its Reply-To, and is signed by it', async () => {
    // Prepare: a late first response on premium earns a credit; its notice is pending.
    const catalog = defaultCatalog();
    const provider = catalog.provider;
    if (provider === undefined) throw new Error('the default catalog shows an example provider');
    const unique = randomUUID().slice(0, 8);
    const contractId = `V-${unique}`;
    const customerEmail = `innkjop-${unique}@fjellvik-bygg.example`;
    const clock = new TestClock(openedAt + 21 * MINUTE);
    const intake = makeIntake({ store, catalog, clock });
    await intake.processEvent(aRegistration({ contractId, customer: { name: 'Fjellvik Bygg AS', email: customerEmail, locale: 'nb' } }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId, at: OPENED }));
    await intake.processEvent(aCaseEvent('case.responded', { contractId, at: new Date(openedAt + 20 * MINUTE).toISOString() }));
    await makeSweep({ store, catalog, clock }).run(); // books the breach intake recorded
    clock.at += catalog.noticeSettleMinutes * MINUTE;
    const logger = makeLogger('notifier');
    const notifier = buildNotifierHandler({
      table: { documents, tableName: emulators.tableName },
      clock,
      logger,
      metrics: makeMetrics('AftercareTest', 'notifier', logger),
      catalog,
      ses: { client: ses, from: SENDER, configurationSetName: 'aftercare-test' },
      operatorEmail: `drift-${unique}@aerlig-teknikk.example`,
      sleep: () => Promise.resolve(),
    });
    const pending = (await store.readContractPartition(contractId)).notices.filter((n) => n.state === 'pending');
    expect(pending.map((n) => n.type)).toEqual(['credit.issued']);

    // Act
    await notifier(noticeStreamEvent(pending.map((n) => ({ contractId, id: n.id }))), aLambdaContext());

    // Assess
    const emails = (await emulators.sesStore()).filter((email) => email.destination.to.includes(customerEmail));
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.from).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <varsler@aerlig-teknikk\.example>$/);
    expect(decodedDisplayName(email?.from ?? '')).toBe('Ærlig Teknikk AS');
    expect(email?.replyTo).toEqual([provider.replyTo]);
    expect(email?.body.text).toContain('Vennlig hilsen\nKundeservice\nÆrlig Teknikk AS');
    expect(email?.body.html).toContain('Ærlig Teknikk AS</td>');
    expect(email?.body.text).not.toContain('Aftercare');
  });
});
