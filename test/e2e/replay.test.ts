/**
 * `aftercare replay` over the demo year: the real handlers on the emulators, on a virtual clock. The
 * --json output is exactly the checked-in expected statement and valid under the v1 replay schema;
 * the figures below were worked out by hand from docs/design.md#5-cases-clocks-breaches-credits and the premium level of the default catalog.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayOutputSchema, type ReplayOutput } from '#cli/replay/output-schema.ts';
import { generatedYear } from '../../bench/replay.ts';
import { CHECKOUT, runAftercare, type CliRun } from './cli-process.ts';

const EXPECTED = JSON.parse(readFileSync(`${CHECKOUT}examples/demo-year.expected.json`, 'utf8')) as ReplayOutput;
const FEE_MINOR = 12_000_000; // 120 000.00 NOK
const percentOfFee = (percent: number): number => (FEE_MINOR * percent) / 100;

let run: CliRun;
let output: ReplayOutput;

beforeAll(async () => {
  run = await runAftercare([
    'replay',
    '--catalog',
    'catalog/default.json',
    '--events',
    'examples/demo-year.jsonl',
    '--until',
    '2027-01-02T00:00:00+01:00',
    '--json',
  ]);
  output = JSON.parse(run.stdout) as ReplayOutput;
}, 900_000);

describe('replay --json of the demo year', () => {
  it('prints only the replay output on stdout, valid under the v1 schema', () => {
    expect(run.status).toBe(0);
    expect(replayOutputSchema.safeParse(output).success).toBe(true);
    expect(run.stdout.trim().startsWith('{')).toBe(true);
    // stderr is not a terminal here: no progress bar.
    expect(run.stderr).not.toContain('\r[');
  });

  it('matches the checked-in expected statement', () => {
    expect(output).toEqual(EXPECTED);
  });

  it('counts the breaches the rules give: late responses, late technicians, a late loan unit, slow fixes', () => {
    // FR (PT15M): K-1002 answered after 40 min, K-1007 (critical) after 30 min. K-1013's answer at 12 min
    //   reached the queue at 40 min: the sweep declared a breach at deadline + grace (13:20) and the late
    //   event withdrew it, so it does not count.
    // On site (PT24H): K-1003 after 30 h, K-1014 after 26 h; K-1009 (22 h) and K-1010 (22 h from the request) met.
    // Replacement (PT8H): K-1011 after 10.5 h from the request; K-1005 (5.5 h) met.
    // Resolution (PT48H): K-1007 after 65 h, K-1012 after 72 h; K-1006 counts 7 h (paused awaiting the customer).
    const [year1] = output.contracts[0]?.years ?? [];
    expect(year1?.breaches).toEqual({ firstResponse: 2, onSite: 2, replacement: 1, resolution: 2 });
  });

  it('accrues credits in deadline order up to the 20 % cap and no further', () => {
    // K-1002 FR 2 % + K-1003 on site 5 % + K-1007 FR 2 % + K-1007 resolution 5 % + K-1011 replacement 3 % = 17 %;
    // K-1012 resolution (5 %) takes the 3 % left under the cap; K-1014 on site (November) earns nothing.
    const [year1, year2] = output.contracts[0]?.years ?? [];
    expect(year1?.creditsMinor).toBe(percentOfFee(20));
    expect(year1?.capMinor).toBe(percentOfFee(20));
    expect(year1?.capReached).toBe(true);
    expect(year1?.amountDueNextYearMinor).toBe(FEE_MINOR - percentOfFee(20));
    // Year 2 began at midnight Oslo time on 2027-01-01, before asOf: listed, nothing in it yet.
    expect(year2).toMatchObject({ index: 2, start: '2027-01-01', breaches: { firstResponse: 0, onSite: 0, replacement: 0, resolution: 0 } });
  });

  it('prices the year’s two visits at the default catalog’s example rates, and the year’s margin', () => {
    // V-1009-1: 2 h × 950 + 1.5 h × 750 + 84 km × 3.50 + 1 started day × 1 012 = 1 900 + 1 125 + 294 + 1 012 = 4 331 kr.
    // V-1014-1 (Sweden): 4 h × 950 + 8 h × 750 + 1 night × 1 600 + 2 days × 950 + toll 230 = 3 800 + 6 000 + 1 600 + 1 900 + 230 = 13 530 kr.
    // Cost to serve 17 861 + 24 000 credits = 41 861 kr; margin 120 000 − 41 861 = 78 139 kr.
    const [year1, year2] = output.contracts[0]?.years ?? [];
    expect(year1?.visits).toEqual({ count: 2, hoursOnSite: 6, travelHours: 9.5, kilometres: 84, nights: 1, costMinor: 1_786_100 });
    expect(year1?.costToServeMinor).toBe(4_186_100);
    expect(year1?.marginMinor).toBe(7_813_900);
    // A year that has begun counts its whole fee as revenue: year 2, one day old, has cost nothing yet.
    expect(year2?.marginMinor).toBe(FEE_MINOR);
    // The level over both years: 240 000 revenue − 24 000 credits − 17 861 costs = 198 139 kr;
    // first response 2 of 14 decided clocks breached, on site 2 of 4, replacement 1 of 2, resolution 2 of 14.
    expect(output.economics.levels).toEqual([
      {
        level: 'premium',
        currency: 'NOK',
        contracts: 1,
        revenueMinor: 2 * FEE_MINOR,
        creditsMinor: percentOfFee(20),
        costsMinor: 1_786_100,
        marginMinor: 19_813_900,
        breachRate: { firstResponse: 0.1429, onSite: 0.5, replacement: 0.5, resolution: 0.1429 },
      },
    ]);
  });

  it('lets the termination right lapse 90 days after the breach that reached the cap', () => {
    // The cap was reached by K-1012's resolution deadline, 2026-09-10 08:00 Oslo; the right held until
    // the end of 2026-12-09 (midnight Oslo, 2026-12-09 23:00Z), before asOf.
    expect(output.contracts[0]?.terminationRight).toBeNull();
    expect(output.contracts[0]?.status).toBe('active');
  });

  it('sent the customer one notice per credited breach, the cap, two renewal reminders and the year statement', () => {
    const byType: Record<string, ReplayOutput['notices']> = {};
    for (const notice of output.notices) (byType[notice.type] ??= []).push(notice);
    expect(byType['credit.issued']?.map((notice) => notice.id.split('#').slice(3).join('#')).sort()).toEqual([
      'K-1002#firstResponse',
      'K-1003#onSite',
      'K-1007#firstResponse',
      'K-1007#resolution',
      'K-1011#replacement',
      'K-1012#resolution',
    ]);
    expect(byType['credit.cap_reached']).toHaveLength(1);
    // reminderDays defaults to [noticeDays + 30, 30] = [120, 30] days before the term end 2027-01-01.
    expect(byType['renewal.reminder']?.map((notice) => notice.id)).toEqual([
      'renewal.reminder#C-DEMO-1#2027-01-01#120',
      'renewal.reminder#C-DEMO-1#2027-01-01#30',
    ]);
    expect(byType['year.statement']).toHaveLength(1);
    expect(output.notices.every((notice) => notice.state === 'sent')).toBe(true);
    expect(output.deadLetters).toEqual([]);
  });
});

describe('replay --jobs', () => {
  it('prints the same --json output in one process and in worker threads (the bin, as a user runs it)', async () => {
    // Prepare: 40 contracts that share nothing, so the lines split.
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-jobs-'));
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${generatedYear(40, 3_000).join('\n')}\n`);
    const args = (jobs: string): string[] => ['replay', '--catalog', 'catalog/default.json', '--events', events, '--until', '2027-01-01T00:00:00Z', '--json', '--jobs', jobs];

    try {
      // Act
      const one = await runAftercare(args('1'));
      const three = await runAftercare(args('3'));

      // Assess
      expect(one.status).toBe(0);
      expect(three.status).toBe(0);
      expect(three.stdout).toBe(one.stdout);
      expect((JSON.parse(one.stdout) as ReplayOutput).contracts).toHaveLength(40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('refuses a count that is not a whole number from 1 to 64, and --jobs on the emulators', async () => {
    // Act
    const zero = await runAftercare(['replay', '--catalog', 'catalog/default.json', '--events', 'examples/demo-year.jsonl', '--jobs', '0']);
    const emulators = await runAftercare(['replay', '--catalog', 'catalog/default.json', '--events', 'examples/demo-year.jsonl', '--jobs', '2', '--engine', 'emulators']);

    // Assess
    expect(zero.status).toBe(2);
    expect(zero.stderr.trim()).toBe('aftercare: replay: --jobs must be a whole number from 1 to 64, not 0');
    expect(emulators.status).toBe(2);
    expect(emulators.stderr.trim()).toBe('aftercare: replay: --jobs applies to the memory engine only (the emulators are one embedded stack)');
  }, 120_000);
});
