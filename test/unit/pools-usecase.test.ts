import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEvent } from '#events/parse.ts';
import type { AftercareEventV1 } from '#events/schemas.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeLoanUpkeep } from '#usecases/loan-upkeep.ts';
import { readPoolReport } from '#usecases/pool-report.ts';
import { readPortfolioEconomics } from '#usecases/economics.ts';
import { MemoryContractDirectory } from '#test/support/memory-contract-directory.ts';
import { poolsText } from '#cli/commands/pools.ts';
import { catalogRuntime } from '#usecases/runtime.ts';
import { MemoryStore, netCredits } from '#test/support/memory-store.ts';
import { defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';

const demo = readFileSync(fileURLToPath(new URL('../../examples/demo-pools.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => {
    const parsed = parseEvent(line);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.event;
  });

const DAY = 86_400_000;

/** Each event a minute after it happened; the daily loan look at 06:00 UTC of every day in between. */
async function replay(events: readonly AftercareEventV1[], store: MemoryStore, clock: TestClock): Promise<{ reminders: number; overdue: number }> {
  const catalog = defaultCatalog();
  const intake = makeIntake({ store, catalog, clock, pools: store });
  const sweep = makeSweep({ store, catalog, clock, notices: new MemoryNoticeRepository() });
  const upkeep = makeLoanUpkeep({ pools: store, cases: store, store, runtime: catalogRuntime(catalog), clock });
  const sorted = [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  let nextRun = Date.parse('2026-01-02T06:00:00Z');
  let reminders = 0;
  let overdue = 0;
  for (const event of sorted) {
    const at = Date.parse(event.occurredAt) + MINUTE;
    while (nextRun < at) {
      clock.at = nextRun;
      const report = await upkeep.run();
      reminders += report.remindersCreated;
      overdue += report.overdueAlerts;
      nextRun += DAY;
    }
    clock.at = at;
    await intake.processEvent(event);
    // The sweep's run of the same minute declares the breaches intake leaves to it.
    await sweep.run();
  }
  return { reminders, overdue };
}

describe('the demo pools (examples/demo-pools.jsonl) through the intake', () => {
  const store = new MemoryStore();
  const clock = new TestClock(0);
  let upkeep: { reminders: number; overdue: number };

  beforeAll(async () => {
    upkeep = await replay(demo, store, clock);
  });

  it('refuses the third simultaneous request on a shared pool of two units and alerts operations at once', () => {
    const refused = [...store.pools.refused.values()];
    expect(refused.find((r) => r.caseId === 'K-4001')).toMatchObject({
      poolId: 'POOL-OSLO-1',
      contractId: 'C-POOLS-3',
      reason: 'pool POOL-OSLO-1 has 2 units, 2 out: the pool is empty',
    });
    const exhausted = store.noticesOfType('ops.pool_exhausted');
    expect(exhausted.map((n) => n.payload)).toEqual([expect.objectContaining({ caseId: 'K-4001', contractId: 'C-POOLS-3', units: 2, out: 2 })]);
  });

  it('lets the replacement KPI of the refused case breach and credit as before', () => {
    const credits = netCredits(store);
    // standard, 60 000.00 NOK: replacement 2 % = 120 000 minor
    expect(credits.get('K-4001#replacement')).toBe(120_000);
    expect(store.cases.get(['C-POOLS-3', 'K-4001'].join('\u0000'))?.decided.replacement?.breached).toBe(true);
  });

  it('never lends an exclusive unit to another contract, and records the refusal with its reason', () => {
    const refused = [...store.pools.refused.values()].find((r) => r.caseId === 'K-3002');
    expect(refused?.reason).toBe('pool POOL-NORDLYS-1 is exclusive to contract C-POOLS-1, not C-POOLS-2');
    const exclusiveLoans = [...store.pools.loans.values()].filter((loan) => loan.poolId === 'POOL-NORDLYS-1');
    expect(exclusiveLoans.map((loan) => loan.contractId)).toEqual(['C-POOLS-1']);
  });

  it('brings every loan back and keeps its history', () => {
    const loans = [...store.pools.loans.values()];
    expect(loans.filter((loan) => loan.endedAt === null)).toEqual([]);
    expect(loans.map((loan) => `${loan.unitId}:${loan.caseId ?? 'demo'}:${loan.endedBy}`).sort()).toEqual([
      'LX-0007:K-2001:returned',
      'LX-0007:demo:returned',
      'LX-0008:K-3001:returned',
      'LX-0011:K-3002:returned',
      'SC2-01:K-2002:returned',
    ]);
  });

  it('reminds the borrowers before a loan is due and alerts operations once when one is overdue', () => {
    expect(upkeep.overdue).toBe(1);
    expect(store.noticesOfType('ops.loan_overdue').map((n) => n.payload)).toEqual([expect.objectContaining({ unitId: 'LX-0008', caseId: 'K-3001' })]);
    const reminded = store.noticesOfType('loan.return_reminder').map((n) => `${n.to}:${n.locale}`).sort();
    expect(reminded).toContain('innkjop@fjord-kontor.example:nb');
    expect(reminded).toContain('service@vestkyst-trykk.example:nb');
  });

  it('reports every pool with its units, draws, turnaround, risk and the units needed for the target', async () => {
    const report = await readPoolReport(store, defaultCatalog(), Date.parse('2026-06-01T00:00:00Z'));
    const shared = report.find((row) => row.poolId === 'POOL-OSLO-1');
    expect(shared).toMatchObject({ kind: 'shared', units: 3, out: 0, contracts: ['C-POOLS-1', 'C-POOLS-2', 'C-POOLS-3'], refusedDraws: 1, targetAvailability: 0.99 });
    expect(shared?.drawsPerYear).toBeGreaterThan(0);
    expect(shared?.meanTurnaroundDays).toBeGreaterThan(5);
    expect(shared?.pEmpty).toBeGreaterThan(0);
    expect(shared?.unitsNeeded).toBeGreaterThanOrEqual(1);
    expect(poolsText(report).join('\n')).toContain('POOL-NORDLYS-1 — Spare sorter controller SC-2, Nordlys warehouse, Alnabru (exclusive)');
  });

  it("counts the exclusive pool's up-front fee in its contract's revenue and its level's, in the portfolio's economics", async () => {
    // Act: the economics per level, as `aftercare economics` reads them
    const { statements, levels } = await readPortfolioEconomics({
      directory: new MemoryContractDirectory(store),
      store,
      pools: store,
      catalog: defaultCatalog(),
      asOf: Date.parse('2026-12-31T00:00:00Z'),
    });

    // Assess: C-POOLS-1 pays 15 000.00 NOK up front for POOL-NORDLYS-1, in its first year
    const year = statements.find((s) => s.contractId === 'C-POOLS-1')?.years[0];
    expect(year?.economics.exclusivePoolFeesMinor).toBe(1_500_000);
    expect(year?.economics.revenueMinor).toBe((year?.feeMinor ?? 0) + 1_500_000);
    const level = levels.find((l) => l.level === year?.serviceLevel);
    const revenueOfLevel = statements
      .filter((s) => s.years[0]?.serviceLevel === year?.serviceLevel)
      .reduce((sum, s) => sum + s.years.reduce((y, each) => y + each.economics.revenueMinor, 0), 0);
    expect(level?.revenueMinor).toBe(revenueOfLevel);
  });

  it('rejects a return of a unit that is not out with its reason, and alerts it', () => {
    expect([...store.pools.rejected.values()].map((r) => r.reason)).toEqual(['unit LX-0011 of pool POOL-OSLO-1 is not out on loan']);
    expect(store.noticesOfType('ops.event_rejected').some((n) => n.payload.type === 'ops.event_rejected' && n.payload.eventId === 'crm-LX-0011-back-2')).toBe(true);
  });
});

describe('pool events that the rules refuse', () => {
  const base = demo.slice(0, 5); // the two pools and three contracts

  async function after(extra: readonly object[]): Promise<MemoryStore> {
    const store = new MemoryStore();
    const events = [...base, ...extra.map((body) => {
      const parsed = parseEvent(JSON.stringify(body));
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.event;
    })];
    await replay(events, store, new TestClock(0));
    return store;
  }

  const envelope = { source: 'crm', occurredAt: '2026-02-01T10:00:00+01:00', poolId: 'POOL-OSLO-1' };

  it('refuses a unit registered twice', async () => {
    const store = await after([{ ...envelope, eventId: 'dup', type: 'pool.units_changed', added: ['LX-0007'] }]);
    expect([...store.pools.rejected.values()].map((r) => r.reason)).toEqual(['unit LX-0007 is already registered in pool POOL-OSLO-1']);
  });

  it('refuses to shrink a pool below the units out', async () => {
    const store = await after([
      { ...envelope, eventId: 'lend', type: 'loan.started', unitId: 'LX-0007', borrower: { name: 'A', email: 'a@b.example', locale: 'en' }, dueDate: '2026-02-10' },
      { ...envelope, occurredAt: '2026-02-02T10:00:00+01:00', eventId: 'shrink', type: 'pool.units_changed', removed: ['LX-0007'] },
    ]);
    expect([...store.pools.rejected.values()].map((r) => r.reason)).toEqual([
      'pool POOL-OSLO-1 would shrink to 1 unit with 1 out: unit LX-0007 is out on loan (return it, or report it consumed)',
    ]);
    expect([...store.pools.units.values()].find((u) => u.unitId === 'LX-0007')?.status).toBe('out');
  });

  it('refuses a second registration of a pool', async () => {
    const store = await after([{ ...(demo[0] as object), eventId: 'again', units: ['LX-0099'] }]);
    expect([...store.pools.rejected.values()].map((r) => r.reason)).toEqual(['pool POOL-OSLO-1 is already registered']);
  });

  // One 6-day loan in April, when the pool and its three contracts are past their first 90 days (a
  // contract younger than that without draws counts at the others' mean rate): Λ ≈ 3.4 a year,
  // m = Λ·T ≈ 0.06, P(empty) ≈ 0.15 % with two units — within the 99 % target, so no alert on the way.
  const quietHistory = [
    { ...envelope, eventId: 'l1', occurredAt: '2026-04-06T10:00:00+02:00', type: 'loan.started', unitId: 'LX-0007', contractId: 'C-POOLS-2', borrower: { name: 'B', email: 'b@b.example', locale: 'en' }, dueDate: '2026-12-01' },
    { ...envelope, eventId: 'r1', occurredAt: '2026-04-12T10:00:00+02:00', type: 'loan.returned', unitId: 'LX-0007' },
  ];

  it('alerts operations when new entitled contracts take a shared pool below the target, naming the contract that did', async () => {
    // Prepare: eight more contracts entitled to the pool on 1 May, each counted at the mean rate of the three
    // (≈ 1.1 a year): Λ ≈ 3.4 + 8 × 1.1 ≈ 12.5 a year, m ≈ 0.2, P(empty) ≈ 1.8 %
    const later = (id: string) => ({ ...(demo[4] as object), eventId: `reg-${id}`, contractId: id, occurredAt: '2026-05-01T08:00:00+02:00' });
    const quiet = await after(quietHistory);
    const store = await after([...quietHistory, ...['C-X-1', 'C-X-2', 'C-X-3', 'C-X-4', 'C-X-5', 'C-X-6', 'C-X-7', 'C-X-8'].map(later)]);

    // Assess: none from the history alone; one when a new contract crossed the target, and only once
    expect(quiet.noticesOfType('ops.pool_risk')).toEqual([]);
    const risk = store.noticesOfType('ops.pool_risk');
    expect(risk.length).toBe(1);
    expect(risk[0]?.payload).toMatchObject({ type: 'ops.pool_risk', pool: { poolId: 'POOL-OSLO-1' }, units: 2 });
    expect((risk[0]?.payload as { cause: string }).cause).toMatch(/^contract C-X-\d is now entitled to the pool$/);
    expect((risk[0]?.payload as { pEmpty: number }).pEmpty).toBeGreaterThan(0.01);
  });

  it('alerts operations when a unit retired takes a shared pool below the target', async () => {
    // Prepare: the same history, then LX-0008 scrapped on 1 May: one unit left, P(empty) = 1 − e^−m ≈ 5 %
    const retired = { ...envelope, eventId: 'scrap', occurredAt: '2026-05-01T09:00:00+02:00', type: 'pool.units_changed', removed: ['LX-0008'] };

    // Act
    const store = await after([...quietHistory, retired]);

    // Assess
    const risk = store.noticesOfType('ops.pool_risk');
    expect(risk.length).toBe(1);
    expect(risk[0]?.payload).toMatchObject({ type: 'ops.pool_risk', pool: { poolId: 'POOL-OSLO-1' }, units: 1 });
    expect(risk[0]?.payload).toMatchObject({ cause: 'unit LX-0008 retired' });
  });

  it('alerts operations when a slower turnaround takes a shared pool below the target, naming the return', async () => {
    // Prepare: the same history, then a loan from 4 May back only on 1 September (120 days): T = (6 + 120) / 2
    // = 63 days; Λ = C-POOLS-2's 2 draws over its 0.67 years ≈ 3 a year; m ≈ 0.52, P(X ≥ 2) ≈ 9.6 %
    const slow = [
      { ...envelope, eventId: 'l2', occurredAt: '2026-05-04T10:00:00+02:00', type: 'loan.started', unitId: 'LX-0007', contractId: 'C-POOLS-2', borrower: { name: 'B', email: 'b@b.example', locale: 'en' }, dueDate: '2026-12-01' },
      { ...envelope, eventId: 'r2', occurredAt: '2026-09-01T10:00:00+02:00', type: 'loan.returned', unitId: 'LX-0007' },
    ];

    // Act
    const store = await after([...quietHistory, ...slow]);

    // Assess: no alert when the unit left (the turnaround known then was 6 days), one when it came back late
    const risk = store.noticesOfType('ops.pool_risk');
    expect(risk.length).toBe(1);
    expect(risk[0]?.payload).toMatchObject({ type: 'ops.pool_risk', pool: { poolId: 'POOL-OSLO-1' }, units: 2, cause: 'unit LX-0007 returned after 120 days' });
    expect((risk[0]?.payload as { pEmpty: number }).pEmpty).toBeCloseTo(0.096, 2);
  });
});
