/**
 * The digest of an event (docs/design.md#order-and-duplicates): sha-256 (base64url, 43 characters) of a canonical JSON of the parsed event, so the same
 * identity with another body is recognised as a conflicting duplicate, not ignored. Canonical: object
 * keys sorted, undefined fields left out, the source written out (an absent source is the default),
 * defaults already applied by the parser — two bodies that parse to the same event have one digest.
 */
import { createHash } from 'node:crypto';
import { sourceOf } from './source.ts';

/** base64url, 43 characters: never holds `#`, so it can sit inside a key. */
export function eventDigest(event: { readonly source?: string | undefined; readonly eventId: string }): string {
  return createHash('sha256').update(canonicalJson({ ...event, source: sourceOf(event) })).digest('base64url');
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}
