import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { DynamoStore, StoreMeter } from '#store/dynamo-store.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { aCaseEvent, aRegistration, defaultCatalog, HOUR, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { documentClient } from '#store/dynamo-client.ts';

const OPENED = Date.parse('2026-02-09T08:00:00Z');
const iso = (instant: number): string => new Date(instant).toISOString();

const meter = new StoreMeter();
let store: DynamoStore;

beforeAll(async () => {
  const emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  const client = documentClient(dynamo);
  store = new DynamoStore({ client, tableName: emulators.tableName, onRequest: meter.record });
});

describe('the sweep against DynamoDB Local', () => {
  it('declares due breaches and warnings once; a second run in the same minute writes nothing', async () => {
    // Prepare: case K-1 past its first-response deadline + grace, K-2 at its warning.
    const clock = new TestClock(OPENED);
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
    await intake.processEvent(aRegistration({ contractId: 'S-1' }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'S-1', caseId: 'K-1', at: iso(OPENED) }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'S-1', caseId: 'K-2', at: iso(OPENED + 9 * MINUTE) }));
    clock.at = OPENED + 21 * MINUTE + 10_000;
    const sweep = makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() });

    // Act
    const first = await sweep.run();
    const afterFirst = await store.readContractPartition('S-1');
    clock.at += 30_000;
    meter.reset();
    const second = await sweep.run();
    const afterSecond = await store.readContractPartition('S-1');

    // Assess
    expect(first).toMatchObject({ casesExamined: 2, breachesDeclared: 1, warningsRaised: 1 });
    expect(afterFirst.ledger.map((e) => e.amountMinor)).toEqual([240_000]);
    expect(afterFirst.notices.map((n) => n.type).sort()).toEqual(['credit.issued', 'ops.breach_warning']);
    expect(second).toMatchObject({ casesExamined: 0, breachesDeclared: 0, warningsRaised: 0 });
    expect(meter.writeUnits).toBe(0);
    expect(afterSecond).toEqual(afterFirst);
  });

  it('applies an overdue parked event once its contract exists', async () => {
    const clock = new TestClock(OPENED);
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'S-2', at: iso(OPENED) }));
    // Registered by an intake that crashed before draining the parked events.
    const crashing = Object.assign(Object.create(store) as DynamoStore, { readParkedOf: () => Promise.resolve([]) });
    await makeIntake({ store: crashing, catalog: defaultCatalog(), clock }).processEvent(aRegistration({ contractId: 'S-2' }));
    clock.at = OPENED + 25 * HOUR;

    const report = await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run();

    expect(report).toMatchObject({ parkedApplied: 1, parkedOverdue: 0 });
    const partition = await store.readContractPartition('S-2');
    expect(partition.parked).toEqual([]);
    expect(partition.cases.map((c) => c.caseId)).toEqual(['K-1']);
  });
});
