import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { DynamoStore, StoreMeter } from '#store/dynamo-store.ts';
import { DynamoSourceLagRepository } from '#store/source-lag-repository.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { aCaseEvent, aRegistration, defaultCatalog, HOUR, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { documentClient } from '#store/dynamo-client.ts';

const MINUTE_ONE = Date.parse('2026-02-10T08:30:00Z');
const minutesOf = async (repository: DynamoSourceLagRepository, source: string) =>
  [...((await repository.readAll()).find((state) => state.source === source)?.minutes ?? [])].sort((a, b) => a.minute - b.minute);

const meter = new StoreMeter();
let store: DynamoStore;
let sourceLags: DynamoSourceLagRepository;

beforeAll(async () => {
  const emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  const client = documentClient(dynamo);
  store = new DynamoStore({ client, tableName: emulators.tableName });
  sourceLags = new DynamoSourceLagRepository({ client, tableName: emulators.tableName, onRequest: meter.record });
});

describe('the source-lag repository on DynamoDB Local', () => {
  it('a raise only ever increases its minute: a lower lateness changes nothing, concurrent raises keep the largest', async () => {
    // Act
    await sourceLags.raise({ source: 'crm', minute: MINUTE_ONE, latenessMs: 2 * HOUR, expired: [] });
    await sourceLags.raise({ source: 'crm', minute: MINUTE_ONE, latenessMs: HOUR, expired: [] });
    await Promise.all(
      [3, 7, 5, 4].map((hours) => sourceLags.raise({ source: 'crm', minute: MINUTE_ONE + MINUTE, latenessMs: hours * HOUR, expired: [] })),
    );

    // Assess
    expect(await minutesOf(sourceLags, 'crm')).toEqual([
      { minute: MINUTE_ONE, latenessMs: 2 * HOUR },
      { minute: MINUTE_ONE + MINUTE, latenessMs: 7 * HOUR },
    ]);
  });

  it('reads every source with one Query, and drops expired minutes with the next raise', async () => {
    // Prepare
    await sourceLags.raise({ source: 'helpdesk', minute: MINUTE_ONE, latenessMs: HOUR, expired: [] });
    await sourceLags.raise({ source: 'field-service', minute: MINUTE_ONE, latenessMs: HOUR, expired: [] });

    // Act
    await sourceLags.raise({ source: 'helpdesk', minute: MINUTE_ONE + 40 * MINUTE, latenessMs: 30 * MINUTE, expired: [MINUTE_ONE] });
    meter.reset();
    const states = await sourceLags.readAll();

    // Assess
    expect(meter.roundTrips).toBe(1);
    expect(states.map((state) => state.source)).toEqual(expect.arrayContaining(['helpdesk', 'field-service']));
    expect(await minutesOf(sourceLags, 'helpdesk')).toEqual([{ minute: MINUTE_ONE + 40 * MINUTE, latenessMs: 30 * MINUTE }]);
  });

  it('intake and sweep on the table hold a case delivered 2.5 h late; on-time events write nothing to it', async () => {
    // Prepare
    const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
    const catalog = defaultCatalog();
    const intake = makeIntake({ store, sourceLags, catalog, clock });
    const sweep = makeSweep({ store, sourceLags, catalog, clock, notices: new MemoryNoticeRepository() });
    await intake.processEvent(aRegistration({ contractId: 'L-1', source: 'portal' }));
    const opened = aCaseEvent('case.opened', { contractId: 'L-1', caseId: 'K-1', at: '2026-02-10T06:00:00Z', fields: { source: 'portal' } });
    const responded = aCaseEvent('case.responded', { contractId: 'L-1', caseId: 'K-1', at: '2026-02-10T06:05:00Z', fields: { source: 'portal' } });

    // Act: the opening arrives 2.5 h late, a sweep runs, then the answer arrives.
    clock.at = Date.parse('2026-02-10T08:30:00Z');
    meter.reset();
    await intake.processEvent(opened);
    const lateWriteUnits = meter.tableWriteUnits;
    clock.at += 2 * MINUTE;
    const report = await sweep.run();
    clock.at += 2 * MINUTE;
    await intake.processEvent(responded);
    clock.at = Date.parse('2026-02-10T12:00:00Z');
    meter.reset();
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'L-1', caseId: 'K-2', at: '2026-02-10T11:59:40Z', fields: { source: 'portal' } }));

    // Assess
    expect(report.breachesDeclared).toBe(0);
    expect((await store.readContractPartition('L-1')).ledger).toEqual([]);
    expect(lateWriteUnits).toBe(1);
    expect(meter.tableWriteUnits).toBe(0);
  });
});
