import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { DynamoStore, StoreMeter } from '#store/dynamo-store.ts';
import { makeIntake } from '#usecases/intake.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { aCaseEvent, anEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const at = (offsetMs: number): string => new Date(openedAt + offsetMs).toISOString();

const meter = new StoreMeter();
let store: DynamoStore;

beforeAll(async () => {
  const emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  const client = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoStore({ client, tableName: emulators.tableName, onRequest: meter.record });
});

function intakeAt(instant: number) {
  return makeIntake({ store, catalog: defaultCatalog(), clock: new TestClock(instant) });
}

describe('intake against DynamoDB Local', () => {
  it('gives one effect for a duplicate delivery, acknowledged without a write', async () => {
    // Prepare
    const intake = intakeAt(openedAt + 21 * MINUTE);
    await intake.processEvent(aRegistration({ contractId: 'D-1' }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'D-1', at: OPENED }));
    const late = aCaseEvent('case.responded', { contractId: 'D-1', at: at(20 * MINUTE) });

    // Act
    const first = await intake.processEvent(late);
    meter.reset();
    const second = await intake.processEvent(late);

    // Assess
    expect(first).toEqual({ kind: 'applied' });
    expect(second).toEqual({ kind: 'duplicate' });
    expect(meter.roundTrips).toBe(1);
    expect(meter.writeUnits).toBe(0);
    const partition = await store.readContractPartition('D-1');
    expect(partition.ledger.map((e) => e.amountMinor)).toEqual([240_000]);
    expect(partition.notices.filter((n) => n.type === 'credit.issued')).toHaveLength(1);
  });

  it('applies a case event that causes no breach in 2 round trips and at most 4 table write units', async () => {
    const intake = intakeAt(openedAt + MINUTE);
    await intake.processEvent(aRegistration({ contractId: 'D-2' }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'D-2', at: OPENED }));
    meter.reset();

    await intake.processEvent(aCaseEvent('case.responded', { contractId: 'D-2', at: at(MINUTE) }));

    expect(meter.roundTrips).toBe(2);
    expect(meter.tableWriteUnits).toBeGreaterThan(0);
    expect(meter.tableWriteUnits).toBeLessThanOrEqual(4);
  });

  it('lands both of two concurrent events on the same case (optimistic locking)', async () => {
    // Prepare
    const intake = intakeAt(openedAt + 5 * MINUTE);
    await intake.processEvent(aRegistration({ contractId: 'D-3' }));
    await intake.processEvent(aCaseEvent('case.opened', { contractId: 'D-3', at: OPENED }));

    // Act
    const outcomes = await Promise.all([
      intake.processEvent(aCaseEvent('case.responded', { contractId: 'D-3', at: at(2 * MINUTE) })),
      intake.processEvent(aCaseEvent('case.onsite_requested', { contractId: 'D-3', at: at(3 * MINUTE) })),
    ]);

    // Assess
    expect(outcomes).toEqual([{ kind: 'applied' }, { kind: 'applied' }]);
    const [caseRecord] = (await store.readContractPartition('D-3')).cases;
    expect(caseRecord?.events.map((e) => e.type).sort()).toEqual(['case.onsite_requested', 'case.opened', 'case.responded']);
    expect(caseRecord?.version).toBe(3);
  });

  it('applies the cases of a contract registered after them', async () => {
    // Prepare
    const intake = intakeAt(openedAt + 30 * MINUTE);
    const parkedOutcomes = [
      await intake.processEvent(aCaseEvent('case.opened', { contractId: 'D-4', at: OPENED })),
      await intake.processEvent(aCaseEvent('case.responded', { contractId: 'D-4', at: at(25 * MINUTE) })),
    ];

    // Act
    const registered = await intake.processEvent(aRegistration({ contractId: 'D-4' }));

    // Assess
    expect(parkedOutcomes).toEqual([{ kind: 'parked' }, { kind: 'parked' }]);
    expect(registered).toEqual({ kind: 'applied' });
    const partition = await store.readContractPartition('D-4');
    expect(partition.parked).toEqual([]);
    expect(partition.cases[0]?.events).toHaveLength(2);
    expect(partition.ledger.map((e) => e.amountMinor)).toEqual([240_000]);
  });

  it('rejects a case event opened outside the contract period and records why', async () => {
    const intake = intakeAt(openedAt);
    await intake.processEvent(aRegistration({ contractId: 'D-5' }));

    const outcome = await intake.processEvent(aCaseEvent('case.opened', { contractId: 'D-5', at: '2025-06-01T10:00:00Z' }));

    expect(outcome.kind).toBe('rejected');
    const partition = await store.readContractPartition('D-5');
    expect(partition.rejected.map((r) => r.type)).toEqual(['case.opened']);
    expect(partition.notices.map((n) => n.type)).toEqual(['ops.event_rejected']);
  });

  it('applies two sources with the same eventId, and records a conflicting duplicate once (its redelivery is a duplicate)', async () => {
    // Prepare
    const intake = intakeAt(openedAt + MINUTE);
    await intake.processEvent(aRegistration({ contractId: 'D-6' }));
    const opened = anEvent({ ...aCaseEvent('case.opened', { contractId: 'D-6', at: OPENED, eventId: 'same|id#1' }), source: 'zendesk' });
    const otherSource = anEvent({ ...aCaseEvent('case.opened', { contractId: 'D-6', caseId: 'K-2', at: OPENED, eventId: 'same|id#1' }), source: 'fieldtool' });
    const conflicting = anEvent({ ...opened, priority: 'critical' });

    // Act
    const outcomes = [
      await intake.processEvent(opened),
      await intake.processEvent(otherSource),
      await intake.processEvent(conflicting),
      await intake.processEvent(conflicting),
      await intake.processEvent(opened),
    ];

    // Assess
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'rejected', 'duplicate', 'duplicate']);
    const partition = await store.readContractPartition('D-6');
    expect(partition.cases.map((c) => c.events.map((e) => [e.source, e.eventId, e.type === 'case.opened' ? (e.priority ?? 'normal') : e.type]))).toEqual([
      [['zendesk', 'same|id#1', 'normal']],
      [['fieldtool', 'same|id#1', 'normal']],
    ]);
    expect(partition.rejected).toEqual([
      expect.objectContaining({ source: 'zendesk', eventId: 'same|id#1', reason: expect.stringMatching(/^conflicting duplicate/) as string }),
    ]);
    expect(partition.notices.filter((n) => n.type === 'ops.event_rejected')).toHaveLength(1);
  });
});
