/**
 * The edge of the event contract: an SQS body in, a v1 event or a poison reason out.
 * Never throws; the reason names the field path (`customer.email`) so the DLQ attributes can carry it.
 */
import type { core } from 'zod/mini';
import { eventV1, type AftercareEventV1 } from './schemas.ts';

/**
 * The v1 schema compiled (`z.compile`): a valid event is parsed by generated code, many times faster
 * than the interpreted parse; an invalid one falls back to the interpreted parse, so what is refused
 * and with which messages stays zod's own. Only a long run turns it on (`aftercare replay`, through
 * `compileEventSchemaWith`): zod's compiler is ≈ 350 KB of the bundle, which a Lambda function would
 * load at every cold start for a handful of events. Compiling costs tens of milliseconds, so even
 * then it waits until the process has parsed enough events to earn it back.
 * A schema the compiler cannot take is handed back as it is (the unit tests hold that v1 compiles).
 */
const COMPILE_AFTER_PARSES = 1_000;
let parses = 0;
let compiler: (<S extends typeof eventV1>(schema: S) => S) | null = null;
let compiledEventV1: typeof eventV1 | null = null;

/** Parses with the compiled schema from the 1 000th event on (`compile` from zod/mini); for long runs only. */
export function compileEventSchemaWith(compile: <S extends typeof eventV1>(schema: S) => S): void {
  compiler = compile;
}

function eventSchema(): typeof eventV1 {
  if (compiledEventV1 !== null) return compiledEventV1;
  if (compiler === null) return eventV1;
  parses += 1;
  if (parses < COMPILE_AFTER_PARSES) return eventV1;
  compiledEventV1 = compiler(eventV1);
  return compiledEventV1;
}

export interface EventIssue {
  /** Dotted path of the offending field (`annualFee.amount`, `reminderDays.1`); `$` for the body itself. */
  readonly path: string;
  readonly message: string;
}

export interface EventParseError extends EventIssue {
  /** Every issue found, the first of which is repeated in `path` and `message`. */
  readonly issues: readonly EventIssue[];
}

export type ParseEventResult =
  | { readonly ok: true; readonly event: AftercareEventV1 }
  | { readonly ok: false; readonly error: EventParseError };

export function parseEvent(body: string): ParseEventResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return refused([{ path: '$', message: `body is not JSON: ${reason}` }]);
  }
  return parseEventObject(json);
}

/** The same check for an already-decoded value (replay input, tests). */
export function parseEventObject(value: unknown): ParseEventResult {
  const result = eventSchema().safeParse(value);
  if (result.success) return { ok: true, event: result.data };
  return refused(result.error.issues.flatMap((issue) => describeIssue(issue, [])));
}

function refused(issues: readonly EventIssue[]): ParseEventResult {
  const first = issues[0] ?? { path: '$', message: 'invalid event' };
  return { ok: false, error: { path: first.path, message: first.message, issues } };
}

type Segment = PropertyKey;

function describeIssue(issue: core.$ZodIssue, prefix: readonly Segment[]): EventIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: dotted([...path, key]), message: `unknown field "${key}"` }));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the branch that matched the value's type (a string amount → the string rules), not "Invalid input".
    const branch = issue.errors.find((errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
    if (branch !== undefined) return branch.flatMap((inner) => describeIssue(inner, path));
  }
  return [{ path: dotted(path), message: issue.message }];
}

function dotted(path: readonly Segment[]): string {
  return path.length === 0 ? '$' : path.map(String).join('.');
}
