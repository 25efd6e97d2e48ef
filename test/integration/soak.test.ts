/**
 * Soak, CI size: a seeded two-year scenario through the four handlers on the emulators, then the
 * differential test against the pure oracle. `npm run soak` runs the full size (scripts/soak.ts).
 * Reproduce a failure with SOAK_SEED=<seed printed below>.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '#test/support/factories/events.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { generateSoak, type SoakScenario } from '#test/support/generators/soak-events.ts';
import { deadLetterFindings, ledgerMismatches, noticeFindings, statementsAgainstOracle, unprocessedEvents } from '#test/faults/checks.ts';
import { LocalStack } from '#test/faults/local-stack.ts';
import { runScenario } from '#test/faults/run-scenario.ts';

const SEED = Number(process.env.SOAK_SEED ?? 20261128);
const DAY = 86_400_000;

const emulators = useEmulators();
const catalog = defaultCatalog();
let stack: LocalStack;
let scenario: SoakScenario;

beforeAll(async () => {
  // Prepare and Act: one run, every test below assesses a different promise of it.
  console.info(`soak seed ${SEED} (reproduce with SOAK_SEED=${SEED})`);
  scenario = generateSoak({ seed: SEED, contracts: 50, events: 5_000, runTag: `-${emulators.queuePrefix}` });
  stack = await LocalStack.start({ emulators, catalog, operatorEmail: `ops@${emulators.queuePrefix}.example`, killAt: null });
  const started = performance.now();
  await runScenario(stack, scenario, { sweepEveryMs: 14 * DAY, lifecycleEveryMs: 14 * DAY, batchSize: 10, concurrentBatches: 4 });
  console.info(`soak: ${scenario.deliveries.length} deliveries (${scenario.events.length} events, ${scenario.poison.length} poison) in ${Math.round(performance.now() - started)} ms`);
}, 600_000);

afterAll(() => {
  stack.destroy();
});

describe(`soak of ${'≈'}5,000 events for 50 contracts over two years (seed ${SEED})`, () => {
  it('ends with every statement equal to the pure evaluation of the same events', async () => {
    expect(await statementsAgainstOracle(stack, scenario, catalog)).toEqual([]);
  });

  it('processes every valid event, late, duplicated or parked, and loses none', async () => {
    expect(await unprocessedEvents(stack, scenario)).toEqual([]);
  });

  it('books every credit once: each year’s ledger adds up to its credits', async () => {
    expect(await ledgerMismatches(stack, scenario, catalog)).toEqual([]);
  });

  it('sends every notice once', async () => {
    const emails = await emulators.sesStore();
    expect(await noticeFindings(stack, scenario, emails)).toEqual([]);
    expect(stack.sendLog.sends.size).toBeGreaterThan(0);
  });

  it('dead-letters every poison message with its reason, and nothing else', async () => {
    expect(await deadLetterFindings(stack, scenario)).toEqual([]);
  });
});
