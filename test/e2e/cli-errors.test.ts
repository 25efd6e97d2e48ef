/**
 * A user's mistake — an unknown command or flag, a missing or bad file, no running stack — ends in one
 * line on stderr naming what is wrong and a non-zero exit, never a stack trace.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '#cli/main.ts';
import type { Output } from '#cli/output.ts';
import { runAftercare } from './cli-process.ts';

function capturedOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (text) => stdout.push(text), err: (text) => stderr.push(text), errIsTty: false };
}

async function cli(...argv: string[]): Promise<{ status: number; stdout: string[]; stderr: string[] }> {
  const output = capturedOutput();
  const status = await runCli(argv, output);
  return { status, stdout: output.stdout, stderr: output.stderr };
}

const scratch = mkdtempSync(join(tmpdir(), 'aftercare-cli-errors-'));
const file = (name: string, content: string): string => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};
const VALID_EVENT = JSON.stringify({
  eventId: 'E-1',
  type: 'case.responded',
  occurredAt: '2026-11-28T09:00:00+01:00',
  contractId: 'C-1',
  caseId: 'K-1',
});

beforeAll(() => {
  // --local must find no stack here, whatever runs on this machine.
  process.env.AFTERCARE_LOCAL_DIR = join(scratch, 'no-stack');
});

describe('one line and a non-zero exit for every user error', () => {
  it.each([
    { name: 'an unknown command', argv: ['frobnicate'], status: 2, says: 'unknown command "frobnicate"' },
    { name: 'an unknown flag', argv: ['replay', '--evnts', 'x.jsonl'], status: 2, says: "'--evnts'" },
    { name: 'a missing required flag', argv: ['replay', '--catalog', 'catalog/default.json'], status: 2, says: '--events is required' },
    { name: 'a flag without its value', argv: ['replay', '--catalog'], status: 2, says: '--catalog' },
    { name: 'a stray argument', argv: ['schema', 'extra'], status: 2, says: 'unexpected argument "extra"' },
    { name: 'an instant without an offset', argv: ['replay', '--catalog', 'catalog/default.json', '--events', 'examples/demo-year.jsonl', '--until', '2027-01-01'], status: 2, says: 'not an ISO-8601 instant' },
    { name: 'a missing events file', argv: ['replay', '--catalog', 'catalog/default.json', '--events', 'nowhere.jsonl'], status: 1, says: 'events file nowhere.jsonl: no such file' },
    { name: 'a missing catalog', argv: ['replay', '--catalog', 'nowhere.json', '--events', 'examples/demo-year.jsonl'], status: 1, says: 'nowhere.json' },
    { name: 'both --local and --queue-url', argv: ['send', 'examples/case.opened.json', '--local', '--queue-url', 'http://q'], status: 2, says: 'either --queue-url or --local' },
    { name: 'neither --local nor --table', argv: ['statement', 'C-1'], status: 2, says: 'give --table or --local' },
    { name: 'no running local stack', argv: ['statement', 'C-1', '--local'], status: 1, says: 'no local stack found' },
    { name: 'a dlq action that does not exist', argv: ['dlq', 'purge', '--local'], status: 2, says: 'say list or redrive, not "purge"' },
    { name: 'billing events without --local', argv: ['events'], status: 2, says: 'events: give --local' },
    { name: 'economics with neither --table, --local nor --replay', argv: ['economics'], status: 2, says: 'give --table or --local' },
    { name: 'economics with --replay and --local', argv: ['economics', '--replay', 'x.json', '--local'], status: 2, says: 'choose one of --table, --local and --replay' },
    { name: 'economics with --json and --csv', argv: ['economics', '--replay', 'x.json', '--json', '--csv'], status: 2, says: 'choose one of --json and --csv' },
    { name: 'economics of a file that is not a replay output', argv: ['economics', '--replay', 'examples/case.opened.json'], status: 1, says: 'not the output of `aftercare replay --json`' },
    { name: 'help for a command that does not exist', argv: ['help', 'frobnicate'], status: 2, says: 'no command "frobnicate"' },
  ])('$name', async ({ argv, status, says }) => {
    // Act
    const run = await cli(...argv);

    // Assess
    expect(run.status).toBe(status);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toContain(says);
    expect(run.stderr[0]).toMatch(/^aftercare: /);
    expect(run.stderr[0]).not.toContain('\n');
    expect(run.stdout).toEqual([]);
  });

  it('a bad catalog names every bad field on the one line', async () => {
    // Prepare
    const catalog = file('bad-catalog.json', JSON.stringify({ calendars: {}, serviceLevels: { gold: { kpis: {} } } }));

    // Act
    const run = await cli('replay', '--catalog', catalog, '--events', 'examples/demo-year.jsonl');

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toContain(catalog);
    expect(run.stderr[0]).toContain('serviceLevels.gold');
    expect(run.stderr[0]).not.toContain('\n');
  });
});

describe('send validates every line before it sends any', () => {
  it('lists each bad line with its number and reason, and sends nothing', async () => {
    // Prepare: no stack is running, so reaching SQS would fail differently
    const events = file('mixed.jsonl', [VALID_EVENT, '{not json', VALID_EVENT.replace('"C-1"', '""'), VALID_EVENT].join('\n'));

    // Act
    const run = await cli('send', events, '--local');

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toEqual([
      expect.stringMatching(/line 2: \$: body is not JSON/),
      expect.stringMatching(/line 3: contractId: /),
      `aftercare: send: 2 invalid event(s) in ${events}; nothing was sent`,
    ]);
    expect(run.stdout).toEqual([]);
  });

  it('a file without events is refused', async () => {
    const run = await cli('send', file('empty.jsonl', '\n\n'), '--queue-url', 'http://127.0.0.1:9/queue');
    expect(run.status).toBe(1);
    expect(run.stderr).toEqual([expect.stringContaining('holds no events')]);
  });
});

describe('the bin', () => {
  it('exits non-zero with one line, not a stack trace, for a bad flag', async () => {
    // Act
    const run = await runAftercare(['send', '--frobnicate'], { AFTERCARE_LOCAL_DIR: join(scratch, 'no-stack') });

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining("Unknown option '--frobnicate'")]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints usage for every command with --help and exits 0', async () => {
    for (const command of ['local', 'replay', 'send', 'statement', 'dlq', 'lifecycle', 'events', 'schema', 'webhook-secret', 'help']) {
      const run = await cli(command, '--help');
      expect(run.status, command).toBe(0);
      expect(run.stdout.join('\n'), command).toMatch(/^Usage: aftercare/);
    }
  });
});
