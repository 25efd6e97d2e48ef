import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { compileCatalog } from '#config/catalog.ts';
import type { CaseEvent, Kpi } from '#domain/model.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { contractPk } from '#store/keys.ts';
import { sizeOf } from '#store/overflow.ts';
import type { YearBreach, YearRecord } from '#store/store.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { aCaseEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { documentClient } from '#store/dynamo-client.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const ITEM_LIMIT = 400_000;

let store: DynamoStore;
let client: DynamoDBDocumentClient;
let tableName: string;
let endpoint: string;

beforeAll(async () => {
  const emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  client = documentClient(dynamo);
  tableName = emulators.tableName;
  endpoint = emulators.dynamodb.endpoint;
  store = new DynamoStore({ client, tableName });
});

/** Every item of a contract's partition with its size as JSON (an upper estimate of DynamoDB's). */
async function partitionSizes(contractId: string): Promise<number[]> {
  const sizes: number[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': contractPk(contractId) },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    sizes.push(...(page.Items ?? []).map(sizeOf));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return sizes;
}

function pauseResume(contractId: string, count: number, from: number): CaseEvent[] {
  return Array.from({ length: count }, (_, k): CaseEvent => {
    const i = from + k;
    const common = { eventId: `helpdesk-${contractId}-${String(i).padStart(6, '0')}`, caseId: 'K-1', occurredAt: openedAt + (i + 1) * 1000 };
    return i % 2 === 0 ? { ...common, type: 'case.paused', reason: 'awaiting_customer' } : { ...common, type: 'case.resumed' };
  });
}

describe('limits on DynamoDB Local', () => {
  it('applies and evaluates a case of 12,000 events: every event applied, no item past 400 KB', async () => {
    // Prepare: a case whose first 11,950 events are stored (through the adapter's split write), then
    // 50 more through the intake, the last one resolving the case.
    const clock = new TestClock(openedAt + 6 * 60 * MINUTE);
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
    await intake.processEvent(aRegistration({ contractId: 'L-1' }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'L-1', at: OPENED }));
    const context = await store.readEventContext({ source: 'default', eventId: 'x', contractId: 'L-1', caseId: 'K-1' });
    const stored = context.case;
    if (stored === null) throw new Error('case missing');
    const seeded = [...stored.events, ...pauseResume('L-1', 11_949, 0)];
    expect(await store.commit([{ kind: 'case', record: { ...stored, events: seeded } }])).toBe('committed');

    // Act
    const outcomes = [];
    for (const event of pauseResume('L-1', 49, 11_949)) {
      outcomes.push(
        await intake.processEvent(
          aCaseEvent(event.type, {
            contractId: 'L-1',
            eventId: event.eventId,
            at: new Date(event.occurredAt).toISOString(),
            ...(event.type === 'case.paused' ? { fields: { reason: 'awaiting_customer' } } : {}),
          }),
        ),
      );
    }
    const resolved = await intake.processEvent(
      aCaseEvent('case.resolved', { contractId: 'L-1', eventId: 'helpdesk-L-1-resolved', at: new Date(openedAt + 4 * 60 * MINUTE).toISOString() }),
    );

    // Assess
    expect(outcomes.every((outcome) => outcome.kind === 'applied')).toBe(true);
    expect(resolved.kind).toBe('applied');
    const partition = await store.readContractPartition('L-1');
    const [kase] = partition.cases;
    expect(kase?.events).toHaveLength(12_000);
    expect(new Set(kase?.events.map((e) => e.eventId)).size).toBe(12_000);
    expect(kase?.decided.resolution).toBeDefined();
    const sizes = await partitionSizes('L-1');
    expect(Math.max(...sizes)).toBeLessThan(ITEM_LIMIT);
    console.info(`case of 12,000 events: ${sizes.length} items, largest ${Math.max(...sizes)} bytes, total ${sizes.reduce((a, b) => a + b, 0)} bytes`);
  });

  it('books into a year whose breaches pass 400 KB and reads every breach back', async () => {
    // Prepare: year 1 of L-2 already holds 4,000 breaches (well past one item), stored through the adapter.
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock: new TestClock(openedAt + 21 * MINUTE) });
    await intake.processEvent(aRegistration({ contractId: 'L-2' }));
    const kpis: readonly Kpi[] = ['firstResponse', 'onSite', 'replacement', 'resolution'];
    const breaches: YearBreach[] = Array.from({ length: 4_000 }, (_, i) => ({
      caseId: `INC-2026-L2-${String(i).padStart(8, '0')}`,
      kpi: kpis[i % 4] as Kpi,
      deadline: Date.parse('2026-01-05T00:00:00Z') + i * 60_000,
      creditPercent: 2,
      stoppedAt: Date.parse('2026-01-05T00:00:00Z') + i * 60_000 + 1,
    }));
    expect(sizeOf(breaches)).toBeGreaterThan(ITEM_LIMIT);
    const year: YearRecord = { contractId: 'L-2', yearIndex: 1, breaches, booked: {}, ledgerSeq: 0, creditNoticesIssued: [], rightsNotified: [], changedAt: null, version: 0 };
    expect(await store.commit([{ kind: 'year', record: year }])).toBe('committed');

    // Act: a late first response declares one more breach in that year.
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'L-2', at: OPENED }));
    const outcome = await intake.processEvent(
      aCaseEvent('case.responded', { contractId: 'L-2', at: new Date(openedAt + 20 * MINUTE).toISOString() }),
    );
    // The next sweep books what intake recorded.
    await makeSweep({ store, catalog: defaultCatalog(), clock: new TestClock(openedAt + 21 * MINUTE) }).run();

    // Assess
    expect(outcome.kind).toBe('applied');
    const [read] = await store.readYears('L-2', [1]);
    expect(read?.breaches).toHaveLength(4_001);
    expect(new Set(read?.breaches.map((b) => `${b.caseId}#${b.kpi}`)).size).toBe(4_001);
    const partition = await store.readContractPartition('L-2');
    expect(partition.years[0]?.breaches).toHaveLength(4_001);
    const sizes = await partitionSizes('L-2');
    expect(Math.max(...sizes)).toBeLessThan(ITEM_LIMIT);
    console.info(`year of 4,001 breaches: ${sizes.length} items, largest ${Math.max(...sizes)} bytes`);
  });

  it('commits a recomputation that rebooks 150 breaches, in one ledger item', async () => {
    // Prepare: a level with 0.5 % credits and a 100 % cap, and a year whose 150 breaches are noticed
    // but not booked yet, so the next change books all of them.
    const file = JSON.parse(readFileSync(new URL('../../catalog/default.json', import.meta.url), 'utf8')) as {
      serviceLevels: Record<string, { kpis: Record<string, { creditPercent: number }>; creditCapPercent: number }>;
    };
    const premium = file.serviceLevels.premium;
    if (premium === undefined) throw new Error('premium missing');
    for (const terms of Object.values(premium.kpis)) terms.creditPercent = 0.5;
    premium.creditCapPercent = 100;
    const catalog = compileCatalog(file);
    const clock = new TestClock(openedAt + MINUTE);
    const intake = makeIntake({ store, catalog, clock });
    await intake.processEvent(aRegistration({ contractId: 'L-3' }));
    const breaches: YearBreach[] = Array.from({ length: 150 }, (_, i) => ({
      caseId: `INC-L3-${i}`,
      kpi: 'onSite',
      deadline: Date.parse('2026-01-05T00:00:00Z') + i * 60_000,
      creditPercent: 0.5,
      stoppedAt: null,
    }));
    const year: YearRecord = {
      contractId: 'L-3',
      yearIndex: 1,
      changedAt: null,
      breaches,
      booked: {},
      ledgerSeq: 0,
      creditNoticesIssued: breaches.map((b) => `${b.caseId}#${b.kpi}`),
      rightsNotified: [],
      version: 0,
    };
    expect(await store.commit([{ kind: 'year', record: year }])).toBe('committed');

    // Act
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'L-3', at: OPENED }));
    clock.at = openedAt + 21 * MINUTE;
    const outcome = await intake.processEvent(
      aCaseEvent('case.responded', { contractId: 'L-3', at: new Date(openedAt + 20 * MINUTE).toISOString() }),
    );
    // The next sweep declares the late answer's breach and rebooks the year.
    const swept = await makeSweep({ store, catalog, clock }).run();

    // Assess
    expect(outcome).toEqual({ kind: 'applied' });
    expect(swept).toMatchObject({ breachesDeclared: 1 });
    const partition = await store.readContractPartition('L-3');
    expect(partition.ledger).toHaveLength(151);
    expect(partition.ledger.map((e) => e.seq)).toEqual(Array.from({ length: 151 }, (_, i) => i + 1));
    const ledgerItems = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ledger)',
        ExpressionAttributeValues: { ':pk': contractPk('L-3'), ':ledger': 'LEDGER#' },
      }),
    );
    expect(ledgerItems.Items?.map((item) => String(item.sk))).toEqual(['LEDGER#0001#000001']);
    expect(partition.notices.filter((n) => n.type === 'credit.adjusted')).toHaveLength(1);
    console.info(`recomputation of 151 ledger entries: 1 ledger item of ${sizeOf(ledgerItems.Items?.[0])} bytes`);
  });
});

describe('DynamoDB Local listens on loopback only', () => {
  it('refuses a connection on the machine’s non-loopback address', async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
    if (address === undefined) {
      console.info('no non-loopback IPv4 interface: nothing to check');
      return;
    }
    const port = Number(new URL(endpoint).port);
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: address, port, timeout: 2_000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve('timeout');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
    // And loopback still answers.
    expect(await fetch(endpoint, { method: 'POST' }).then((response) => response.status)).toBeGreaterThan(0);
  });
});
