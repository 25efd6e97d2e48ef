import { beforeEach, describe, expect, it } from 'vitest';
import type { Kpi } from '#domain/model.ts';
import { contractItem } from '#store/items.ts';
import { shardOf } from '#store/keys.ts';
import type { YearRecord } from '#store/store.ts';
import { makeIntake, type Intake } from '#usecases/intake.ts';
import { makeLifecycle } from '#usecases/lifecycle.ts';
import { MAX_ITEM_ATTEMPTS } from '#usecases/item-retry.ts';
import { MemoryItemFailures } from '#test/support/memory-item-failures.ts';
import { MemoryLifecycleRepository } from '#test/support/memory-lifecycle-repository.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aRegistration, aTerminationRequest, defaultCatalog, TestClock } from '#test/support/factories/events.ts';

let store: MemoryStore;
let repository: MemoryLifecycleRepository;
let clock: TestClock;
let intake: Intake;

const lifecycle = () => makeLifecycle({ store, contracts: repository, catalog: defaultCatalog(), clock }).run();

/** 06:00 in Oslo on a winter date (the daily schedule). */
function morningOf(date: string): void {
  clock.set(`${date}T06:00:00+01:00`);
}

const contract = () => {
  const found = store.contracts.get('C-1');
  if (found === undefined) throw new Error('C-1 is not registered');
  return found;
};

const noticeIds = (): string[] => [...store.notices.values()].map((n) => n.id).sort();

function aYear(yearIndex: number, breaches: { caseId: string; kpi: Kpi; deadline: string; creditPercent: number }[]): YearRecord {
  return {
    contractId: 'C-1',
    yearIndex,
    breaches: breaches.map((b) => ({ ...b, deadline: Date.parse(b.deadline), stoppedAt: null })),
    booked: {},
    ledgerSeq: 0,
    creditNoticesIssued: [],
    rightsNotified: [],
    changedAt: null,
    version: 0,
  };
}

async function register(overrides: Record<string, unknown> = {}): Promise<void> {
  clock.set('2025-12-15T10:00:00+01:00');
  await intake.processEvent(aRegistration(overrides));
}

beforeEach(() => {
  store = new MemoryStore();
  repository = new MemoryLifecycleRepository(store);
  clock = new TestClock(0);
  intake = makeIntake({ store, catalog: defaultCatalog(), clock });
});

describe('registration', () => {
  it('writes the first lifecycle entry: due on the start date, never advanced', async () => {
    // Act
    await register();

    // Assess
    expect(contract()).toMatchObject({ nextLifecycleDate: '2026-01-01', lastAdvancedDate: null });
    expect(contractItem(contract(), 1)).toMatchObject({
      apk: `LIFECYCLE#${shardOf('lifecycle', 'C-1')}`,
      ask: '2026-01-01#C-1',
    });
  });

  it('leaves the attention index once the contract has no next lifecycle date', async () => {
    // Prepare
    await register();

    // Act
    const item = contractItem({ ...contract(), nextLifecycleDate: null }, 2);

    // Assess
    expect(item).not.toHaveProperty('apk');
    expect(item).not.toHaveProperty('ask');
  });
});

