/**
 * Intake cost and speed: DynamoDB round trips, read units and write units (table and attention index,
 * from ReturnConsumedCapacity) per event type against DynamoDB Local, and events per second in-process
 * on the memory store (zero-latency: what the use case and the rules cost). `npx tsx bench/intake.ts`.
 */
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '#cli/local/dynamodb-local.ts';
import { LOCAL_CREDENTIALS } from '#cli/local/emulators.ts';
import { DynamoStore, StoreMeter } from '#store/dynamo-store.ts';
import { DynamoSourceLagRepository } from '#store/source-lag-repository.ts';
import { TABLE_DEFINITION } from '#store/table-definition.ts';
import { makeIntake } from '#usecases/intake.ts';
import type { AftercareEventV1 } from '#events/v1.ts';
import { MemorySourceLags } from '#test/support/memory-source-lags.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aPortfolio, aRegistration, defaultCatalog, HOUR, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { documentClient } from '#store/dynamo-client.ts';

type Figures = Record<string, number>;

const REGION = 'eu-north-1';
const OPENED = Date.parse('2026-02-09T08:00:00Z');
const iso = (offsetMs: number): string => new Date(OPENED + offsetMs).toISOString();

async function measureDynamo(): Promise<Figures> {
  const dynamodb = await startDynamoDbLocal({ region: REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const raw = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    const definition = structuredClone(TABLE_DEFINITION) as unknown as Omit<CreateTableCommandInput, 'TableName'>;
    await raw.send(new CreateTableCommand({ TableName: 'bench', ...definition }));
    const meter = new StoreMeter();
    const client = documentClient(raw);
    const store = new DynamoStore({ client, tableName: 'bench', onRequest: meter.record });
    const clock = new TestClock(OPENED + MINUTE);
    // Each event on its own, as a batch of one: the source-lag Query is counted per event here, where
    // the handler reads it once per batch of up to ten.
    const sourceLags = new DynamoSourceLagRepository({ client, tableName: 'bench', onRequest: meter.record });
    const intake = makeIntake({ store, sourceLags, catalog: defaultCatalog(), clock });

    const figures: Figures = {};
    const measure = async (label: string, event: AftercareEventV1): Promise<void> => {
      meter.reset();
      const started = performance.now();
      await intake.processEvent(event);
      figures[`${label}: round trips`] = meter.roundTrips;
      figures[`${label}: read units`] = meter.readUnits;
      figures[`${label}: write units (table)`] = meter.tableWriteUnits;
      figures[`${label}: write units (table + index)`] = meter.writeUnits;
      figures[`${label}: ms on DynamoDB Local`] = Math.round(performance.now() - started);
    };
    const K = { contractId: 'B-1', caseId: 'K-1' };
    await measure('contract.registered', aRegistration({ contractId: 'B-1' }));
    await measure('case.opened (new case)', aCaseEvent('case.opened', { ...K, at: iso(0) }));
    await measure('case.onsite_requested (no breach)', aCaseEvent('case.onsite_requested', { ...K, at: iso(MINUTE) }));
    clock.at = OPENED + 21 * MINUTE;
    await measure('case.responded late (breach: year, ledger, notice)', aCaseEvent('case.responded', { ...K, at: iso(20 * MINUTE) }));
    await measure('duplicate delivery', aCaseEvent('case.responded', { ...K, at: iso(20 * MINUTE) }));
    await measure('case.opened delivered 2 h late (raises its source\'s lateness)', aCaseEvent('case.opened', { ...K, caseId: 'K-2', at: iso(21 * MINUTE - 2 * HOUR) }));
    await measure('case event of an unregistered contract (parked)', aCaseEvent('case.opened', { contractId: 'B-2', at: iso(0) }));
    return figures;
  } finally {
    await dynamodb.stop();
  }
}

/**
 * Events per second through processEvent on the memory store: one core, no I/O latency. Each event is
 * processed a minute after it occurred, as a live queue would deliver it.
 */
async function measureMemory(): Promise<Figures> {
  const events = aPortfolio(7, 200, 10).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  const run = async (): Promise<number> => {
    const store = new MemoryStore();
    const clock = new TestClock(0);
    const intake = makeIntake({ store, sourceLags: new MemorySourceLags(), catalog: defaultCatalog(), clock });
    // CPU time, not wall time: a shared machine's other load does not count against the rate per core.
    const started = process.cpuUsage();
    for (const event of events) {
      clock.at = Date.parse(event.occurredAt) + MINUTE;
      await intake.processEvent(event);
    }
    const used = process.cpuUsage(started);
    return (events.length / (used.user + used.system)) * 1_000_000;
  };
  await run(); // warm-up: JIT, calendars, holiday tables
  const rates = [await run(), await run(), await run(), await run(), await run()].sort((a, b) => a - b);
  return { 'memory store: events per CPU-second (median of 5 × 8 200 events)': Math.round(rates[2] ?? 0) };
}

export async function benchIntake(): Promise<Figures> {
  return { ...(await measureDynamo()), ...(await measureMemory()) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [name, value] of Object.entries(await benchIntake())) {
    process.stdout.write(`${name.padEnd(72)} ${value.toLocaleString('en-US').padStart(10)}\n`);
  }
}
