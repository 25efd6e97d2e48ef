/**
 * The digest of an event (docs/design.md#order-and-duplicates): sha-256 (base64url, 43 characters) of a canonical JSON of the parsed event, so the same
 * identity with another body is recognised as a conflicting duplicate, not ignored. Canonical: object
 * keys sorted, undefined fields left out, the source written out (an absent source is the default),
 * defaults already applied by the parser — two bodies that parse to the same event have one digest.
 */
import * as crypto from 'node:crypto';
import { sourceOf } from './source.ts';

/** sha-256 in base64url: one-shot `crypto.hash` (Node ≥ 20.12, a few times cheaper), else a `Hash`. */
const sha256 =
  typeof crypto.hash === 'function'
    ? (text: string): string => crypto.hash('sha256', text, 'base64url')
    : (text: string): string => crypto.createHash('sha256').update(text).digest('base64url');

/** base64url, 43 characters: never holds `#`, so it can sit inside a key. */
export function eventDigest(event: { readonly source?: string | undefined; readonly eventId: string }): string {
  // The canonical JSON of `{ ...event, source: sourceOf(event) }`, without copying the event: the source
  // is read in its sorted place whether the event names it or not.
  const keys = Object.keys(event);
  if (!Object.prototype.propertyIsEnumerable.call(event, 'source')) keys.push('source');
  const order = keyOrderOf(keys);
  const fields = event as Readonly<Record<string, unknown>>;
  let json = '{';
  for (let i = 0; i < order.sorted.length; i += 1) {
    const key = order.sorted[i] as string;
    const item = key === 'source' ? sourceOf(event) : fields[key];
    if (item === undefined) continue;
    if (json.length > 1) json += ',';
    json += (order.quoted[i] as string) + canonicalJson(item);
  }
  return sha256(`${json}}`);
}

/** A list of keys (as `Object.keys` gives them) sorted, each with its `"key":` written out. */
interface KeyOrder {
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
  readonly quoted: readonly string[];
}

/**
 * The key orders of the event shapes seen: the events of one type and fields share a key list, so an
 * event's keys are sorted and quoted once per shape, not once per event.
 */
const keyOrders: KeyOrder[] = [];
const KEY_ORDERS_KEPT = 64;

function keyOrderOf(keys: readonly string[]): KeyOrder {
  for (const order of keyOrders) if (sameKeys(order.keys, keys)) return order;
  const sorted = [...keys].sort();
  const order = { keys, sorted, quoted: sorted.map((key) => `${JSON.stringify(key)}:`) };
  if (keyOrders.length >= KEY_ORDERS_KEPT) keyOrders.length = 0;
  keyOrders.push(order);
  return order;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const fields = value as Readonly<Record<string, unknown>>;
  return objectJson(Object.keys(fields), (key) => fields[key]);
}

/**
 * `{"key":value,…}` over the own enumerable keys given, sorted by UTF-16 code units (the default sort,
 * keys being distinct), undefined values left out.
 */
function objectJson(keys: string[], valueOf: (key: string) => unknown): string {
  keys.sort();
  let json = '{';
  for (const key of keys) {
    const item = valueOf(key);
    if (item === undefined) continue;
    if (json.length > 1) json += ',';
    json += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${json}}`;
}
