/**
 * The differential test of replay's engines (docs/design.md#9-running-it): the same files give byte-identical
 * --json output on the memory engine and on the emulators — the demo year, a small soak scenario (late and
 * duplicated deliveries, poison, terminations, outages) and the four outage scenarios of outage.test.ts.
 * The emulators engine starts its own embedded stack (DynamoDB Local needs Java 17+).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { deliveriesOf, type Delivery } from '#cli/replay/input.ts';
import { runReplay } from '#cli/replay/run-replay.ts';
import type { Instant } from '#domain/time.ts';
import { jsonLines } from '#cli/input/lines.ts';
import { OUTAGE_KINDS, outageScenario } from '#test/support/generators/outage-events.ts';
import { generatePoolReplay } from '#test/support/generators/pool-replay-events.ts';
import { generateSoak } from '#test/support/generators/soak-events.ts';
import { asDeliveries } from '#test/support/replay-deliveries.ts';
import type { ReplayOutput } from '#cli/replay/output-schema.ts';

const catalog = loadDefaultCatalog();
const ENGINES_TIMEOUT_MS = 900_000;

/** The --json text of one replay on each engine. */
async function bothEngines(deliveries: readonly Delivery[], until?: Instant): Promise<{ memory: string; emulators: string }> {
  const run = async (engine: 'memory' | 'emulators'): Promise<string> => {
    const result = await runReplay({ catalog, deliveries, engine, ...(until === undefined ? {} : { until }) });
    return JSON.stringify(result.output, null, 2);
  };
  return { memory: await run('memory'), emulators: await run('emulators') };
}


describe('replay gives byte-identical --json output on the memory engine and on the emulators', () => {
  it(
    'for the demo year, which both replay to the checked-in expected statement',
    async () => {
      // Prepare
      const text = readFileSync(new URL('../../examples/demo-year.jsonl', import.meta.url), 'utf8');
      const deliveries = deliveriesOf(jsonLines(text));
      const expected = JSON.stringify(JSON.parse(readFileSync(new URL('../../examples/demo-year.expected.json', import.meta.url), 'utf8')), null, 2);

      // Act
      const { memory, emulators } = await bothEngines(deliveries, Date.parse('2027-01-02T00:00:00+01:00'));

      // Assess
      expect(memory).toBe(emulators);
      expect(memory).toBe(expected);
    },
    ENGINES_TIMEOUT_MS,
  );

  it(
    'for a soak scenario: late, duplicated and poison deliveries, terminations and outage days',
    async () => {
      // Prepare
      const scenario = generateSoak({ seed: 18, contracts: 4, events: 300 });

      // Act
      const { memory, emulators } = await bothEngines(asDeliveries(scenario.deliveries), scenario.asOf);

      // Assess
      expect(memory).toBe(emulators);
      const output = JSON.parse(memory) as { notices: unknown[]; deadLetters: unknown[] };
      expect(output.notices.length).toBeGreaterThan(0);
      expect(output.deadLetters.length).toBeGreaterThan(0);
    },
    ENGINES_TIMEOUT_MS,
  );

  it(
    'for the pools demo: draws, a refused request, loans back, a demonstration loan and an exclusive pool',
    async () => {
      // Prepare
      const text = readFileSync(new URL('../../examples/demo-pools.jsonl', import.meta.url), 'utf8');

      // Act
      const { memory, emulators } = await bothEngines(deliveriesOf(jsonLines(text)), Date.parse('2026-07-01T00:00:00+02:00'));

      // Assess
      expect(memory).toBe(emulators);
      const output = JSON.parse(memory) as ReplayOutput;
      expect(output.pools.map((pool) => [pool.poolId, pool.refusedDraws])).toEqual([['POOL-NORDLYS-1', 1], ['POOL-OSLO-1', 1]]);
      expect(output.notices.map((notice) => notice.type)).toContain('loan.return_reminder');
      expect(output.deadLetters).toEqual([]);
    },
    ENGINES_TIMEOUT_MS,
  );

  it(
    'for a generated pool replay: a shared and an exclusive pool over a year of Poisson failures',
    async () => {
      // Prepare
      const scenario = generatePoolReplay({ seed: 14, contracts: 6, failuresPerContractYear: 1, meanTurnaroundDays: 14, sharedUnits: 1, years: 1 });

      // Act
      const { memory, emulators } = await bothEngines(deliveriesOf(jsonLines(scenario.lines.join('\n'))), scenario.asOf);

      // Assess
      expect(memory).toBe(emulators);
      const output = JSON.parse(memory) as ReplayOutput;
      expect(output.pools.length).toBe(2);
      expect(output.contracts.flatMap((contract) => contract.loans).length).toBeGreaterThan(0);
    },
    ENGINES_TIMEOUT_MS,
  );

  it.each(OUTAGE_KINDS)(
    'for the outage scenario %s',
    async (kind) => {
      // Prepare
      const scenario = outageScenario(kind, { seed: 20261201 });

      // Act
      const { memory, emulators } = await bothEngines(asDeliveries(scenario.deliveries), scenario.asOf + 3_600_000);

      // Assess
      expect(memory).toBe(emulators);
    },
    ENGINES_TIMEOUT_MS,
  );
});
