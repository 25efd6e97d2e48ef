/**
 * USD per million events at us-east-1 prices, for Aftercare's intake (idempotency inside the business
 * transaction) and for the common baseline (bench/baseline-idempotency.ts), from round trips and request
 * units measured on DynamoDB Local over one stated event mix. `npx tsx bench/cost.ts` prints both.
 */
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#cli/local/dynamodb-local.ts';
import { LOCAL_CREDENTIALS } from '#cli/local/emulators.ts';
import type { AftercareEventV1 } from '#events/v1.ts';
import { contractIdOfEvent } from '#events/owners.ts';
import { INTAKE_BATCH_SIZE } from '#infra/queue-settings.ts';
import { DynamoStore, StoreMeter } from '#store/dynamo-store.ts';
import { TABLE_DEFINITION } from '#store/table-definition.ts';
import { makeIntake } from '#usecases/intake.ts';
import type { EventOutcome } from '#usecases/ports.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aPortfolio, defaultCatalog, MINUTE, seededRandom, TestClock } from '#test/support/factories/events.ts';
import { makeBaselineIntake } from './baseline-idempotency.ts';
import { documentClient } from '#store/dynamo-client.ts';

type Figures = Record<string, number>;

/**
 * us-east-1 list prices, recorded 2026-11-28 from the public pricing pages (no network call here:
 * re-check before quoting). Lambda https://aws.amazon.com/lambda/pricing/ (arm64, first 7.5 billion
 * GB-s a month); SQS https://aws.amazon.com/sqs/pricing/ (standard queue, first 100 billion requests);
 * DynamoDB https://aws.amazon.com/dynamodb/pricing/on-demand/ (standard table class, on-demand, the
 * rates in force since the 2024-11-01 reduction); SES https://aws.amazon.com/ses/pricing/ (outbound email).
 */
export const PRICES = {
  recordedOn: '2026-11-28',
  region: 'us-east-1',
  lambdaArm64PerGbSecond: 0.000_013_333_4,
  lambdaPerMillionRequests: 0.2,
  sqsPerMillionRequests: 0.4,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  sesPerThousandEmails: 0.1,
} as const;

/** Assumptions the emulator cannot measure; each figure below names which ones it uses. */
export const ASSUMPTIONS = {
  /** The functions' memory (infra/constructs/aftercare-function.ts default). */
  memoryGb: 0.5,
  /** One DynamoDB request from Lambda in the same region. */
  dynamoRoundTripMs: 6,
  /** One SES SendEmail from Lambda. */
  sesSendMs: 60,
  /** SQS requests per event: the integration's SendMessage, and the poller's receive and delete per batch. */
  sqsRequestsPerEvent: 1 + 2 / INTAKE_BATCH_SIZE,
  /** Notifier writes per notice: lease and mark-sent updates, each with its attention-index change. */
  notifierWriteUnitsPerNotice: 4,
  /** Share of deliveries that are redeliveries (SQS at-least-once, integration retries). */
  duplicateShare: 0.05,
} as const;

const REGION = 'eu-north-1';

/** The mix: 20 premium contracts, 6 cases each (opened, responded, a pause or the technician, resolved), 5 % redelivered. */
function eventMix(): AftercareEventV1[] {
  const portfolio = aPortfolio(11, 20, 6).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  const random = seededRandom(11);
  return portfolio.flatMap((event) => (random() < ASSUMPTIONS.duplicateShare ? [event, event] : [event]));
}

interface Measured {
  readonly events: number;
  readonly roundTripsPerEvent: number;
  readonly readUnitsPerEvent: number;
  readonly writeUnitsPerEvent: number;
  readonly noticesPerEvent: number;
}

type Intake = { processEvent(event: AftercareEventV1): Promise<EventOutcome> };

async function measure(
  events: readonly AftercareEventV1[],
  build: (store: DynamoStore, client: DynamoDBDocumentClient, table: string, clock: TestClock, meter: StoreMeter) => Intake,
  raw: DynamoDBClient,
  table: string,
): Promise<Measured> {
  const definition = structuredClone(TABLE_DEFINITION) as unknown as Omit<CreateTableCommandInput, 'TableName'>;
  await raw.send(new CreateTableCommand({ TableName: table, ...definition }));
  const client = documentClient(raw);
  const meter = new StoreMeter();
  const store = new DynamoStore({ client, tableName: table, onRequest: meter.record });
  const clock = new TestClock(0);
  const intake = build(store, client, table, clock, meter);
  for (const event of events) {
    clock.at = Date.parse(event.occurredAt) + MINUTE;
    await intake.processEvent(event);
  }
  const { roundTrips, readUnits, writeUnits } = meter;
  const contracts = [...new Set(events.flatMap((event) => contractIdOfEvent(event) ?? []))];
  let notices = 0;
  for (const contractId of contracts) notices += (await store.readContractPartition(contractId)).notices.length;
  const per = (total: number): number => total / events.length;
  return {
    events: events.length,
    roundTripsPerEvent: per(roundTrips),
    readUnitsPerEvent: per(readUnits),
    writeUnitsPerEvent: per(writeUnits),
    noticesPerEvent: per(notices),
  };
}

