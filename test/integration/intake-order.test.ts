import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { breachKey } from '#domain/credits.ts';
import type { AftercareEventV1 } from '#events/v1.ts';
import { contractIdOfEvent } from '#events/owners.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { readStatement } from '#usecases/statement.ts';
import { AftercareError } from '../../shared/errors.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { aPortfolio, defaultCatalog, seededRandom, shuffled, TestClock } from '#test/support/factories/events.ts';
import { documentClient } from '#store/dynamo-client.ts';

const AS_OF = Date.parse('2026-12-01T00:00:00Z');
const WORKERS = 6;

async function freshStore(suffix: string): Promise<DynamoStore> {
  const emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  const tableName = `${emulators.tableName}-${suffix}`;
  // No stream: nothing here reads it, and DynamoDB Local slows down as stream records pile up.
  await createTable(dynamo, tableName, { stream: false });
  return new DynamoStore({ client: documentClient(dynamo), tableName });
}

/** Like SQS: several consumers take messages off one queue; a retryable failure puts the message back. */
async function deliver(intake: Intake, queue: AftercareEventV1[]): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let event = queue.shift(); event !== undefined; event = queue.shift()) {
      try {
        await intake.processEvent(event);
      } catch (error) {
        if (!(error instanceof AftercareError) || !error.retryable) throw error;
        queue.push(event);
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
}

/** The statement's rules-derived part and the net credit per breach (ledger entries differ by path). */
async function outcomeOf(store: DynamoStore, contractIds: readonly string[]) {
  return Promise.all(
    contractIds.map(async (contractId) => {
      const statement = await readStatement(store, defaultCatalog(), contractId, AS_OF);
      const net: Record<string, number> = {};
      for (const entry of statement?.ledger ?? []) {
        const key = breachKey(entry.caseId, entry.kpi);
        net[key] = (net[key] ?? 0) + entry.amountMinor;
      }
      const { ledger: _ledger, notices: _notices, ...decided } = statement ?? { ledger: [], notices: [] };
      return { decided, net: Object.fromEntries(Object.entries(net).filter(([, amount]) => amount !== 0)) };
    }),
  );
}

describe('outcome does not depend on delivery order or duplicates (DynamoDB Local)', () => {
  it('gives the same statements for 500 events shuffled and partly redelivered as for sorted delivery', { timeout: 900_000 }, async () => {
    // Prepare
    const events = aPortfolio(42);
    const contractIds = [...new Set(events.flatMap((e) => contractIdOfEvent(e) ?? []))];
    const random = seededRandom(4242);
    const sorted = [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    const redelivered = events.filter(() => random() < 0.2);
    const disorderly = shuffled([...events, ...redelivered], random);
    const [inOrder, outOfOrder] = await Promise.all([freshStore('sorted'), freshStore('shuffled')]);

    // Act: sorted delivery one by one (a FIFO consumer); shuffled delivery by concurrent consumers. Each
    // has its own table, so the two run side by side.
    const sortedIntake = makeIntake({ store: inOrder, catalog: defaultCatalog(), clock: new TestClock(AS_OF) });
    const oneByOne = async (): Promise<void> => {
      for (const event of sorted) await sortedIntake.processEvent(event);
    };
    await Promise.all([
      oneByOne(),
      deliver(makeIntake({ store: outOfOrder, catalog: defaultCatalog(), clock: new TestClock(AS_OF) }), disorderly),
    ]);
    // Then the sweep, as the schedule runs it: it books what intake recorded.
    await Promise.all([inOrder, outOfOrder].map((store) => makeSweep({ store, catalog: defaultCatalog(), clock: new TestClock(AS_OF) }).run()));

    // Assess
    expect(events).toHaveLength(500);
    expect(redelivered.length).toBeGreaterThan(50);
    const expected = await outcomeOf(inOrder, contractIds);
    const actual = await outcomeOf(outOfOrder, contractIds);
    expect(expected.some((c) => Object.keys(c.net).length > 0)).toBe(true);
    expect(actual).toEqual(expected);
  });
});
