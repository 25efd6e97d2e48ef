/**
 * What one sweep costs on DynamoDB Local: requests, read and write units (ReturnConsumedCapacity), on an
 * empty table, with 100 000 open cases of which none is due, and of which 100 are due. The attention
 * index is what keeps the cost proportional to the due cases, not to the open ones. The notice upkeep
 * the deployed sweep also runs (one Query per notice shard, 4 more requests) is not metered here.
 * `npx tsx bench/sweep.ts` prints the figures.
 */
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#cli/local/dynamodb-local.ts';
import { LOCAL_CREDENTIALS } from '#cli/local/emulators.ts';
import type { ContractTerms } from '#domain/model.ts';
import { DynamoStore, StoreMeter } from '#store/dynamo-store.ts';
import { DynamoItemFailureRepository } from '#store/item-failures.ts';
import { caseItem, contractItem, type Item } from '#store/items.ts';
import type { CaseRecord, ContractRecord } from '#store/store.ts';
import { TABLE_DEFINITION } from '#store/table-definition.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { documentClient } from '#store/dynamo-client.ts';

type Figures = Record<string, number>;

export const OPEN_CASES = 100_000;
export const DUE_CASES = 100;
const CASES_PER_CONTRACT = 100;
const WRITERS = 16;
/** BatchWriteItem takes at most 25 items. */
const BATCH_ITEMS = 25;
const REGION = 'eu-north-1';
const TABLE = 'bench-sweep';

/** The minute of the measured sweep. */
const NOW = Date.parse('2026-06-10T10:00:00Z');

function aContract(contractId: string): ContractRecord {
  const terms: ContractTerms = {
    contractId,
    customer: { name: 'Nordlys Logistikk AS', email: `drift+${contractId}@nordlys.example`, locale: 'nb' },
    serviceLevel: 'premium',
    annualFee: { minor: 12_000_000, currency: 'NOK' },
    startDate: '2026-01-01',
    timeZone: 'Europe/Oslo',
    bindingYears: 1,
    autoRenew: true,
    noticeDays: 90,
    reminderDays: [120, 30],
  };
  return { terms, termination: null, registeredAt: NOW, registeredBy: { source: 'default', eventId: `reg-${contractId}`, digest: null }, lastAdvancedDate: null, nextLifecycleDate: '2026-09-02', version: 0 };
}

/**
 * Premium first response: 15 min, warning at 80 %. A due case was opened 30 min ago (its warning and
 * its breach are due); an open one 5 min ago (its warning is 7 min away).
 */
function anOpenCase(contractId: string, caseId: string, due: boolean): CaseRecord {
  const openedAt = due ? NOW - 30 * MINUTE : NOW - 5 * MINUTE;
  return {
    contractId,
    caseId,
    events: [{ eventId: `hd-${contractId}-${caseId}`, caseId, occurredAt: openedAt, type: 'case.opened' }],
    warned: [],
    decided: {},
    nextAttentionAt: openedAt + 12 * MINUTE,
    sources: ['default'],
    version: 0,
  };
}

function* seedItems(): Generator<Item> {
  const contracts = OPEN_CASES / CASES_PER_CONTRACT;
  const dueEvery = OPEN_CASES / DUE_CASES;
  for (let c = 0; c < contracts; c += 1) {
    const contractId = `S-${String(c).padStart(5, '0')}`;
    yield contractItem(aContract(contractId), 1);
    for (let k = 0; k < CASES_PER_CONTRACT; k += 1) {
      const ordinal = c * CASES_PER_CONTRACT + k;
      yield caseItem(anOpenCase(contractId, `K-${k}`, ordinal % dueEvery === 0), 1);
    }
  }
}

async function seed(client: DynamoDBDocumentClient): Promise<number> {
  const items = seedItems();
  let written = 0;
  const writer = async (): Promise<void> => {
    for (;;) {
      const batch: Item[] = [];
      for (let next = items.next(); !next.done; next = items.next()) {
        batch.push(next.value);
        if (batch.length === BATCH_ITEMS) break;
      }
      if (batch.length === 0) return;
      let pending: Record<string, unknown>[] = batch.map((item) => ({ PutRequest: { Item: item } }));
      while (pending.length > 0) {
        const output = await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
        pending = output.UnprocessedItems?.[TABLE] ?? [];
      }
      written += batch.length;
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return written;
}

export async function benchSweep(): Promise<Figures> {
  const dynamodb = await startDynamoDbLocal({ region: REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const raw = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    const definition = structuredClone(TABLE_DEFINITION) as unknown as Omit<CreateTableCommandInput, 'TableName'>;
    await raw.send(new CreateTableCommand({ TableName: TABLE, ...definition }));
    const client = documentClient(raw);
    const meter = new StoreMeter();
    const store = new DynamoStore({ client, tableName: TABLE, onRequest: meter.record });
    const clock = new TestClock(NOW);
    // As deployed: the failure counts are read once per run (one Query of the FAILING partition, not metered here).
    const failures = new DynamoItemFailureRepository({ client, tableName: TABLE });
    const sweep = makeSweep({ store, failures, catalog: defaultCatalog(), clock });
    const figures: Figures = {};

    const measure = async (label: string, at: number): Promise<void> => {
      clock.at = at;
      meter.reset();
      const started = performance.now();
      const report = await sweep.run();
      figures[`${label}: requests`] = meter.roundTrips;
      figures[`${label}: read units`] = meter.readUnits;
      figures[`${label}: write units`] = meter.writeUnits;
      figures[`${label}: cases examined`] = report.casesExamined;
      figures[`${label}: ms on DynamoDB Local`] = Math.round(performance.now() - started);
    };

    await measure('empty table', NOW);
    const seedStarted = performance.now();
    figures['items seeded (BatchWriteItem, 16 in parallel)'] = await seed(client);
    figures['seeding s'] = Math.round((performance.now() - seedStarted) / 100) / 10;
    // Ten minutes earlier no case is due yet: the due ones reach their warning at NOW - 18 min.
    await measure(`${OPEN_CASES} open, none due`, NOW - 20 * MINUTE);
    await measure(`${OPEN_CASES} open, ${DUE_CASES} due`, NOW);
    await measure(`${OPEN_CASES} open, same minute again`, NOW);
    return figures;
  } finally {
    await dynamodb.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [name, value] of Object.entries(await benchSweep())) {
    process.stdout.write(`${name.padEnd(52)} ${value.toLocaleString('en-US').padStart(10)}\n`);
  }
}
