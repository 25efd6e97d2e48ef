import { describe, expect, it } from 'vitest';
import { erlangB, poolHistoryStats, poolRisk } from '#domain/pool-risk.ts';
import { parseEvent } from '#events/parse.ts';
import { generatePoolReplay, type PoolReplayScenario } from '#test/support/generators/pool-replay-events.ts';

interface Line {
  readonly type: string;
  readonly occurredAt: string;
  readonly contractId?: string;
  readonly caseId?: string;
  readonly poolId?: string;
  readonly unitId?: string;
}

const linesOf = (scenario: PoolReplayScenario): Line[] => scenario.lines.map((line) => JSON.parse(line) as Line);
const at = (line: Line): number => Date.parse(line.occurredAt);

/** Per unit of a pool, its loans as [reserved at the request, back at the return or +∞], read from the lines alone. */
function loansPerUnit(lines: readonly Line[], poolId: string): Map<string, [number, number][]> {
  const requestedAt = new Map<string, number>();
  const loans = new Map<string, [number, number][]>();
  for (const line of lines) {
    const key = `${line.contractId ?? ''}#${line.caseId ?? ''}`;
    if (line.type === 'case.replacement_requested' && line.poolId === poolId) requestedAt.set(key, at(line));
    if (line.type === 'case.replacement_delivered' && line.poolId === poolId && line.unitId !== undefined) {
      const unitLoans = loans.get(line.unitId) ?? [];
      unitLoans.push([requestedAt.get(key) ?? Number.NaN, Number.POSITIVE_INFINITY]);
      loans.set(line.unitId, unitLoans);
    }
    if (line.type === 'loan.returned' && line.poolId === poolId && line.unitId !== undefined) {
      const open = loans.get(line.unitId)?.at(-1);
      if (open !== undefined) open[1] = at(line);
    }
  }
  return loans;
}

describe('the two-year replay generator with pools', () => {
  it('gives the same file for the same seed and another for another seed', () => {
    expect(generatePoolReplay({ seed: 14 }).lines).toEqual(generatePoolReplay({ seed: 14 }).lines);
    expect(generatePoolReplay({ seed: 15 }).lines).not.toEqual(generatePoolReplay({ seed: 14 }).lines);
  });

  it('writes the events in occurredAt order, pools and contracts first, over two years', () => {
    const scenario = generatePoolReplay({ seed: 14 });
    const lines = linesOf(scenario);
    expect(lines.slice(0, 2).map((line) => line.type)).toEqual(['pool.registered', 'pool.registered']);
    expect(lines.slice(2, 23).every((line) => line.type === 'contract.registered')).toBe(true);
    expect(lines.map(at)).toEqual(lines.map(at).toSorted((a, b) => a - b));
    expect(Math.max(...lines.map(at))).toBeLessThan(scenario.asOf);
    expect((scenario.asOf - scenario.windowStart) / 86_400_000).toBe(730);
  });

  it('never lends a unit that is out, and refuses a request only when every unit is out', () => {
    // Prepare: a busy pool, so refusals happen
    const scenario = generatePoolReplay({ seed: 3, contracts: 30, failuresPerContractYear: 1, sharedUnits: 1 });
    const lines = linesOf(scenario);
    const shared = scenario.pools.find((pool) => pool.kind === 'shared');
    if (shared === undefined) throw new Error('no shared pool');

    // Act
    const loans = loansPerUnit(lines, shared.poolId);

    // Assess
    for (const unitLoans of loans.values()) {
      for (let i = 1; i < unitLoans.length; i += 1) expect(unitLoans[i]?.[0]).toBeGreaterThanOrEqual(unitLoans[i - 1]?.[1] ?? Number.NaN);
    }
    expect(shared.foundEmpty).toBeGreaterThan(0);
    for (const refusedAt of shared.refused) {
      const out = [...loans.values()].filter((unitLoans) => unitLoans.some(([from, to]) => from <= refusedAt && refusedAt < to)).length;
      expect(out).toBe(shared.unitIds.length);
    }
    const requested = lines.filter((line) => line.type === 'case.replacement_requested' && line.poolId === shared.poolId);
    const lent = lines.filter((line) => line.type === 'case.replacement_delivered' && line.poolId === shared.poolId);
    expect(requested).toHaveLength(shared.requests);
    expect(lent).toHaveLength(shared.draws.length);
    expect(shared.requests).toBe(shared.draws.length + shared.foundEmpty);
  });

  it('draws failures at the rate asked, and its refused share is Erlang B over a long run', () => {
    // Prepare: 400 years of the README pool with one unit (about 4 000 requests)
    const scenario = generatePoolReplay({ seed: 14, years: 400, sharedUnits: 1 });
    const shared = scenario.pools.find((pool) => pool.kind === 'shared');
    if (shared === undefined) throw new Error('no shared pool');

    // Act
    const stats = poolHistoryStats({ draws: shared.draws, refused: shared.refused, windowStart: scenario.windowStart, windowEnd: scenario.asOf });
    const { meanOut } = poolRisk({ units: 1, drawsPerYear: 10, meanTurnaroundDays: 14, targetAvailability: 0.99 });

    // Assess: Λ within 4 Poisson standard errors, T within 4 (exponential: sd = mean), the refused share near B(1, m)
    expect(Math.abs(stats.drawsPerYear - 10)).toBeLessThan((4 * Math.sqrt(shared.requests)) / 400);
    expect(Math.abs(stats.meanTurnaroundDays - 14)).toBeLessThan((4 * 14) / Math.sqrt(stats.draws));
    const loss = erlangB(meanOut, 1);
    const share = shared.foundEmpty / shared.requests;
    expect(Math.abs(share - loss)).toBeLessThan(6 * Math.sqrt((loss * (1 - loss)) / shared.requests));
  });

  // Turns on by itself once the pool events are in the v1 schema (pools14): every generated line must then parse.
  const schemaKnowsPools = parseEvent(generatePoolReplay({ seed: 1 }).lines[0] ?? '').ok;
  it.runIf(schemaKnowsPools)('writes only valid v1 events', () => {
    for (const line of generatePoolReplay({ seed: 14 }).lines) {
      const parsed = parseEvent(line);
      expect(parsed.ok ? 'ok' : `${parsed.error.path}: ${parsed.error.message} in ${line}`).toBe('ok');
    }
  });
});
