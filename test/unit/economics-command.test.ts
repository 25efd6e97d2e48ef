/**
 * `aftercare economics --replay OUTPUT.json` (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): the per-level
 * table of a replay, as text, CSV and JSON. The replay is a premium contract (120 000 kr) with one late first
 * response (2 % = 2 400 kr) and one visit priced at the default catalog's example rates, worked out by hand:
 * 2 h × 950 + 1.5 h × 750 + 120 km × 3.50 + 1 started day × 1 012 = 4 457 kr; margin 120 000 − 2 400 − 4 457 = 113 143 kr.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { jsonLines } from '#cli/input/lines.ts';
import { runCli } from '#cli/main.ts';
import type { Output } from '#cli/output.ts';
import { deliveriesOf } from '#cli/replay/input.ts';
import { runReplay } from '#cli/replay/run-replay.ts';
import { aCaseEvent, aRegistration } from '#test/support/factories/events.ts';

function captured(): Output & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (text) => outs.push(text), err: (text) => errs.push(text), errIsTty: false };
}

let file: string;

beforeAll(async () => {
  const events = [
    aRegistration(),
    aCaseEvent('case.opened', { at: '2026-03-02T08:00:00+01:00' }),
    aCaseEvent('case.responded', { at: '2026-03-02T08:30:00+01:00' }),
    aCaseEvent('case.visit_reported', { at: '2026-03-02T12:00:00+01:00', fields: { visitId: 'V-1', hoursOnSite: 2, travelHours: 1.5, kilometres: 120 } }),
    aCaseEvent('case.resolved', { at: '2026-03-02T12:00:00+01:00' }),
  ];
  const { output } = await runReplay({
    catalog: loadDefaultCatalog(),
    deliveries: deliveriesOf(jsonLines(events.map((event) => JSON.stringify(event)).join('\n'))),
  });
  file = join(mkdtempSync(join(tmpdir(), 'economics-')), 'out.json');
  writeFileSync(file, JSON.stringify(output));
}, 120_000);

describe('aftercare economics --replay', () => {
  it('prints the per-level table: contracts, revenue, credits, costs, margin and the breach rate per KPI', async () => {
    const output = captured();

    const status = await runCli(['economics', '--replay', file], output);

    expect([status, output.errs]).toEqual([0, []]);
    const text = output.outs.join('\n');
    expect(text).toMatch(/^Economics per service level as of /);
    const row = text.split('\n').find((line) => line.startsWith('premium'));
    expect(row?.replace(/\s+/g, ' ')).toBe('premium 1 120 000.00 NOK 2 400.00 NOK 4 457.00 NOK 113 143.00 NOK FR 100% OS – RP – RS 0%');
  });

  it('prints it as CSV, money in major units and breach rates as fractions (empty when no clock was decided)', async () => {
    const output = captured();

    const status = await runCli(['economics', '--replay', file, '--csv'], output);

    expect(status).toBe(0);
    expect(output.outs.join('\n').split('\n')).toEqual([
      'level,currency,contracts,revenue,credits,costs,margin,breachRate.firstResponse,breachRate.onSite,breachRate.replacement,breachRate.resolution',
      'premium,NOK,1,120000.00,2400.00,4457.00,113143.00,1,,,0',
    ]);
  });

  it('prints it as JSON in minor units, margin = revenue − credits − costs', async () => {
    const output = captured();

    const status = await runCli(['economics', '--replay', file, '--json'], output);

    expect(status).toBe(0);
    const json = JSON.parse(output.outs.join('')) as { asOf: string; levels: { level: string; revenueMinor: number; creditsMinor: number; costsMinor: number; marginMinor: number }[] };
    expect(json.levels).toEqual([
      expect.objectContaining({ level: 'premium', currency: 'NOK', contracts: 1, revenueMinor: 12_000_000, creditsMinor: 240_000, costsMinor: 445_700, marginMinor: 11_314_300 }),
    ]);
  });
});
