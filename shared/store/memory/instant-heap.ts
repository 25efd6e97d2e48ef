/**
 * A binary min-heap of slots by instant, for the memory adapters' "what is due next" (the attention
 * index, replay's attention mirror). Slots are never updated in place: a changed entry pushes a new slot
 * and its owner skips the stale one when met (a stamp tells them apart).
 */
import type { Instant } from '#domain/time.ts';

export interface InstantSlot {
  readonly at: Instant;
  readonly key: string;
  readonly stamp: number;
}

/** `S` is the owner's slot: anything with an instant (the memory adapters' keyed slots by default). */
export class InstantHeap<S extends { readonly at: Instant } = InstantSlot> {
  private slots: S[] = [];

  get length(): number {
    return this.slots.length;
  }

  /** The earliest slot, or undefined when empty. */
  peek(): S | undefined {
    return this.slots[0];
  }

  /** Replaces every slot (sorted ascending is a valid heap). */
  reset(slots: S[]): void {
    this.slots = slots.sort((a, b) => a.at - b.at);
  }

  push(slot: S): void {
    const heap = this.slots;
    heap.push(slot);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((heap[parent] as S).at <= slot.at) break;
      heap[index] = heap[parent] as S;
      index = parent;
    }
    heap[index] = slot;
  }

  /** Takes the earliest slot out; undefined when empty. */
  pop(): S | undefined {
    const heap = this.slots;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && (heap[right] as S).at < (heap[left] as S).at ? right : left;
      if ((heap[child] as S).at >= last.at) break;
      heap[index] = heap[child] as S;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
