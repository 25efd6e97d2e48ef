/**
 * What every helpdesk adapter is (docs/design.md#13-integrations): a pure function from a decoded webhook payload
 * to v1 case events, with deterministic event ids made from the helpdesk's own ids, so a delivery the
 * helpdesk retries is a duplicate downstream, never a second event. No I/O, no clock.
 */
import type { CaseEventV1 } from '#events/schemas.ts';

export interface Mapped {
  /** The v1 events the payload means, in the order they happened (no `source`: the endpoint sets it). */
  readonly events: readonly CaseEventV1[];
  /** Why a valid payload maps to nothing (a private comment, a status that means nothing here). */
  readonly ignored?: string;
}

/** The payload cannot be mapped: answered 400 with the reason, and its raw body dead-lettered for the operator. */
export class UnmappablePayloadError extends Error {
  override readonly name = 'UnmappablePayloadError';
  constructor(
    /** Dotted path of the field at fault in the payload (`ticket.organization_external_id`), `$` for the body. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw new UnmappablePayloadError(path, 'must be a JSON object');
  return value;
}

/** A non-empty string (numbers are written out: helpdesk ids come as either). */
export function textAt(value: unknown, path: string): string {
  const text = optionalTextAt(value);
  if (text === undefined) throw new UnmappablePayloadError(path, 'is missing or empty');
  return text;
}

export function optionalTextAt(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A field value read as a flag: strings, `{ value }` options and arrays of them (multi-select, checkboxes). */
export function isTruthyFieldValue(value: unknown, truthy: readonly string[]): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some((item) => isTruthyFieldValue(item, truthy));
  if (isObject(value)) return isTruthyFieldValue(value.value ?? value.name, truthy);
  const text = optionalTextAt(value);
  return text !== undefined && truthy.map((t) => t.toLowerCase()).includes(text.toLowerCase());
}

/** Event ids stay inside the v1 limit (128 chars) whatever the helpdesk's ids look like. */
export function eventIdOf(...parts: readonly string[]): string {
  const id = parts.join(':');
  if (id.length > 128) throw new UnmappablePayloadError('$', `the event id made from the helpdesk's ids is longer than 128 characters (${id.slice(0, 40)}…)`);
  return id;
}