/** CPU ms per event of the use case and the rules, on the memory store (no I/O), after a warm-up. */
async function cpuMsPerEvent(events: readonly AftercareEventV1[]): Promise<number> {
  const run = async (): Promise<number> => {
    const clock = new TestClock(0);
    const intake = makeIntake({ store: new MemoryStore(), catalog: defaultCatalog(), clock });
    const started = performance.now();
    for (const event of events) {
      clock.at = Date.parse(event.occurredAt) + MINUTE;
      await intake.processEvent(event);
    }
    return (performance.now() - started) / events.length;
  };
  await run();
  return Math.min(await run(), await run());
}

/** USD per million events: intake and notifier Lambda, SQS, DynamoDB request units, SES. */
function usdPerMillion(measured: Measured, cpuMs: number): Figures {
  const million = 1_000_000;
  const intakeMs = measured.roundTripsPerEvent * ASSUMPTIONS.dynamoRoundTripMs + cpuMs;
  const notices = measured.noticesPerEvent * million;
  const notifierMs = ASSUMPTIONS.sesSendMs + 2 * ASSUMPTIONS.dynamoRoundTripMs;
  const gbSeconds = (million * intakeMs + notices * notifierMs) / 1000 * ASSUMPTIONS.memoryGb;
  const invocations = million / INTAKE_BATCH_SIZE + notices;
  const lambda = gbSeconds * PRICES.lambdaArm64PerGbSecond + (invocations / million) * PRICES.lambdaPerMillionRequests;
  const sqs = ASSUMPTIONS.sqsRequestsPerEvent * PRICES.sqsPerMillionRequests;
  const writeUnits = measured.writeUnitsPerEvent * million + notices * ASSUMPTIONS.notifierWriteUnitsPerNotice;
  const dynamo =
    (writeUnits / million) * PRICES.dynamoPerMillionWriteUnits + measured.readUnitsPerEvent * PRICES.dynamoPerMillionReadUnits;
  const ses = (notices / 1000) * PRICES.sesPerThousandEmails;
  const round = (usd: number): number => Math.round(usd * 1000) / 1000;
  return { lambda: round(lambda), sqs: round(sqs), dynamodb: round(dynamo), ses: round(ses), total: round(lambda + sqs + dynamo + ses) };
}

export async function benchCost(): Promise<Figures> {
  const events = eventMix();
  const dynamodb = await startDynamoDbLocal({ region: REGION, credentials: LOCAL_CREDENTIALS });
  let ours: Measured;
  let baseline: Measured;
  try {
    const raw = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    ours = await measure(events, (store, _client, _table, clock) => makeIntake({ store, catalog: defaultCatalog(), clock }), raw, 'cost-ours');
    baseline = await measure(
      events,
      (store, client, tableName, clock, meter) =>
        makeBaselineIntake({
          client,
          tableName,
          store,
          catalog: defaultCatalog(),
          clock,
          onRequest: ({ writeUnits }) => meter.record({ operation: 'PutItem', readUnits: 0, writeUnits, tableWriteUnits: writeUnits }),
        }),
      raw,
      'cost-baseline',
    );
  } finally {
    await dynamodb.stop();
  }
  const cpuMs = await cpuMsPerEvent(events);
  const figures: Figures = { 'events in the mix (5 % redelivered)': events.length, 'cpu ms per event (memory store)': Math.round(cpuMs * 1000) / 1000 };
  for (const [label, measured] of [['aftercare', ours], ['baseline', baseline]] as const) {
    figures[`${label}: round trips per event`] = Math.round(measured.roundTripsPerEvent * 1000) / 1000;
    figures[`${label}: read units per event`] = Math.round(measured.readUnitsPerEvent * 1000) / 1000;
    figures[`${label}: write units per event (table + index)`] = Math.round(measured.writeUnitsPerEvent * 1000) / 1000;
    figures[`${label}: notices per event`] = Math.round(measured.noticesPerEvent * 1000) / 1000;
    for (const [service, usd] of Object.entries(usdPerMillion(measured, cpuMs))) figures[`${label}: USD per million events, ${service}`] = usd;
  }
  const ratio = (figures['baseline: USD per million events, total'] ?? 0) / (figures['aftercare: USD per million events, total'] ?? 1);
  figures['baseline / aftercare total cost'] = Math.round(ratio * 1000) / 1000;
  const withoutSes = (label: string): number =>
    (figures[`${label}: USD per million events, total`] ?? 0) - (figures[`${label}: USD per million events, ses`] ?? 0);
  figures['baseline / aftercare cost without SES'] = Math.round((withoutSes('baseline') / withoutSes('aftercare')) * 1000) / 1000;
  figures['baseline / aftercare round trips'] =
    Math.round((baseline.roundTripsPerEvent / ours.roundTripsPerEvent) * 1000) / 1000;
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`prices: ${PRICES.region}, recorded ${PRICES.recordedOn}; assumptions: ${JSON.stringify(ASSUMPTIONS)}\n`);
  for (const [name, value] of Object.entries(await benchCost())) {
    process.stdout.write(`${name.padEnd(56)} ${String(value).padStart(10)}\n`);
  }
}