describe('a daily run', () => {
  it('takes a first look on the start date and moves the contract to its first reminder', async () => {
    // Prepare
    await register();
    morningOf('2026-01-01');

    // Act
    const report = await lifecycle();

    // Assess
    expect(report).toMatchObject({ contractsDue: 1, contractsAdvanced: 1, daysAdvanced: 0, noticesCreated: 0, failed: [] });
    expect(contract()).toMatchObject({ lastAdvancedDate: '2026-01-01', nextLifecycleDate: '2026-09-03' });
  });

  it('writes a reminder day in one transaction: the advanced contract and its notice', async () => {
    // Prepare
    await register();
    morningOf('2026-01-01');
    await lifecycle();
    const commitsBefore = store.committed.length;
    morningOf('2026-09-03');

    // Act
    await lifecycle();

    // Assess
    const commits = store.committed.slice(commitsBefore);
    expect(commits.map((writes) => writes.map((w) => w.kind))).toEqual([['contract', 'notice']]);
    expect(store.noticesOfType('renewal.reminder').map((n) => [n.id, n.to, n.payload])).toEqual([
      [
        'renewal.reminder#C-1#2027-01-01#120',
        'drift@nordlys.example',
        expect.objectContaining({ termEnd: '2027-01-01', amountDueMinor: 12_000_000, noticeDeadline: '2026-10-03' }),
      ],
    ]);
    expect(contract()).toMatchObject({ lastAdvancedDate: '2026-09-03', nextLifecycleDate: '2026-12-02' });
  });

  it('does not advance a contract whose own zone has not reached the date yet', async () => {
    // Prepare: in Honolulu (UTC-10) it is still 2 September when Oslo wakes to the 3rd.
    await register({ timeZone: 'Pacific/Honolulu' });
    clock.set('2026-01-01T12:00:00Z');
    await lifecycle();
    clock.set('2026-09-03T04:00:00Z');

    // Act
    const early = await lifecycle();
    clock.set('2026-09-03T11:00:00Z');
    const inTime = await lifecycle();

    // Assess
    expect(early).toMatchObject({ contractsDue: 1, daysAdvanced: 0 });
    expect(inTime).toMatchObject({ contractsDue: 1, daysAdvanced: 1, noticesCreated: 1 });
  });
});

describe('catch-up', () => {
  it('does three days of work, one transaction each, after three missed days', async () => {
    // Prepare: reminders 32, 31 and 30 days before the term end fall on three days in a row.
    await register({ reminderDays: [32, 31, 30] });
    morningOf('2026-01-01');
    await lifecycle();
    const commitsBefore = store.committed.length;
    morningOf('2026-12-02');

    // Act
    const report = await lifecycle();

    // Assess
    expect(report).toMatchObject({ daysAdvanced: 3, noticesCreated: 3 });
    expect(store.committed.length - commitsBefore).toBe(3);
    expect(noticeIds()).toEqual([
      'renewal.reminder#C-1#2027-01-01#30',
      'renewal.reminder#C-1#2027-01-01#31',
      'renewal.reminder#C-1#2027-01-01#32',
    ]);
    expect(contract()).toMatchObject({ lastAdvancedDate: '2026-12-02', nextLifecycleDate: '2027-01-01' });
  });
});

describe('idempotence', () => {
  it('sends nothing twice when run twice on the same day', async () => {
    // Prepare
    await register();
    morningOf('2026-01-01');
    await lifecycle();
    morningOf('2026-09-03');
    await lifecycle();
    const before = store.snapshot();
    const commitsBefore = store.commits;

    // Act
    const second = await lifecycle();

    // Assess
    expect(second).toMatchObject({ contractsDue: 0, daysAdvanced: 0, noticesCreated: 0 });
    expect(store.commits).toBe(commitsBefore);
    expect(store.snapshot()).toBe(before);
  });

  it('sends each notice once when two runs race over the same contract', async () => {
    // Prepare: the first run's commit finds that a second run advanced the contract meanwhile.
    await register({ reminderDays: [32, 31, 30] });
    morningOf('2026-01-01');
    await lifecycle();
    morningOf('2026-12-02');
    let raced = false;
    store.beforeCommit = async () => {
      if (raced) return;
      raced = true;
      await lifecycle();
    };

    // Act
    await lifecycle();

    // Assess
    expect(raced).toBe(true);
    expect(store.noticesOfType('renewal.reminder')).toHaveLength(3);
    expect(contract()).toMatchObject({ lastAdvancedDate: '2026-12-02', nextLifecycleDate: '2027-01-01' });
  });
});

