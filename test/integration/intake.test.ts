import { eventDigest } from '#events/digest.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import { DynamoStore, StoreMeter } from '#store/dynamo-store.ts';
import { eventKey, noticeKey } from '#store/keys.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { aCaseEvent, anEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { documentClient } from '#store/dynamo-client.ts';

const OPENED = '2026-02-09T09:00:00+01:00';
const openedAt = Date.parse(OPENED);
const at = (offsetMs: number): string => new Date(openedAt + offsetMs).toISOString();

const meter = new StoreMeter();
let store: DynamoStore;
let documents: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  const emulators = useEmulators();
  const dynamo = new DynamoDBClient(emulators.dynamodb);
  await createTable(dynamo, emulators.tableName, { stream: false });
  const client = documentClient(dynamo);
  documents = client;
  tableName = emulators.tableName;
  store = new DynamoStore({ client, tableName: emulators.tableName, onRequest: meter.record });
});

function intakeAt(instant: number) {
  return makeIntake({ store, catalog: defaultCatalog(), clock: new TestClock(instant) });
}

/** The sweep at `instant`, as the every-minute schedule runs it: it books what intake recorded. */
async function sweepAt(instant: number) {
  return makeSweep({ store, catalog: defaultCatalog(), clock: new TestClock(instant) }).run();
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
    const swept = await sweepAt(openedAt + 21 * MINUTE);
    meter.reset();
    const second = await intake.processEvent(late);

    // Assess
    // Intake records the late answer; the next sweep declares the breach and books it, once.
    expect(first).toEqual({ kind: 'applied' });
    expect(swept).toMatchObject({ breachesDeclared: 1, creditsBookedMinor: 240_000 });
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
    await sweepAt(openedAt + 30 * MINUTE);

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

describe('an existing deterministic notice counts as already created (DynamoDB Local)', () => {
  it('a rejected event re-sent after its idempotency record expired is a duplicate of its rejection; its sent notice stays as it was', async () => {
    // Prepare: rejected once, its alert sent, then its idempotency record gone (TTL)
    const intake = intakeAt(openedAt);
    await intake.processEvent(aRegistration({ contractId: 'D-16' }));
    const early = aCaseEvent('case.opened', { contractId: 'D-16', at: '2025-06-01T10:00:00Z' });
    await intake.processEvent(early);
    const [alert] = (await store.readContractPartition('D-16')).notices;
    if (alert === undefined) throw new Error('no rejection notice');
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: noticeKey('D-16', alert.id),
        UpdateExpression: 'SET #state = :sent',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent' },
      }),
    );
    await documents.send(new DeleteCommand({ TableName: tableName, Key: eventKey('default', early.eventId) }));
    meter.reset();

    // Act
    const outcome = await intakeAt(openedAt + MINUTE).processEvent(early);

    // Assess: the commit is cancelled by the existing rejected record (same identity and body): a duplicate
    expect(outcome.kind).toBe('duplicate');
    const partition = await store.readContractPartition('D-16');
    expect(partition.notices.map((n) => [n.id, n.state])).toEqual([[`ops.event_rejected#default#${eventDigest(early)}#${early.eventId}`, 'sent']]);
    expect(partition.rejected.map((r) => r.eventId)).toEqual([early.eventId]);
  });

  it('a stale version beside an existing notice is still a conflict, and nothing is written', async () => {
    // Prepare
    const intake = intakeAt(openedAt);
    await intake.processEvent(aRegistration({ contractId: 'D-7' }));
    const early = aCaseEvent('case.opened', { contractId: 'D-7', at: '2025-06-01T10:00:00Z' });
    await intake.processEvent(early);
    const before = await store.readContractPartition('D-7');
    const [alert] = before.notices;
    const contract = before.contract;
    if (alert === undefined || contract === null) throw new Error('no rejection notice or contract');
    const { state: _state, ...notice } = alert;

    // Act
    const result = await store.commit([
      { kind: 'contract', record: { ...contract, version: contract.version - 1 } },
      { kind: 'notice', notice },
    ]);

    // Assess
    expect(result).toBe('conflict');
    expect(await store.readContractPartition('D-7')).toEqual(before);
  });

  it('a breach whose deadline moves into the next year is booked there with its own notice, not a conflict', async () => {
    // Prepare: onSite 24 h, due 31 December 20:00 Oslo (year 1); the technician is late, on 1 January 03:00
    await intakeAt(Date.parse('2026-12-30T19:01:00Z')).processEvent(aRegistration({ contractId: 'D-8' }));
    const opening = intakeAt(Date.parse('2026-12-30T19:06:00Z'));
    await opening.processEvent(aCaseEvent('case.opened', { contractId: 'D-8', at: '2026-12-30T20:00:00+01:00', fields: { onSiteRequired: true } }));
    await opening.processEvent(aCaseEvent('case.responded', { contractId: 'D-8', at: '2026-12-30T20:05:00+01:00' }));
    const late = intakeAt(Date.parse('2027-01-01T03:01:00Z'));
    await late.processEvent(aCaseEvent('case.technician_arrived', { contractId: 'D-8', at: '2027-01-01T03:00:00+01:00' }));
    await sweepAt(Date.parse('2027-01-01T03:01:00Z'));
    const bookedInYear1 = (await store.readContractPartition('D-8')).ledger.map((e) => [e.yearIndex, e.amountMinor]);

    // Act: a late force-majeure pause of 6 hours moves the deadline to 1 January 02:00 (year 2)
    await late.processEvent(aCaseEvent('case.paused', { contractId: 'D-8', at: '2026-12-31T08:00:00+01:00', fields: { reason: 'force_majeure' } }));
    await late.processEvent(aCaseEvent('case.resumed', { contractId: 'D-8', at: '2026-12-31T14:00:00+01:00' }));
    const rebooked = await sweepAt(Date.parse('2027-01-01T03:02:00Z'));

    // Assess
    expect(bookedInYear1).toEqual([[1, 600_000]]);
    expect(rebooked.itemsFailed ?? 0).toBe(0);
    const partition = await store.readContractPartition('D-8');
    expect(partition.notices.filter((n) => n.type === 'credit.issued').map((n) => n.id).sort()).toEqual([
      'credit.issued#D-8#1#K-1#onSite',
      'credit.issued#D-8#2#K-1#onSite',
    ]);
    expect(partition.ledger.map((e) => [e.yearIndex, e.amountMinor])).toEqual([
      [1, 600_000],
      [1, -600_000],
      [2, 600_000],
    ]);
  });
});
