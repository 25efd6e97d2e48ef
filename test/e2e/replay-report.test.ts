/**
 * Replay of a short, messy file: poison lines end as dead letters with the intake's reason, an event
 * the rules refuse is reported as rejected, and the readable report shows the contract's year table.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { replayOutputSchema } from '#cli/replay/output-schema.ts';
import type { InputLine } from '#cli/input/lines.ts';
import { deliveriesOf } from '#cli/replay/input.ts';
import { replayReport } from '#cli/replay/report.ts';
import { runReplay, type ReplayResult } from '#cli/replay/run-replay.ts';
import { statementJson } from '#cli/statement/statement-json.ts';
import { statementText } from '#cli/statement/statement-text.ts';
import { CHECKOUT } from './cli-process.ts';

const registration = readFileSync(`${CHECKOUT}examples/contract.registered.json`, 'utf8').replace(/\s*\n\s*/g, ' ');
const caseEvent = (eventId: string, type: string, occurredAt: string, caseId = 'K-1'): string =>
  JSON.stringify({ eventId, type, occurredAt, contractId: 'C-DEMO-1', caseId });

const LINES = [
  registration,
  caseEvent('hd-1-opened', 'case.opened', '2026-03-02T09:00:00+01:00'),
  'this line is not JSON',
  caseEvent('hd-1-responded', 'case.responded', '2026-03-02T09:30:00+01:00'),
  JSON.stringify({ eventId: 'hd-2-opened', type: 'case.opened', occurredAt: '2026-03-03T09:00:00+01:00', contractId: 'C-DEMO-1' }),
  // Before the contract starts (2026-01-01): the rules refuse it.
  caseEvent('hd-0-opened', 'case.opened', '2025-12-20T09:00:00+01:00', 'K-0'),
  caseEvent('hd-1-resolved', 'case.resolved', '2026-03-02T15:00:00+01:00'),
];

let result: ReplayResult;

beforeAll(async () => {
  const input: InputLine[] = LINES.map((text, index) => ({ lineNumber: index + 1, text, where: `line ${index + 1}` }));
  result = await runReplay({ catalog: loadDefaultCatalog(), deliveries: deliveriesOf(input), until: Date.parse('2026-04-01T00:00:00Z') });
}, 900_000);

describe('replay of a file with poison, refused and late-answered cases', () => {
  it('dead-letters the poison with the intake reason, with a null eventId when the body has none', () => {
    expect(result.output.deadLetters).toEqual(
      expect.arrayContaining([
        { eventId: null, error: expect.stringMatching(/^\$: body is not JSON/) as unknown as string },
        { eventId: 'hd-2-opened', error: expect.stringMatching(/^caseId: /) as unknown as string },
      ]),
    );
    expect(result.output.deadLetters).toHaveLength(2);
    expect(replayOutputSchema.safeParse(result.output).success).toBe(true);
  });

  it('reports the case opened before the contract began as rejected', () => {
    expect(result.output.contracts[0]?.rejected.map((rejected) => rejected.eventId)).toEqual(['hd-0-opened']);
  });

  it('counts the late first response as one breach and credits 2 % of the fee', () => {
    // Premium first response PT15M: answered after 30 minutes. Resolution after 6 h is in time.
    const [year] = result.output.contracts[0]?.years ?? [];
    expect(year?.breaches).toEqual({ firstResponse: 1, onSite: 0, replacement: 0, resolution: 0 });
    expect(year?.creditsMinor).toBe(240_000);
  });

  it('shows a readable report with the year table, rejected events, notices by type and dead letters', () => {
    const report = replayReport(result).join('\n');
    expect(report).toContain('C-DEMO-1 — active, premium');
    expect(report).toMatch(/1\s+2026-01-01 – 2027-01-01\s+120 000\.00 NOK\s+FR 1 OS 0 RP 0 RS 0\s+FR 0% RS 100%\s+2 400\.00 NOK/);
    expect(report).toContain('rejected events: 1');
    expect(report).toContain('notices: credit.issued 1');
    expect(report).toContain('Dead letters: 2');
  });
});

describe('the statement of the replayed contract', () => {
  const asOf = Date.parse('2026-04-01T00:00:00Z');

  it('reads as terms, termination right, years, ledger, notices and rejected events', () => {
    const statement = result.statements[0];
    if (statement === undefined) throw new Error('no statement');
    const text = statementText(statement, asOf).join('\n');
    expect(text).toContain('Contract C-DEMO-1 — active, service level premium (as of 2026-04-01T00:00:00Z)');
    expect(text).toContain('start 2026-01-01, binding end 2027-01-01, current term end 2027-01-01');
    expect(text).toContain('termination right: none');
    expect(text).toMatch(/Ledger\n.*\n.*\n\s+1\s+1\s+K-1\s+first response\s+2 400\.00 NOK\s+2026-03-02T08:20:00Z/);
    expect(text).toMatch(/credit\.issued\s+sent\s+drift@nordlys-logistikk\.example/);
    expect(text).toContain('hd-0-opened (case.opened)');
    // No visits: the cost to serve is the credit, the margin 120 000 − 2 400 = 117 600 kr.
    expect(text).toMatch(/Economics .*\n.*\n.*\n\s+1\s+0\s+0\s+0\s+0\s+0\s+0\.00 NOK\s+0\.00 NOK\s+2 400\.00 NOK\s+2 400\.00 NOK\s+120 000\.00 NOK\s+117 600\.00 NOK\s+2% \/ 2%/);
  });

  it('as JSON carries instants in UTC and money in minor units', () => {
    const statement = result.statements[0];
    if (statement === undefined) throw new Error('no statement');
    const json = statementJson(statement, asOf);
    expect(json).toMatchObject({ asOf: '2026-04-01T00:00:00Z', contractId: 'C-DEMO-1', status: 'active', terminationRight: null });
    expect(json.ledger).toEqual([expect.objectContaining({ caseId: 'K-1', kpi: 'firstResponse', amountMinor: 240_000, bookedAt: '2026-03-02T08:20:00Z' })]);
  });
});
