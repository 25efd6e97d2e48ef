/**
 * Flags with node:util parseArgs, strict: an unknown flag, a missing value or a stray argument is a
 * UsageError with one line that names it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseInstant, type Instant } from '#domain/time.ts';
import { UsageError } from './errors.ts';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedFlags {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

export function parseFlags(command: string, argv: readonly string[], options: FlagSpec, maxPositionals = 0): ParsedFlags {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    throw new UsageError(`${command}: ${message.replace(/\. To specify a positional argument.*$/, '')} (see \`aftercare ${command} --help\`)`);
  }
  if (parsed.positionals.length > maxPositionals) {
    const stray = parsed.positionals[maxPositionals] ?? '';
    throw new UsageError(`${command}: unexpected argument "${stray}" (see \`aftercare ${command} --help\`)`);
  }
  return { values: parsed.values as ParsedFlags['values'], positionals: parsed.positionals };
}

export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(flags: ParsedFlags, name: string): boolean {
  return flags.values[name] === true;
}

export function requiredFlag(command: string, flags: ParsedFlags, name: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined || value === '') throw new UsageError(`${command}: --${name} is required (see \`aftercare ${command} --help\`)`);
  return value;
}

export function instantFlag(command: string, flags: ParsedFlags, name: string): Instant | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  // Date.parse takes "2026" or "March 1": an instant must say its offset (docs/design.md#6-the-event-contract-v1).
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new UsageError(`${command}: --${name} "${value}" is not an ISO-8601 instant with an offset (e.g. 2027-01-01T00:00:00Z)`);
  }
  try {
    return parseInstant(value);
  } catch {
    throw new UsageError(`${command}: --${name} "${value}" is not a valid instant`);
  }
}

/** `--local` or the flag naming a real resource: exactly one of them. */
export function localOr(command: string, flags: ParsedFlags, resourceFlag: string): { local: true } | { local: false; value: string } {
  const local = booleanFlag(flags, 'local');
  const value = stringFlag(flags, resourceFlag);
  if (local && value !== undefined) throw new UsageError(`${command}: give either --${resourceFlag} or --local, not both`);
  if (!local && (value === undefined || value === '')) throw new UsageError(`${command}: give --${resourceFlag} or --local (see \`aftercare ${command} --help\`)`);
  return local ? { local: true } : { local: false, value: value ?? '' };
}
