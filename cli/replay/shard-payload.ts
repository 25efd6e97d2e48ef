/**
 * What a replay shard's worker is handed (shard-pool.ts → shard-worker.ts): its lines as a few long strings and
 * typed arrays, not a million small objects. Structured clone copies a long string or a typed array in one go,
 * where cloning every delivery object would cost seconds and twice the memory while both copies live.
 */
import type { Catalog } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import { EVENT_QUEUES } from '#events/queues.ts';
import { contractIdInBody, type BodyFacts, type Delivery } from './input.ts';
import type { ReplayInput, ReplayPart, ReplayProgress } from './run-replay.ts';

export interface ShardPayload {
  readonly catalog: Catalog;
  readonly start: Instant;
  readonly until: Instant;
  /** The contracts whose statements the shard reads, sorted. */
  readonly statementIds: readonly string[];
  /** The eventIds more than one of the shard's lines carries (null: not known). */
  readonly repeatedEventIds: readonly string[] | null;
  /** Each line's place in the whole run's delivery order. */
  readonly index: Int32Array;
  readonly deliverAt: Float64Array;
  readonly lineNumber: Int32Array;
  /** The bodies, one after another, `CHUNK_LINES` to a string. */
  readonly chunks: string[];
  readonly bodyLength: Int32Array;
  /** The queue the line was routed to (`EVENT_QUEUES` index), or `NO_FACTS`: read from the body when sent. */
  readonly queue: Uint8Array;
  /** The contract the line names (`contracts` index), or -1. */
  readonly contract: Int32Array;
  readonly contracts: readonly string[];
}

export type ShardMessage =
  | { readonly kind: 'progress'; readonly delivered: number; readonly at: Instant }
  | { readonly kind: 'done'; readonly part: ReplayPart }
  | { readonly kind: 'failed'; readonly message: string; readonly stack: string | undefined };

const CHUNK_LINES = 4_096;
const NO_FACTS = 255;

/**
 * The shard's lines (`indices`, in delivery order, into `deliveries`) packed for its worker, in one pass: with
 * the contracts they name (in the order of `contractIds`, every contract of the run, sorted) and the eventIds
 * more than one of them carries.
 */
export function shardPayload(
  deliveries: readonly Delivery[],
  indices: readonly number[],
  settings: Pick<ShardPayload, 'catalog' | 'start' | 'until'> & { readonly contractIds: readonly string[] },
): ShardPayload {
  const count = indices.length;
  const { contractIds, ...kept } = settings;
  const payload = {
    ...kept,
    statementIds: [] as string[],
    repeatedEventIds: null as string[] | null,
    index: Int32Array.from(indices),
    deliverAt: new Float64Array(count),
    lineNumber: new Int32Array(count),
    chunks: [] as string[],
    bodyLength: new Int32Array(count),
    queue: new Uint8Array(count),
    contract: new Int32Array(count),
    contracts: [] as string[],
  };
  const contractIndex = new Map<string, number>();
  let chunk: string[] = [];
  const named = new Set<string>();
  const seen = new Set<string>();
  let repeated: Set<string> | null = new Set<string>();
  indices.forEach((index, at) => {
    const delivery = deliveries[index];
    if (delivery === undefined) throw new RangeError(`no delivery ${index}`);
    if (delivery.eventId === undefined) repeated = null;
    else if (delivery.eventId !== null && repeated !== null) {
      // Read with the line when deliveriesOf made it (a repeated id's lines are in one group, so in this shard).
      if (delivery.eventIdRepeated !== undefined) {
        if (delivery.eventIdRepeated) repeated.add(delivery.eventId);
      } else if (seen.has(delivery.eventId)) repeated.add(delivery.eventId);
      else seen.add(delivery.eventId);
    }
    const contractId = delivery.about === undefined ? contractIdInBody(delivery.body) : delivery.about.contractId;
    if (contractId !== null) named.add(contractId);
    payload.deliverAt[at] = delivery.deliverAt;
    payload.lineNumber[at] = delivery.lineNumber;
    payload.bodyLength[at] = delivery.body.length;
    chunk.push(delivery.body);
    if (chunk.length === CHUNK_LINES) {
      payload.chunks.push(chunk.join(''));
      chunk = [];
    }
    const { about } = delivery;
    payload.queue[at] = about === undefined ? NO_FACTS : EVENT_QUEUES.indexOf(about.queue);
    let contract = -1;
    if (about?.contractId != null) {
      contract = contractIndex.get(about.contractId) ?? payload.contracts.length;
      if (contract === payload.contracts.length) {
        contractIndex.set(about.contractId, contract);
        payload.contracts.push(about.contractId);
      }
    }
    payload.contract[at] = contract;
  });
  if (chunk.length > 0) payload.chunks.push(chunk.join(''));
  payload.statementIds = contractIds.filter((id) => named.has(id));
  payload.repeatedEventIds = repeated === null ? null : [...repeated];
  return payload;
}


/** The buffers a payload's message can hand over instead of copying. */
export function transferablesOf(payload: ShardPayload): ArrayBuffer[] {
  return [payload.index, payload.deliverAt, payload.lineNumber, payload.bodyLength, payload.queue, payload.contract].map(
    (array) => array.buffer as ArrayBuffer,
  );
}

/** The payload's lines as the replay takes them, one at a time; each chunk is let go once its last line is taken. */
export function payloadInput(payload: ShardPayload): ReplayInput {
  const total = payload.index.length;
  const facts = new Map<string, BodyFacts>();
  const factsOf = (at: number): BodyFacts | undefined => {
    const queue = payload.queue[at] ?? NO_FACTS;
    if (queue === NO_FACTS) return undefined;
    const contract = payload.contract[at] ?? -1;
    const key = `${queue}|${contract}`;
    let known = facts.get(key);
    if (known === undefined) {
      known = { queue: EVENT_QUEUES[queue] ?? 'cases', contractId: contract === -1 ? null : (payload.contracts[contract] ?? null) };
      facts.set(key, known);
    }
    return known;
  };
  let next = 0;
  let chunk = '';
  let offset = 0;
  return {
    total,
    take(): Delivery | null {
      if (next >= total) return null;
      const at = next;
      next += 1;
      if (at % CHUNK_LINES === 0) {
        const c = at / CHUNK_LINES;
        chunk = payload.chunks[c] ?? '';
        payload.chunks[c] = '';
        offset = 0;
      }
      const length = payload.bodyLength[at] ?? 0;
      const body = chunk.slice(offset, offset + length);
      offset += length;
      const about = factsOf(at);
      return { lineNumber: payload.lineNumber[at] ?? 0, deliverAt: payload.deliverAt[at] ?? 0, body, ...(about === undefined ? {} : { about }) };
    },
  };
}

/** Progress as a worker posts it: at most every `PROGRESS_LINES` lines (and the last). */
export function progressPoster(total: number, post: (message: ShardMessage) => void): (progress: ReplayProgress) => void {
  return ({ delivered, at }) => {
    if (delivered % PROGRESS_LINES === 0 || delivered === total) post({ kind: 'progress', delivered, at });
  };
}

const PROGRESS_LINES = 2_000;
