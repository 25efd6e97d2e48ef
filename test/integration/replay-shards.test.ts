/**
 * Replay in shards (docs/design.md#9-running-it): which lines are linked (shards.ts), how a shard is packed for
 * its worker (shard-payload.ts), and the differential test — the same files give byte-identical --json output
 * in one process and in 2 or 3 worker threads, for files that split and files whose lines are all linked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedYear } from '../../bench/replay.ts';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { jsonLines } from '#cli/input/lines.ts';
import { deliveriesOf, type Delivery } from '#cli/replay/input.ts';
import { runReplay } from '#cli/replay/run-replay.ts';
import { payloadInput, shardPayload } from '#cli/replay/shard-payload.ts';
import { linkedGroups, shardsOf } from '#cli/replay/shards.ts';
import type { Instant } from '#domain/time.ts';
import { OUTAGE_KINDS, outageScenario } from '#test/support/generators/outage-events.ts';
import { generateSoak } from '#test/support/generators/soak-events.ts';
import { asDeliveries } from '#test/support/replay-deliveries.ts';

const catalog = loadDefaultCatalog();
const SHARDS_TIMEOUT_MS = 300_000;
const AT = '2026-03-02T09:00:00.000Z';

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
const linesOf = (...events: readonly (Record<string, unknown> | string)[]): Delivery[] =>
  deliveriesOf(jsonLines(events.map((event) => (typeof event === 'string' ? event : JSON.stringify({ occurredAt: AT, ...event }))).join('\n')));
/** The groups, as sets of line indices in delivery order. */
const groupsOf = (deliveries: readonly Delivery[]): number[][] => {
  const groups = new Map<number, number[]>();
  linkedGroups(deliveries).forEach((group, index) => groups.set(group, [...(groups.get(group) ?? []), index]));
  return [...groups.values()];
};

describe('lines are linked by what the handlers keep across contracts', () => {
  it('by contract, pool (poolId and a contract’s pools), address (case-folded), visit and repeated eventId', () => {
    // Prepare
    const deliveries = linesOf(
      { eventId: 'a', type: 'case.opened', contractId: 'C-1', caseId: 'K-1' },
      { eventId: 'b', type: 'case.opened', contractId: 'C-1', caseId: 'K-2' },
      { eventId: 'c', type: 'contract.registered', contractId: 'C-2', pools: ['P-1'] },
      { eventId: 'd', type: 'loan.started', poolId: 'P-1', contractId: 'C-3' },
      { eventId: 'e', type: 'contract.registered', contractId: 'C-4', customer: { email: 'Ops@Example.com' } },
      { eventId: 'f', type: 'loan.started', poolId: 'P-9', borrower: { email: 'ops@example.com' } },
      { eventId: 'g', type: 'case.visit_logged', contractId: 'C-5', visitId: 'V-1' },
      { eventId: 'h', type: 'case.visit_logged', contractId: 'C-6', visitId: 'V-1' },
      { eventId: 'same', type: 'case.opened', contractId: 'C-7', caseId: 'K-1' },
      { eventId: 'same', type: 'case.opened', contractId: 'C-8', caseId: 'K-1' },
      { eventId: 'i', type: 'case.opened', contractId: 'C-9', caseId: 'K-1' },
    );

    // Act
    const groups = groupsOf(deliveries);

    // Assess
    expect(groups).toEqual([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10]]);
  });

  it('by source only when a line of that source reaches the queue after it occurred', () => {
    // Prepare
    const late = { deliverAt: '2026-03-02T12:00:00.000Z', event: { eventId: 'late', type: 'case.responded', occurredAt: AT, contractId: 'C-1', caseId: 'K-1', source: 'zendesk' } };
    const deliveries = linesOf(
      { eventId: 'a', type: 'case.opened', contractId: 'C-1', caseId: 'K-1', source: 'zendesk' },
      { eventId: 'b', type: 'case.opened', contractId: 'C-2', caseId: 'K-1', source: 'zendesk' },
      { eventId: 'c', type: 'case.opened', contractId: 'C-3', caseId: 'K-1' },
      { eventId: 'd', type: 'case.opened', contractId: 'C-4', caseId: 'K-1' },
      JSON.stringify(late),
    );

    // Act
    const groups = groupsOf(deliveries);

    // Assess: zendesk runs late, so its contracts are one group; the on-time default source links nothing.
    expect(groups).toEqual([[0, 1, 4], [2], [3]]);
  });

  it('not at all for a line that does not parse: it is poison wherever it goes', () => {
    // Prepare
    const deliveries = linesOf({ eventId: 'a', type: 'case.opened', contractId: 'C-1', caseId: 'K-1' }, 'not json', '[1, 2]');

    // Act
    const groups = groupsOf(deliveries);

    // Assess
    expect(groups).toEqual([[0], [1], [2]]);
  });

  it('with the same groups whether deliveriesOf read them or they are read from the bodies', () => {
    // Prepare
    const deliveries = deliveriesOf(jsonLines(example('demo-year.jsonl')));
    const bare = deliveries.map(({ lineNumber, deliverAt, body }) => ({ lineNumber, deliverAt, body }));

    // Act
    const read = linkedGroups(deliveries);
    const parsed = linkedGroups(bare);

    // Assess: the labels differ (file order, delivery order), the partition does not.
    const pairs = new Set([...read].map((group, index) => `${group}→${parsed[index]}`));
    expect(pairs.size).toBe(new Set(read).size);
    expect(new Set(parsed).size).toBe(new Set(read).size);
  });

  it('at every place the v1 schema has a linking field: top level, or the email of a customer or borrower', () => {
    // Prepare: the fields the linker reads (shards.ts EventFields) and where.
    const schema = JSON.parse(readFileSync(new URL('../../schemas/events.v1.json', import.meta.url), 'utf8')) as unknown;
    const linking = new Set(['contractId', 'poolId', 'visitId', 'eventId', 'pools', 'email', 'source', 'occurredAt']);
    const places: string[] = [];
    const walk = (node: unknown, path: readonly string[]): void => {
      if (typeof node !== 'object' || node === null) return;
      const { properties } = node as { properties?: Record<string, unknown> };
      if (properties !== undefined) {
        for (const [name, field] of Object.entries(properties)) {
          if (linking.has(name)) places.push([...path, name].join('.'));
          walk(field, [...path, name]);
        }
      }
      for (const [key, value] of Object.entries(node)) if (key !== 'properties') walk(value, key === '$defs' || key === 'oneOf' || key === 'anyOf' || /^\d+$/.test(key) ? [] : path);
    };

    // Act
    walk(schema, []);

    // Assess: a new linking field anywhere else must be added to the linker (and to this list).
    const read = new Set(['contractId', 'poolId', 'visitId', 'eventId', 'pools', 'source', 'occurredAt', 'customer.email', 'borrower.email']);
    expect(places.length).toBeGreaterThan(0);
    expect([...new Set(places)].filter((place) => !read.has(place))).toEqual([]);
  });
});

