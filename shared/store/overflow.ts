/**
 * Bounded items (DESIGN §5: no item grows past DynamoDB's 400 KB, however long a case or a year grows).
 *
 * A case keeps its events, a year its breaches (and the breach keys already notified), in its own item
 * while they fit a budget. Past it, every such entry moves to overflow items of the same partition,
 * spread by a hash of the entry's key over a prefix tree of leaves (extendible hashing, fan-out 16):
 * the main item lists its leaves (`ov`) and keeps the rest of its fields. A leaf that grows past its
 * split size is replaced by its 16 children (one split a commit). Only leaves whose content changed
 * are written, so a commit adding one event writes one leaf; an ordinary case or year has no leaves
 * and costs nothing more to read or write.
 *
 * The main item's version condition guards the whole record: leaves are written unconditionally in
 * the same transaction, and a reader follows only the leaves the main item lists (a leaf orphaned by
 * a rewritten layout is never read).
 */
import { createHash } from 'node:crypto';

/** Bytes of entries a main item keeps before they move to leaves. */
export const MAIN_ENTRY_BUDGET = 200_000;
/** A leaf past this size is split into 16 children. */
export const LEAF_SPLIT_BYTES = 100_000;
/** No leaf may be written past this size (DynamoDB's limit is 400 KB; splitting keeps leaves far below). */
export const LEAF_MAX_BYTES = 350_000;

const FANOUT = '0123456789abcdef';

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
}

export class ItemSizeLimitError extends Error {
  override readonly name = 'ItemSizeLimitError';
}

const hashOf = (key: string): string => createHash('sha1').update(key).digest('hex');

export function sizeOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Order-independent digest of a leaf's values. */
export function leafDigest(values: readonly unknown[]): string {
  const texts = values.map((value) => JSON.stringify(value)).sort();
  return createHash('sha1').update(texts.join('\n')).digest('base64').slice(0, 16);
}

/** Values in a stable order, so a leaf's stored list does not depend on arrival order. */
function sortedValues(values: readonly unknown[]): unknown[] {
  return values
    .map((value) => ({ value, text: JSON.stringify(value) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map(({ value }) => value);
}

export function planOverflow(entries: readonly OverflowEntry[], previous: OverflowState | undefined): OverflowPlan {
  const before = previous?.leaves ?? {};
  let paths = Object.keys(before);
  const total = entries.reduce((sum, entry) => sum + sizeOf(entry.value) + 1, 0);
  if (paths.length === 0 && total <= MAIN_ENTRY_BUDGET) {
    return { inMain: entries.map((entry) => entry.value), leaves: [], writes: [], deletes: [] };
  }
  if (paths.length === 0) paths = [...FANOUT];

  const hashed = entries.map((entry) => ({ hash: hashOf(entry.key), value: entry.value }));
  const groups = (leafPaths: readonly string[]): Map<string, { values: unknown[]; bytes: number }> => {
    const result = new Map(leafPaths.map((path) => [path, { values: [] as unknown[], bytes: 0 }]));
    // Leaves form a complete prefix tree: exactly one is a prefix of any hash.
    const byLength = [...new Set(leafPaths.map((path) => path.length))];
    for (const { hash, value } of hashed) {
      const leaf = byLength.map((length) => result.get(hash.slice(0, length))).find((group) => group !== undefined);
      if (leaf === undefined) throw new RangeError(`overflow leaves do not cover hash ${hash}`);
      leaf.values.push(value);
      leaf.bytes += sizeOf(value) + 1;
    }
    return result;
  };

  let grouped = groups(paths);
  const deletes: string[] = [];
  const oversized = [...grouped.entries()]
    .filter(([, group]) => group.bytes > LEAF_SPLIT_BYTES)
    .sort((a, b) => b[1].bytes - a[1].bytes);
  const largest = oversized[0];
  if (largest !== undefined) {
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
    const digest = leafDigest(group.values);
    if (before[path] !== digest) writes.push({ path, values: sortedValues(group.values), digest });
  }
  return { inMain: [], leaves: paths.sort(), writes, deletes };
}