describe('anniversaries and the end', () => {
  it('sends the year statement with the credits of the year and the amount due for the next', async () => {
    // Prepare: two breaches in 2026, 2 % and 5 % of 120 000,00 NOK.
    await register();
    await store.commit([
      {
        kind: 'year',
        record: aYear(1, [
          { caseId: 'K-1', kpi: 'firstResponse', deadline: '2026-03-02T09:15:00Z', creditPercent: 2 },
          { caseId: 'K-2', kpi: 'onSite', deadline: '2026-05-02T09:00:00Z', creditPercent: 5 },
        ]),
      },
    ]);
    morningOf('2026-12-31');
    await lifecycle();
    morningOf('2027-01-01');

    // Act
    await lifecycle();

    // Assess
    const [statement] = store.noticesOfType('year.statement');
    expect(statement?.id).toBe('year.statement#C-1#1');
    expect(statement?.payload).toMatchObject({
      year: { index: 1, creditsMinor: 840_000, capMinor: 2_400_000, amountDueNextYearMinor: 11_160_000 },
    });
  });

  it('ends a contract the morning after a termination for breach took effect, with its final statement', async () => {
    // Prepare: four 5 % breaches reach the 20 % cap and open a termination right on 1 June.
    await register();
    await store.commit([
      {
        kind: 'year',
        record: aYear(
          1,
          [1, 2, 3, 4].map((n) => ({ caseId: `K-${n}`, kpi: 'onSite' as const, deadline: `2026-06-0${n}T08:00:00Z`, creditPercent: 5 })),
        ),
      },
    ]);
    morningOf('2026-01-01');
    await lifecycle();
    clock.set('2026-06-10T12:00:00+02:00');
    await intake.processEvent(aTerminationRequest({ reason: 'credit_cap_breach', occurredAt: '2026-06-10T12:00:00+02:00' }));
    clock.set('2026-06-11T06:00:00+02:00');

    // Act
    const report = await lifecycle();

    // Assess
    expect(report.occurrences.ended).toBe(1);
    expect(store.noticesOfType('contract.ended').map((n) => [n.id, n.payload])).toEqual([
      ['contract.ended#C-1', expect.objectContaining({ endedOn: '2026-06-10', creditsOwedMinor: 2_400_000 })],
    ]);
    expect(contract()).toMatchObject({ lastAdvancedDate: '2026-06-11', nextLifecycleDate: null });
  });
});

describe('failures', () => {
  it('reports a contract it could not advance and still advances the others', async () => {
    // Prepare
    await register();
    await register({ contractId: 'C-2', eventId: 'crm-C-2-registered' });
    const broken = contract();
    store.contracts.set('C-1', { ...broken, terms: { ...broken.terms, serviceLevel: 'withdrawn' } });
    morningOf('2026-01-01');

    // Act
    const report = await lifecycle();

    // Assess: a level missing from the catalog cannot be fixed by retrying, so C-1 is quarantined at once.
    expect(report.quarantined.map((failure) => failure.contractId)).toEqual(['C-1']);
    expect(report.quarantined[0]?.reason).toContain('withdrawn');
    expect(store.contracts.get('C-2')).toMatchObject({ lastAdvancedDate: '2026-01-01' });
  });

  it(`quarantines a contract that failed ${MAX_ITEM_ATTEMPTS} daily runs: alerted once, no longer due, the others advanced`, async () => {
    // Prepare: C-1's item cannot be read (as a corrupt item would fail); a batch read covering it fails too,
    // so the lifecycle reads each contract on its own.
    await register();
    await register({ contractId: 'C-2', eventId: 'crm-C-2-registered' });
    const failures = new MemoryItemFailures();
    const contracts = Object.assign(Object.create(repository) as MemoryLifecycleRepository, {
      readContracts: (ids: readonly string[]) =>
        ids.includes('C-1') ? Promise.reject(new RangeError('corrupt contract item')) : repository.readContracts(ids),
    });
    const broken = () => makeLifecycle({ store, contracts, catalog: defaultCatalog(), clock, failures }).run();

    // Act
    const reports = [];
    for (let day = 1; day <= MAX_ITEM_ATTEMPTS + 1; day += 1) {
      morningOf(`2026-01-0${day}`);
      reports.push(await broken());
    }

    // Assess
    expect(reports.map((r) => [r.failed.length, r.quarantined.length])).toEqual([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1], [0, 0]]);
    expect(store.noticesOfType('ops.item_quarantined').map((n) => n.payload)).toEqual([
      expect.objectContaining({ contractId: 'C-1', item: 'lifecycle', attempts: MAX_ITEM_ATTEMPTS }),
    ]);
    expect(store.lifecycleUnattended('C-1')).toBe(true);
    expect(store.contracts.get('C-2')?.lastAdvancedDate).not.toBeNull();
  });
});