describe('shards', () => {
  it('hold whole groups, largest first onto the least loaded, none empty, the same on every run', () => {
    // Prepare
    const deliveries = deliveriesOf(jsonLines(generatedYear(30, 2_000).join('\n')));

    // Act
    const shards = shardsOf(deliveries, 3);
    const again = shardsOf(deliveries, 3);
    const many = shardsOf(linesOf({ eventId: 'a', type: 'case.opened', contractId: 'C-1', caseId: 'K-1' }), 4);

    // Assess
    expect(again).toEqual(shards);
    expect(shards.length).toBe(3);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(deliveries.map((_, index) => index));
    const groups = linkedGroups(deliveries);
    const shardOfGroup = new Map<number, number>();
    shards.forEach((indices, shard) => {
      expect(indices).toEqual([...indices].sort((a, b) => a - b));
      for (const index of indices) {
        const group = groups[index] ?? -1;
        expect(shardOfGroup.get(group) ?? shard).toBe(shard);
        shardOfGroup.set(group, shard);
      }
    });
    const sizes = shards.map((indices) => indices.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(200);
    expect(many).toEqual([[0]]);
  });

  it('are packed for a worker and read back as the same deliveries, bodies whatever their characters', () => {
    // Prepare
    const deliveries = [
      ...linesOf({ eventId: 'a', type: 'case.opened', contractId: 'C-1', caseId: 'K-1', summary: 'two\nlines – ÆØÅ 🛠' }, 'poison'),
      { lineNumber: 9, deliverAt: Date.parse(AT), body: '{"eventId":"x","contractId":"C-2"}' },
      ...Array.from({ length: 5_000 }, (_, n) => linesOf({ eventId: `e${n}`, type: 'case.opened', contractId: 'C-1', caseId: `K-${n}` })[0]).filter((d) => d !== undefined),
    ];
    const indices = deliveries.map((_, index) => index);

    // Act
    const payload = shardPayload(deliveries, indices, { catalog, start: 0, until: 1, contractIds: ['C-0', 'C-1', 'C-2'] });
    const input = payloadInput(structuredClone(payload));
    const read: Delivery[] = [];
    for (let delivery = input.take(); delivery !== null; delivery = input.take()) read.push(delivery);

    // Assess
    expect(read.map(({ lineNumber, deliverAt, body, about }) => ({ lineNumber, deliverAt, body, about }))).toEqual(
      deliveries.map(({ lineNumber, deliverAt, body, about }) => ({ lineNumber, deliverAt, body, about })),
    );
    expect(payload.statementIds).toEqual(['C-1', 'C-2']);
    // The third line was not read by deliveriesOf: its eventIds are not known, so none is taken as unrepeated.
    expect(payload.repeatedEventIds).toBeNull();
    const twice = linesOf(
      { eventId: 'same', type: 'case.opened', contractId: 'C-1', caseId: 'K-1' },
      { eventId: 'once', type: 'case.opened', contractId: 'C-1', caseId: 'K-2' },
      { eventId: 'same', type: 'case.opened', contractId: 'C-1', caseId: 'K-1' },
    );
    expect(shardPayload(twice, [0, 1, 2], { catalog, start: 0, until: 1, contractIds: ['C-1'] }).repeatedEventIds).toEqual(['same']);
  });
});

/** The --json text of one replay per count of jobs. */
async function byJobs(deliveries: readonly Delivery[], jobs: readonly number[], until?: Instant): Promise<string[]> {
  const texts: string[] = [];
  for (const count of jobs) {
    const result = await runReplay({ catalog, deliveries, jobs: count, ...(until === undefined ? {} : { until }) });
    texts.push(JSON.stringify(result.output, null, 2));
  }
  return texts;
}

describe('replay gives byte-identical --json output in one process and in worker threads', () => {
  it(
    'for a file that splits three ways: a generated year, the pools demo, poison and a repeated eventId',
    async () => {
      // Prepare
      const extra = [
        'this line is not JSON',
        JSON.stringify({ eventId: 'bench-K-1-case.opened', type: 'case.opened', occurredAt: '2026-06-01T10:00:00Z', contractId: 'C-BENCH-3', caseId: 'K-dup' }),
        JSON.stringify({ eventId: 'no-contract', type: 'case.opened', occurredAt: '2026-06-02T10:00:00Z', caseId: 'K-x' }),
      ];
      const text = [...generatedYear(30, 3_000), ...example('demo-pools.jsonl').trim().split('\n'), ...extra].join('\n');
      const deliveries = deliveriesOf(jsonLines(text));
      const until = Date.parse('2027-01-02T00:00:00+01:00');

      // Act
      const [one, two, three] = await byJobs(deliveries, [1, 2, 3], until);

      // Assess
      expect(shardsOf(deliveries.filter((d) => d.deliverAt <= until), 3).length).toBe(3);
      expect(two).toBe(one);
      expect(three).toBe(one);
      const output = JSON.parse(one ?? '{}') as { deadLetters: unknown[]; pools: unknown[]; contracts: unknown[] };
      expect(output.deadLetters.length).toBeGreaterThanOrEqual(2);
      expect(output.pools.length).toBe(2);
      expect(output.contracts.length).toBeGreaterThan(30);
      // The demo year's late line would link every line of its source: that file runs as one shard, still the same.
    },
    SHARDS_TIMEOUT_MS,
  );

  it(
    'when a bouncing address gets two notices in a sweep that also notifies 24 other contracts',
    async () => {
      // Prepare: the notifier takes 25 notices an invocation and learns of a bounce after each. Batches that mixed
      // contracts put C-B's second notice in the next batch in one process (refused: suppressed) and in the same
      // batch in its shard (sent, bounced): a contract's notices are now batched on their own.
      const registered = (contractId: string, email: string) => ({
        eventId: `crm-${contractId}-reg`,
        type: 'contract.registered',
        occurredAt: '2025-12-15T10:00:00Z',
        contractId,
        customer: { name: 'Kunde AS', email, locale: 'en' },
        serviceLevel: 'premium',
        annualFee: { amount: '120000.00', currency: 'NOK' },
        startDate: '2026-01-01',
        timeZone: 'Europe/Oslo',
      });
      const fillers = Array.from({ length: 24 }, (_, n) => `C-F${String(n).padStart(2, '0')}`);
      const contracts = [...fillers, 'C-B'];
      const cases = contracts.flatMap((contractId) => (contractId === 'C-B' ? [0, 1] : [0]).map((k) => ({ contractId, caseId: `K-${contractId}-${k}` })));
      const events = [
        ...fillers.map((contractId, n) => registered(contractId, `f${n}@cust${n}.example`)),
        registered('C-B', 'bounce@simulator.amazonses.com'),
        ...cases.map(({ contractId, caseId }) => ({ eventId: `${caseId}-open`, type: 'case.opened', occurredAt: '2026-02-02T10:00:00Z', contractId, caseId, priority: 'normal', summary: 'x' })),
        ...cases.flatMap(({ contractId, caseId }) => [
          { eventId: `${caseId}-resp`, type: 'case.responded', occurredAt: '2026-02-02T11:00:00Z', contractId, caseId },
          { eventId: `${caseId}-res`, type: 'case.resolved', occurredAt: '2026-02-02T12:00:00Z', contractId, caseId },
        ]),
        { eventId: 'C-F00-later', type: 'case.opened', occurredAt: '2026-03-01T10:00:00Z', contractId: 'C-F00', caseId: 'K-END', priority: 'normal', summary: 'x' },
      ];
      const deliveries = deliveriesOf(jsonLines(events.map((event) => JSON.stringify(event)).join('\n')));

      // Act
      const [one, two, three] = await byJobs(deliveries, [1, 2, 3]);

      // Assess
      expect(two).toBe(one);
      expect(three).toBe(one);
      const output = JSON.parse(one ?? '{}') as { notices: { contractId: string; type: string; state: string }[] };
      const toBounce = output.notices.filter((notice) => notice.contractId === 'C-B' && notice.type === 'credit.issued');
      expect(toBounce.map((notice) => notice.state)).toEqual(['bounced', 'bounced']);
    },
    SHARDS_TIMEOUT_MS,
  );

  it(
    'when a parked event expires before its contract registers, with another contract’s sweeps in between',
    async () => {
      // Prepare: K-P is parked on 5 January (C-P is not registered); C-P registers on 20 March. The sweep expires
      // it from 5 February; replay skipped that idle day and let C-Q's sweep of 10 March expire it in one process,
      // while in its own shard nothing swept before the registration applied it. The mirror now knows the day.
      const deliveries = linesOf(
        { eventId: 'crm-C-Q-reg', type: 'contract.registered', occurredAt: '2025-12-15T10:00:00Z', contractId: 'C-Q', customer: { name: 'Q AS', email: 'q@q.example', locale: 'en' }, serviceLevel: 'premium', annualFee: { amount: '120000.00', currency: 'NOK' }, startDate: '2026-01-01' },
        { eventId: 'hd-P-open', type: 'case.opened', occurredAt: '2026-01-05T10:00:00Z', contractId: 'C-P', caseId: 'K-P', priority: 'normal', summary: 'x' },
        { eventId: 'hd-Q-open', type: 'case.opened', occurredAt: '2026-03-10T10:00:00Z', contractId: 'C-Q', caseId: 'K-Q', priority: 'normal', summary: 'x' },
        { eventId: 'hd-Q-resp', type: 'case.responded', occurredAt: '2026-03-10T10:05:00Z', contractId: 'C-Q', caseId: 'K-Q' },
        { eventId: 'crm-C-P-reg', type: 'contract.registered', occurredAt: '2026-03-20T10:00:00Z', contractId: 'C-P', customer: { name: 'P AS', email: 'p@p.example', locale: 'en' }, serviceLevel: 'premium', annualFee: { amount: '120000.00', currency: 'NOK' }, startDate: '2026-01-01' },
      );

      // Act
      const [one, two] = await byJobs(deliveries, [1, 2], Date.parse('2026-04-01T00:00:00Z'));

      // Assess
      expect(two).toBe(one);
      const output = JSON.parse(one ?? '{}') as { contracts: { contractId: string; rejected: { eventId: string; reason: string }[] }[] };
      const p = output.contracts.find((contract) => contract.contractId === 'C-P');
      expect(p?.rejected).toEqual([{ eventId: 'hd-P-open', reason: expect.stringContaining('not registered within 30 days') as string }]);
    },
    SHARDS_TIMEOUT_MS,
  );

  it(
    'for the demo year and the pools demo alone, against their checked-in statements',
    async () => {
      // Prepare
      const year = deliveriesOf(jsonLines(example('demo-year.jsonl')));
      const expected = JSON.stringify(JSON.parse(example('demo-year.expected.json')), null, 2);

      // Act
      const [one, two] = await byJobs(year, [1, 2], Date.parse('2027-01-02T00:00:00+01:00'));
      const [poolsOne, poolsTwo] = await byJobs(deliveriesOf(jsonLines(example('demo-pools.jsonl'))), [1, 2]);

      // Assess
      expect(one).toBe(expected);
      expect(two).toBe(expected);
      expect(poolsTwo).toBe(poolsOne);
    },
    SHARDS_TIMEOUT_MS,
  );

  it(
    'for a soak scenario (late, duplicated and poison deliveries) and the outage scenarios, read without deliveriesOf',
    async () => {
      // Prepare
      const soak = generateSoak({ seed: 18, contracts: 6, events: 600 });
      const outages = OUTAGE_KINDS.map((kind) => outageScenario(kind, { seed: 20261201 }));

      // Act
      const [soakOne, soakTwo] = await byJobs(asDeliveries(soak.deliveries), [1, 2], soak.asOf);
      const outageRuns = await Promise.all(outages.map((scenario) => byJobs(asDeliveries(scenario.deliveries), [1, 3], scenario.asOf + 3_600_000)));

      // Assess
      expect(soakTwo).toBe(soakOne);
      for (const [one, three] of outageRuns) expect(three).toBe(one);
    },
    SHARDS_TIMEOUT_MS,
  );
});
