/**
 * `npm run soak`: the full soak — 50 000 events for 200 contracts over two years through the four
 * handlers on freshly started emulators, then the differential test against the pure oracle and the
 * delivery checks. Options: `-- --seed 123 --events 50000 --contracts 200`. Prints the seed first;
 * exits 1 with every finding when a promise does not hold.
 */
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmulators } from '#cli/local/emulators.ts';
import type { EmulatorContext } from '#test/support/emulator-context.ts';
import { defaultCatalog } from '#test/support/factories/events.ts';
import { generateSoak } from '#test/support/generators/soak-events.ts';
import { deadLetterFindings, ledgerMismatches, noticeFindings, statementsAgainstOracle, unprocessedEvents } from '#test/faults/checks.ts';
import { LocalStack, type BatchOrder } from '#test/faults/local-stack.ts';
import { runScenario } from '#test/faults/run-scenario.ts';

const DAY = 86_400_000;

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    events: { type: 'string', default: '50000' },
    contracts: { type: 'string', default: '200' },
    // Diagnosis: concurrent batches one after the other, in order or reversed (local-stack.ts BatchOrder).
    'batch-order': { type: 'string', default: 'concurrent' },
  },
});
const seed = values.seed === undefined ? randomInt(1, 2 ** 31 - 1) : Number(values.seed);
const events = Number(values.events);
const contracts = Number(values.contracts);
const batchOrders: readonly BatchOrder[] = ['concurrent', 'forward', 'reverse'];
const batchOrder = batchOrders.find((order) => order === values['batch-order']);
if (batchOrder === undefined) throw new Error(`--batch-order must be one of ${batchOrders.join(', ')}, not ${values['batch-order']}`);
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.stdout.write(`soak seed ${seed} (reproduce: npm run soak -- --seed ${seed} --events ${events} --contracts ${contracts})\n`);

const emulators = await startEmulators();
let stack: LocalStack | undefined;
try {
  const context: EmulatorContext = {
    region: emulators.region,
    credentials: emulators.credentials,
    endpoints: emulators.endpoints,
    ...emulators.clientConfig,
    tableName: `aftercare-soak-${seed}`,
    queuePrefix: `aftercare-soak-${seed}`,
    sesStore: () => emulators.sesStore(),
  };
  const catalog = defaultCatalog();
  const scenario = generateSoak({ seed, contracts, events });
  process.stdout.write(`${scenario.deliveries.length} deliveries: ${scenario.events.length} events, ${scenario.poison.length} poison\n`);
  stack = await LocalStack.start({ emulators: context, catalog, operatorEmail: `ops@soak-${seed}.example`, killAt: null, batchOrder });
  const started = performance.now();
  let reported = 0;
  await runScenario(stack, scenario, {
    sweepEveryMs: DAY,
    lifecycleEveryMs: DAY,
    batchSize: 10,
    concurrentBatches: 4,
    onProgress: (delivered, now) => {
      if (delivered - reported < 2_500) return;
      reported = delivered;
      const seconds = Math.round((performance.now() - started) / 1000);
      process.stdout.write(`  ${delivered} delivered, virtual ${new Date(now).toISOString().slice(0, 10)}, ${seconds} s\n`);
    },
  });
  process.stdout.write(`played in ${Math.round((performance.now() - started) / 1000)} s; checking\n`);
  const findings = {
    statements: await statementsAgainstOracle(stack, scenario, catalog),
    lostEvents: await unprocessedEvents(stack, scenario),
    ledger: await ledgerMismatches(stack, scenario, catalog),
    notices: await noticeFindings(stack, scenario, await emulators.sesStore()),
    deadLetters: await deadLetterFindings(stack, scenario),
  };
  const failed = Object.entries(findings).filter(([, list]) => list.length > 0);
  for (const [name, list] of Object.entries(findings)) process.stdout.write(`${name.padEnd(12)} ${list.length === 0 ? 'ok' : `${list.length} findings`}\n`);
  for (const [name, list] of failed) process.stdout.write(`\n## ${name}\n${list.slice(0, 50).join('\n')}\n`);
  process.stdout.write(`notices sent: ${[...stack.sendLog.sends.values()].reduce((a, b) => a + b, 0)}\n`);
  // Per notice type, so two runs of one seed can be compared type by type.
  const byType = new Map<string, number>();
  for (const [id, sends] of stack.sendLog.sends) byType.set(id.split('#')[0] ?? id, (byType.get(id.split('#')[0] ?? id) ?? 0) + sends);
  for (const [type, sends] of [...byType].sort()) process.stdout.write(`  ${type.padEnd(24)} ${sends}\n`);
  if (process.env.SOAK_SENT_IDS !== undefined) writeFileSync(process.env.SOAK_SENT_IDS, [...stack.sendLog.sends.keys()].sort().join('\n'));
  process.exitCode = failed.length === 0 ? 0 : 1;
} finally {
  stack?.destroy();
  await emulators.stop();
}
