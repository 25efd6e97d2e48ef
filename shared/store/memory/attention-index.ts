/**
 * The attention index in memory: what a sparse GSI with `apk = <KIND>#<shard>` and an instant-first
 * `ask` gives the DynamoDB adapters, answered without scanning. A query returns the entries due at or
 * before an instant, shard by shard and in sort-key order within a shard, as one Query per shard does.
 * Entries live in a min-heap by instant; a changed or removed entry leaves its old heap slot behind,
 * skipped when met and dropped when the heap is rebuilt.
 */
import type { Instant } from '#domain/time.ts';
import { InstantHeap, type InstantSlot as Slot } from './instant-heap.ts';

interface Entry<V> {
  readonly at: Instant;
  readonly shard: number;
  /** The part of the sort key after the instant: ties at one instant are ordered by it. */
  readonly tail: string;
  readonly value: V;
  readonly stamp: number;
}

/** DynamoDB orders string keys by their UTF-8 bytes, which is code point order (UTF-16 units differ past U+FFFF). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800–DFFF) stands for a code point above every BMP unit.
    const surrogateX = x >= 0xd800 && x <= 0xdfff;
    const surrogateY = y >= 0xd800 && y <= 0xdfff;
    if (surrogateX !== surrogateY) return surrogateX ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

export class AttentionIndex<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly heap = new InstantHeap();
  private stamps = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Puts `key` in the index at `at` (replacing where it was). */
  set(key: string, at: Instant, shard: number, tail: string, value: V): void {
    const stamp = (this.stamps += 1);
    this.entries.set(key, { at, shard, tail, value, stamp });
    this.heap.push({ at, key, stamp });
    if (this.heap.length > 64 && this.heap.length > 3 * this.entries.size) this.rebuild();
  }

  /** Moves an entry of the index to `at`, keeping its shard, tail and value; false when `key` is not in it. */
  move(key: string, at: Instant): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.set(key, at, entry.shard, entry.tail, entry.value);
    return true;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The entries due at or before `now`: by shard, then by instant and sort key, as the per-shard Queries return them. */
  dueAt(now: Instant): V[] {
    // Nothing due (most minutes for most indexes): no slots to take out and put back.
    if (this.heap.length === 0 || (this.heap.peek() as Slot).at > now) return [];
    const due: Entry<V>[] = [];
    const taken: Slot[] = [];
    while (this.heap.length > 0 && (this.heap.peek() as Slot).at <= now) {
      const slot = this.heap.pop() as Slot;
      const entry = this.entries.get(slot.key);
      if (entry?.stamp !== slot.stamp) continue;
      due.push(entry);
      taken.push(slot);
    }
    for (const slot of taken) this.heap.push(slot);
    due.sort((a, b) => (a.shard !== b.shard ? a.shard - b.shard : a.at !== b.at ? a.at - b.at : compareKeys(a.tail, b.tail)));
    return due.map((entry) => entry.value);
  }

  /** The earliest instant in the index, or null when it is empty. */
  earliest(): Instant | null {
    while (this.heap.length > 0) {
      const top = this.heap.peek() as Slot;
      if (this.entries.get(top.key)?.stamp === top.stamp) return top.at;
      this.heap.pop();
    }
    return null;
  }

  private rebuild(): void {
    this.heap.reset([...this.entries].map(([key, entry]) => ({ at: entry.at, key, stamp: entry.stamp })));
  }
}
