/**
 * Which deliveries may touch one another (docs/design.md#9-running-it, "Shards"): a replay on the memory engine can
 * run its lines in several worker threads, one engine each, only if no line of one shard can change what a line
 * of another decides. Lines are linked when they share anything the handlers keep across contracts:
 *
 * - the contract (`contractId`), and every pool a line names (`poolId`, a contract's `pools`): a shared pool's
 *   stock, loans and risk belong to all the contracts entitled to it;
 * - a customer or borrower address (`email`, case-folded): a bounce or complaint suppresses it for every notice;
 * - a visit (`visitId`), and an eventId more than one line carries (the idempotency record is the event's, not
 *   the contract's);
 * - the integration (`source`), when any of its lines reaches the queue after it occurred (a `deliverAt` line):
 *   a late source holds the running clocks of every case it feeds. A source whose lines all arrive when they
 *   occur never raises a lateness (arrival − occurredAt is 0), so it links nothing.
 *
 * The linked groups are then packed onto the shards, largest first, each onto the least loaded. A line that does
 * not parse links nothing: it is poison wherever it goes (the dead letters are merged in delivery order).
 */
import type { Delivery } from './input.ts';

/**
 * Links lines as they are read (`deliveriesOf` hands it each parsed line, so nothing is parsed twice): one
 * union-find over the lines, one map per kind of key from the key to the first line that named it.
 */
export class LineLinker {
  private readonly parent: number[] = [];
  private readonly firstWith = {
    contract: new Map<string, number>(),
    pool: new Map<string, number>(),
    email: new Map<string, number>(),
    visit: new Map<string, number>(),
    eventId: new Map<string, number>(),
    source: new Map<string, number>(),
  };
  /** Each line's source (-1: it could not raise a lateness) and the sources some line of which arrives late. */
  private readonly sourceOf: number[] = [];
  private readonly occurredAt: number[] = [];
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  private readonly late = new Set<number>();
  /** The eventIds more than one line carries (whatever their sources). */
  readonly repeatedEventIds = new Set<string>();

  /** Line `index` (0, 1, 2… in file order) as parsed: its JSON, or null when it is not a JSON object. */
  add(index: number, json: unknown): void {
    this.parent[index] = index;
    this.sourceOf[index] = -1;
    this.occurredAt[index] = Number.NaN;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return;
    const event = json as EventFields;
    this.linkBy(this.firstWith.contract, index, event.contractId);
    this.linkBy(this.firstWith.pool, index, event.poolId);
    this.linkBy(this.firstWith.visit, index, event.visitId);
    if (typeof event.eventId === 'string' && this.firstWith.eventId.has(event.eventId)) this.repeatedEventIds.add(event.eventId);
    this.linkBy(this.firstWith.eventId, index, event.eventId);
    if (Array.isArray(event.pools)) for (const pool of event.pools) this.linkBy(this.firstWith.pool, index, pool);
    this.linkByEmail(index, event.customer);
    this.linkByEmail(index, event.borrower);
    // Without an occurredAt string the intake refuses the event before it records any arrival.
    if (typeof event.occurredAt === 'string') {
      const source = typeof event.source === 'string' ? event.source : 'default';
      let known = this.sourceIndex.get(source);
      if (known === undefined) {
        known = this.sources.length;
        this.sources.push(source);
        this.sourceIndex.set(source, known);
      }
      this.sourceOf[index] = known;
      this.occurredAt[index] = Date.parse(event.occurredAt);
    }
  }

  /**
   * Line `index` reaches the queue at `deliverAt`. A line that arrives later than it occurred (an occurredAt
   * that does not parse here counts as late: better one shard too few than a hold missed) makes its source late.
   */
  arrives(index: number, deliverAt: number): void {
    const source = this.sourceOf[index] ?? -1;
    if (source !== -1 && this.occurredAt[index] !== deliverAt) this.late.add(source);
  }

  /** Each line's group (in file order): the smallest index of the lines linked to it, directly or not. */
  groups(): Int32Array {
    if (this.late.size > 0) {
      this.sourceOf.forEach((source, index) => {
        if (this.late.has(source)) this.linkBy(this.firstWith.source, index, this.sources[source]);
      });
    }
    const groups = new Int32Array(this.parent.length);
    for (let index = 0; index < groups.length; index += 1) groups[index] = this.find(index);
    return groups;
  }

  private linkByEmail(index: number, party: unknown): void {
    if (typeof party !== 'object' || party === null) return;
    const { email } = party as { email?: unknown };
    if (typeof email === 'string') this.linkBy(this.firstWith.email, index, email.toLowerCase());
  }

  private linkBy(firstWith: Map<string, number>, index: number, key: unknown): void {
    if (typeof key !== 'string') return;
    const first = firstWith.get(key);
    if (first === undefined) firstWith.set(key, index);
    else this.union(first, index);
  }

  private find(index: number): number {
    const { parent } = this;
    let root = index;
    while (parent[root] !== root) root = parent[root] ?? root;
    // Path halving on the way back keeps later finds short.
    let at = index;
    while (parent[at] !== root) {
      const next = parent[at] ?? root;
      parent[at] = root;
      at = next;
    }
    return root;
  }

  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller index is the root: a group is named by its first line.
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
  }
}

/** The fields of a v1 event (schemas/events.v1.json) that link lines; a test holds this list to the schema. */
interface EventFields {
  readonly contractId?: unknown;
  readonly poolId?: unknown;
  readonly visitId?: unknown;
  readonly eventId?: unknown;
  readonly pools?: unknown;
  readonly customer?: unknown;
  readonly borrower?: unknown;
  readonly source?: unknown;
  readonly occurredAt?: unknown;
}

/** Each delivery's group: as `deliveriesOf` read it, or (deliveries made some other way) from their bodies. */
export function linkedGroups(deliveries: readonly Delivery[]): Int32Array {
  if (deliveries.every((delivery) => delivery.group !== undefined)) return Int32Array.from(deliveries, (delivery) => delivery.group ?? 0);
  const linker = new LineLinker();
  deliveries.forEach((delivery, index) => {
    linker.add(index, parsed(delivery.body));
    linker.arrives(index, delivery.deliverAt);
  });
  return linker.groups();
}

/**
 * The deliveries' indices per shard (at most `count`, none empty), each in delivery order: whole groups packed
 * largest first onto the least loaded shard (ties: the lower group, the lower shard), so the split is the same
 * on every run.
 */
export function shardsOf(deliveries: readonly Delivery[], count: number): number[][] {
  const groups = linkedGroups(deliveries);
  const sizes = new Map<number, number>();
  for (const group of groups) sizes.set(group, (sizes.get(group) ?? 0) + 1);
  const order = [...sizes].sort(([groupA, sizeA], [groupB, sizeB]) => (sizeB !== sizeA ? sizeB - sizeA : groupA - groupB));
  const shards = Math.max(1, Math.min(count, order.length));
  const load = new Array<number>(shards).fill(0);
  const shardOfGroup = new Map<number, number>();
  for (const [group, size] of order) {
    let lightest = 0;
    for (let shard = 1; shard < shards; shard += 1) if ((load[shard] ?? 0) < (load[lightest] ?? 0)) lightest = shard;
    shardOfGroup.set(group, lightest);
    load[lightest] = (load[lightest] ?? 0) + size;
  }
  const indices: number[][] = Array.from({ length: shards }, () => []);
  groups.forEach((group, index) => indices[shardOfGroup.get(group) ?? 0]?.push(index));
  return indices.filter((shard) => shard.length > 0);
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}
