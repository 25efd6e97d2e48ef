/**
 * Bounded items (docs/design.md#order-and-duplicates: no item grows past DynamoDB's 400 KB, however long a case or a year grows).
 *
 * A case keeps its events, a year its breaches (and the breach keys already notified), in its own item
 * while they fit a budget. Past it, every such entry moves to overflow items of the same partition,
 * spread by a hash of the entry's key over a prefix tree of leaves (extendible hashing, fan-out 4):
 * the main item lists its leaves (`ov`) and keeps the rest of its fields. A leaf that grows past its
 * split size is replaced by its 4 children (at most one split in a commit, so a commit writes at most
 * 4 leaves and deletes 1 for it: docs/data-model.md counts this in the worst case of a change). Only leaves whose content changed
 * are written, so a commit adding one event writes one leaf; an ordinary case or year has no leaves
 * and costs nothing more to read or write.
 *
 * The main item's version condition guards the whole record: leaves are written unconditionally in
 * the same transaction, and a reader follows only the leaves the main item lists (a leaf orphaned by
 * a rewritten layout is never read).
 */
import { ItemSizeLimitError } from '../errors.ts';
import { stableHash } from './keys.ts';

/** Bytes of entries a main item keeps before they move to leaves. */
export const MAIN_ENTRY_BUDGET = 200_000;
/** A leaf past this size is split into 4 children. */
export const LEAF_SPLIT_BYTES = 100_000;
/** No leaf may be written past this size (DynamoDB's limit is 400 KB; splitting keeps leaves far below). */
export const LEAF_MAX_BYTES = 350_000;

const FANOUT = '0123';
/** Hash digits (base 4) of an entry key: leaves are prefixes of it, at most 16 levels. */
const DEPTH = 16;

/** What the adapter read: the leaves of a record and a digest of each one's content. */
export interface OverflowState {
  readonly leaves: Readonly<Record<string, string>>;
}

export interface OverflowEntry {
  /** Identity of the entry (an eventId, a breach key): decides its leaf. */
  readonly key: string;
  /** The stored form (a string or a tuple). */
  readonly value: unknown;
}

export interface LeafWrite {
  readonly path: string;
  readonly values: readonly unknown[];
  readonly digest: string;
}

export interface OverflowPlan {
  /** Entries kept in the main item: all of them when there are no leaves, none otherwise. */
  readonly inMain: readonly unknown[];
  /** Leaf paths the main item lists; empty when everything fits the main item. */
  readonly leaves: readonly string[];
  /** Leaves whose content changed since read (or that are new). */
  readonly writes: readonly LeafWrite[];
  /** Leaves replaced by their children. */
  readonly deletes: readonly string[];
  /** Whether this plan split a leaf (or moved the entries out of the main item for the first time). */
  readonly split: boolean;
}

/** 32-bit FNV-1a as 16 base-4 digits: stable across processes. */
const hashOf = (key: string): string => stableHash(key).toString(4).padStart(DEPTH, '0');

/** Bytes of a value as JSON: an upper estimate of DynamoDB's size of the same attribute. */
export function sizeOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Bytes of a number as JSON: at most 17 significant digits with sign, point and exponent (or `null`). */
const NUMBER_BYTES = 26;
/** Nesting past this is left to JSON.stringify (a cycle throws there). */
const BOUND_DEPTH = 24;

/**
 * An upper bound of `sizeOf(value)` without building its JSON (which costs as much again as the rest of a
 * small commit's checks), or null for what only JSON.stringify can tell: anything but plain data (a
 * `toJSON`, a boxed value, a class's instance), a bigint, a value nested deeper than records are, and
 * what is no JSON at all (undefined, a function).
 */
export function sizeBound(value: unknown): number | null {
  return typeof value === 'object' || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? boundOf(value, 0)
    : null;
}

/** A string is at most 6 bytes a UTF-16 unit (`\u001f`, a lone surrogate) and its quotes. */
function boundOf(value: unknown, depth: number): number | null {
  switch (typeof value) {
    case 'string':
      return value.length * 6 + 2;
    case 'number':
      return NUMBER_BYTES;
    case 'boolean':
      return 5;
    case 'object':
      if (value === null) return 4;
      if (depth >= BOUND_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return null;
      return Array.isArray(value) ? listBound(value as unknown[], depth) : objectBound(value, depth);
    case 'bigint':
      return null;
    case 'undefined':
    case 'function':
    case 'symbol':
      // Left out of an object, `null` in a list.
      return 4;
  }
}

/** A list's brackets, and each entry's bound and separator. */
function listBound(list: readonly unknown[], depth: number): number | null {
  let bytes = 2;
  for (let i = 0; i < list.length; i += 1) {
    const entryBytes = boundOf(list[i], depth + 1);
    if (entryBytes === null) return null;
    bytes += entryBytes + 1;
  }
  return bytes;
}

/** A plain object's braces, and each entry's key, separators and bound (an inherited key counted too); null for any other object. */
function objectBound(value: object, depth: number): number | null {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return null;
  const record = value as Record<string, unknown>;
  let bytes = 2;
  for (const key in record) {
    const entryBytes = boundOf(record[key], depth + 1);
    if (entryBytes === null) return null;
    bytes += key.length * 6 + 4 + entryBytes;
  }
  return bytes;
}

/** A second 32-bit hash (FNV-1a with another offset basis), so a digest is 64 bits plus a count. */
function otherHash(text: string): number {
  let hash = 0x050c5d1f;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Order-independent digest of texts: their count and two sums of 32-bit hashes. */
function digestOfTexts(texts: readonly string[]): string {
  let a = 0;
  let b = 0;
  for (const text of texts) {
    a = (a + stableHash(text)) >>> 0;
    b = (b + otherHash(text)) >>> 0;
  }
  return `${texts.length}:${a.toString(36)}:${b.toString(36)}`;
}

/** Order-independent digest of a leaf's values. */
export function leafDigest(values: readonly unknown[]): string {
  return digestOfTexts(values.map((value) => JSON.stringify(value)));
}

/**
 * Whether entries of `bytes` in all (each one's JSON and a separator) stay in the main item: the record has
 * no leaves yet and they fit the budget. planOverflow's first rule, for a caller that knows the sizes already.
 */
export function staysInMain(previous: OverflowState | undefined, bytes: number): boolean {
  return (previous === undefined || Object.keys(previous.leaves).length === 0) && bytes <= MAIN_ENTRY_BUDGET;
}

/**
 * Where the entries of one record go. `allowSplit` false defers a split of an oversized leaf to a later
 * commit (the commit already split another record's leaf); a leaf may grow to LEAF_MAX_BYTES meanwhile.
 */
export function planOverflow(entries: readonly OverflowEntry[], previous: OverflowState | undefined, allowSplit = true): OverflowPlan {
  const before = previous?.leaves ?? {};
  let paths = Object.keys(before);
  const texts = entries.map((entry) => JSON.stringify(entry.value));
  const total = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8') + 1, 0);
  if (staysInMain(previous, total)) {
    return { inMain: entries.map((entry) => entry.value), leaves: [], writes: [], deletes: [], split: false };
  }
  const first = paths.length === 0;
  if (first) paths = [...FANOUT];

  const hashed = entries.map((entry, index) => {
    const text = texts[index] ?? '';
    return { hash: hashOf(entry.key), value: entry.value, text, bytes: Buffer.byteLength(text, 'utf8') + 1 };
  });
  type Group = { members: typeof hashed; bytes: number };
  const groups = (leafPaths: readonly string[]): Map<string, Group> => {
    const result = new Map<string, Group>(leafPaths.map((path) => [path, { members: [], bytes: 0 }]));
    // Leaves form a complete prefix tree: exactly one is a prefix of any hash.
    const lengths = [...new Set(leafPaths.map((path) => path.length))];
    for (const member of hashed) {
      let group: Group | undefined;
      for (const length of lengths) {
        group = result.get(member.hash.slice(0, length));
        if (group !== undefined) break;
      }
      if (group === undefined) throw new RangeError(`overflow leaves do not cover hash ${member.hash}`);
      group.members.push(member);
      group.bytes += member.bytes;
    }
    return result;
  };

  let grouped = groups(paths);
  const deletes: string[] = [];
  const largest = [...grouped.entries()]
    .filter(([path, group]) => group.bytes > LEAF_SPLIT_BYTES && path.length < DEPTH)
    .sort((a, b) => b[1].bytes - a[1].bytes)[0];
  const splitting = largest !== undefined && allowSplit && !first;
  if (splitting) {
    const [path] = largest;
    paths = [...paths.filter((p) => p !== path), ...[...FANOUT].map((digit) => `${path}${digit}`)];
    if (path in before) deletes.push(path);
    grouped = groups(paths);
  }

  const writes: LeafWrite[] = [];
  for (const [path, group] of grouped) {
    if (group.bytes > LEAF_MAX_BYTES) {
      throw new ItemSizeLimitError(`overflow leaf ${path} would hold ${group.bytes} bytes (limit ${LEAF_MAX_BYTES})`);
    }
    const digest = digestOfTexts(group.members.map((member) => member.text));
    if (before[path] !== digest) writes.push({ path, values: group.members.map((member) => member.value), digest });
  }
  return { inMain: [], leaves: paths.sort(), writes, deletes, split: first || splitting };
}
