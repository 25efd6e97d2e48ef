/**
 * Translation between store records and table items. Case events and breaches are kept in a compact
 * tuple form so a typical case item stays under 1 KB (one write unit, two inside a transaction).
 */
import { DEFAULT_EVENT_SOURCE, KPIS, PRIORITIES, type CaseEventType, type Kpi, type Priority, type ReportedVisit } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import { DEFAULT_SOURCE } from '#events/source.ts';
import { BILLING_NOTICE_TYPES, BILLING_OUTBOX } from './billing-outbox-repository.ts';
import { leafDigest, planOverflow, staysInMain, type OverflowEntry, type OverflowState } from './overflow.ts';
import {
  caseAttention,
  caseKey,
  caseLeafKey,
  type ItemKey,
  yearLeafKey,
  contractKey,
  eventKey,
  ledgerKey,
  noticeAttention,
  noticeKey,
  parkedAttention,
  parkedKey,
  quarantineKey,
  rejectedKey,
  yearKey,
} from './keys.ts';
import { lifecycleAttention } from './lifecycle-keys.ts';
import type {
  CaseRecord,
  ContractRecord,
  DecidedClock,
  EventRef,
  LedgerRecord,
  NoticeRecord,
  ParkedRecord,
  ProcessedEventRecord,
  QuarantineRecord,
  RejectedRecord,
  StoredCaseEvent,
  YearBreach,
  YearRecord,
} from './store.ts';

export type Item = Record<string, unknown>;

/** Processed-event records outlive every redelivery: SQS keeps a message 14 days, its DLQ another 14. */
export const PROCESSED_EVENT_RETENTION_DAYS = 30;

export function contractItem(record: ContractRecord, version: number): Item {
  return {
    ...contractKey(record.terms.contractId),
    entity: 'contract',
    terms: record.terms,
    termination: record.termination,
    registeredAt: record.registeredAt,
    registeredBy: record.registeredBy,
    lastAdvancedDate: record.lastAdvancedDate,
    nextLifecycleDate: record.nextLifecycleDate,
    version,
    ...(record.nextLifecycleDate === null ? {} : lifecycleAttention(record.terms.contractId, record.nextLifecycleDate)),
  };
}

export function contractFromItem(item: Item): ContractRecord {
  return {
    terms: item.terms as ContractRecord['terms'],
    termination: (item.termination ?? null) as ContractRecord['termination'],
    registeredAt: item.registeredAt as number,
    registeredBy: eventRefOf(item.registeredBy),
    lastAdvancedDate: (item.lastAdvancedDate ?? null) as string | null,
    nextLifecycleDate: (item.nextLifecycleDate ?? null) as string | null,
    version: item.version as number,
  };
}

/** Items written before sources existed name the registration by its eventId alone. */
function eventRefOf(stored: unknown): EventRef {
  if (typeof stored === 'string') return { source: DEFAULT_EVENT_SOURCE, eventId: stored, digest: null };
  const ref = stored as { source: string; eventId: string; digest?: string | null };
  return { source: ref.source, eventId: ref.eventId, digest: ref.digest ?? null };
}

const PAUSE_CODES = { awaiting_customer: 'a', force_majeure: 'f' } as const;

/**
 * The stored code of a case event type: its place in this list, which only ever grows at the end (the
 * tie-break order of CASE_EVENT_TYPES may put a new type in the middle; stored items keep their codes).
 */
const CASE_EVENT_CODES: readonly CaseEventType[] = [
  'case.opened',
  'case.onsite_requested',
  'case.replacement_requested',
  'case.paused',
  'case.resumed',
  'case.responded',
  'case.technician_arrived',
  'case.replacement_delivered',
  'case.resolved',
  'case.cancelled',
  'case.visit_reported',
];

/** A visit's figures in the `extra` field: base64url JSON, which never holds the separator. */
function encodeVisit(visit: ReportedVisit): string {
  return Buffer.from(JSON.stringify(visit), 'utf8').toString('base64url');
}

function decodeVisit(extra: string): ReportedVisit {
  return JSON.parse(Buffer.from(extra, 'base64url').toString('utf8')) as ReportedVisit;
}

/** Format of `ev` entries written with their source and digest (the item's `evf`); absent = the first format. */
const CASE_EVENT_FORMAT = 2;

/**
 * `code|occurredAt|extra|source|digest|eventId`: eventId last, so it may contain the separator; source
 * (`a-z0-9._-`) and digest (base64url) never do. The default source and an unknown digest are empty.
 */
export function encodeCaseEvent(event: StoredCaseEvent): string {
  const code = CASE_EVENT_CODES.indexOf(event.type);
  let extra = '';
  if (event.type === 'case.opened') {
    extra = `${event.priority ?? ''}${flagOf(event.onSiteRequired, '+o', '-o')}${flagOf(event.replacementRequired, '+r', '-r')}`;
  } else if (event.type === 'case.paused') {
    extra = PAUSE_CODES[event.reason];
  } else if (event.type === 'case.visit_reported') {
    extra = encodeVisit(event.visit);
  }
  const source = event.source === undefined || event.source === DEFAULT_EVENT_SOURCE ? '' : event.source;
  return `${code}|${event.occurredAt}|${extra}|${source}|${event.digest ?? ''}|${event.eventId}`;
}

function flagOf(value: boolean | undefined, yes: string, no: string): string {
  return value === undefined ? '' : value ? yes : no;
}

/** An event's stored form and its bytes in an item's list (its JSON and one separator, as overflow.ts counts them). */
export function encodedOf(event: StoredCaseEvent): { readonly text: string; readonly bytes: number } {
  const text = encodeCaseEvent(event);
  return { text, bytes: Buffer.byteLength(JSON.stringify(text), 'utf8') + 1 };
}

/** `format` is the item's `evf`: 1 for `code|occurredAt|extra|eventId`, written before sources existed. */
export function decodeCaseEvent(caseId: string, encoded: string, format = CASE_EVENT_FORMAT): StoredCaseEvent {
  const fieldCount = format === 1 ? 3 : 5;
  const fields = encoded.split('|', fieldCount);
  const [codeText = '', atText = '', extra = '', source = '', digest = ''] = fields;
  const eventId = encoded.slice(fields.reduce((length, field) => length + field.length + 1, 0));
  const type = CASE_EVENT_CODES[Number(codeText)];
  const occurredAt = Number(atText);
  if (type === undefined || !Number.isFinite(occurredAt) || fields.length < fieldCount) {
    throw new RangeError(`corrupt case event: ${encoded}`);
  }
  const base = {
    eventId,
    ...(source === '' ? {} : { source }),
    caseId,
    occurredAt,
    ...(digest === '' ? {} : { digest }),
  };
  if (type === 'case.opened') {
    const priority = PRIORITIES.find<Priority>((candidate): candidate is Priority => extra.startsWith(candidate));
    const flag = (yes: string, no: string): boolean | undefined =>
      extra.includes(yes) ? true : extra.includes(no) ? false : undefined;
    const onSiteRequired = flag('+o', '-o');
    const replacementRequired = flag('+r', '-r');
    return {
      ...base,
      type,
      ...(priority === undefined ? {} : { priority }),
      ...(onSiteRequired === undefined ? {} : { onSiteRequired }),
      ...(replacementRequired === undefined ? {} : { replacementRequired }),
    };
  }
  if (type === 'case.paused') return { ...base, type, reason: extra === 'f' ? 'force_majeure' : 'awaiting_customer' };
  if (type === 'case.visit_reported') return { ...base, type, visit: decodeVisit(extra) };
  return { ...base, type };
}

type DecidedTuple = [deadline: number, breached: 0 | 1, stoppedAt: number | null, creditPercent: number];

export function caseItem(record: CaseRecord, version: number): Item {
  return caseMain(record, version, record.events.map(encodeCaseEvent));
}

/** Built property by property (no spreads: they are the slow part of a commit's planning), in caseItem's key order. */
function caseMain(record: CaseRecord, version: number, ev: readonly string[]): Item {
  const decided: Record<string, DecidedTuple> = {};
  for (const kpi of KPIS) {
    const clock = record.decided[kpi];
    if (clock !== undefined) decided[kpi] = [clock.deadline, clock.breached ? 1 : 0, clock.stoppedAt, clock.creditPercent];
  }
  const { pk, sk } = caseKey(record.contractId, record.caseId);
  const item: Item = {
    pk,
    sk,
    entity: 'case',
    ev,
    evf: CASE_EVENT_FORMAT,
    warned: record.warned.slice(),
    decided,
    src: record.sources.slice(),
    version,
  };
  if (record.nextAttentionAt !== null) {
    const { apk, ask } = caseAttention(record.contractId, record.caseId, record.nextAttentionAt);
    item.apk = apk;
    item.ask = ask;
    item.nextAttentionAt = record.nextAttentionAt;
  }
  return item;
}

export function caseFromItem(item: Item): CaseRecord {
  const sk = item.sk as string;
  const caseId = sk.slice('CASE#'.length);
  const decided: Partial<Record<Kpi, DecidedClock>> = {};
  const stored = (item.decided ?? {}) as Record<string, DecidedTuple>;
  for (const kpi of KPIS) {
    const tuple = stored[kpi];
    if (tuple !== undefined) {
      decided[kpi] = { deadline: tuple[0], breached: tuple[1] === 1, stoppedAt: tuple[2], creditPercent: tuple[3] };
    }
  }
  return {
    contractId: (item.pk as string).slice('CONTRACT#'.length),
    caseId,
    events: ((item.ev ?? []) as string[]).map((encoded) => decodeCaseEvent(caseId, encoded, (item.evf ?? 1) as number)),
    warned: (item.warned ?? []) as Kpi[],
    decided,
    nextAttentionAt: (item.nextAttentionAt ?? null) as Instant | null,
    // Cases written before sources were kept hold events of the default source only.
    sources: (item.src ?? [DEFAULT_SOURCE]) as string[],
    version: item.version as number,
  };
}

/** The items of one record write: the main item, the overflow leaves that changed, the leaves replaced. */
export interface SplitItems {
  readonly main: Item;
  readonly leaves: readonly Item[];
  readonly deletes: readonly ItemKey[];
  /** Whether a leaf was split (or the entries left the main item): one such record a commit. */
  readonly split: boolean;
}

function leafItem(key: ItemKey, values: readonly unknown[], digest: string): Item {
  return { ...key, entity: 'overflow', el: values, dg: digest };
}

/** The overflow state as read: each listed leaf's digest (a listed leaf that is missing reads as empty). */
function overflowOf(paths: readonly string[], leafByPath: ReadonlyMap<string, Item>): OverflowState {
  const leaves: Record<string, string> = {};
  for (const path of paths) leaves[path] = (leafByPath.get(path)?.dg as string | undefined) ?? leafDigest([]);
  return { leaves };
}

/** The path of a leaf item from its sort key (`CASEH#<path>#<caseId>`, `YEARH#<yyyy>#<path>`). */
export function leafPathOf(item: Item): string {
  const sk = item.sk as string;
  return sk.startsWith('CASEH#') ? sk.slice('CASEH#'.length, sk.indexOf('#', 'CASEH#'.length)) : sk.slice(sk.lastIndexOf('#') + 1);
}

/** Overflow paths a main item lists; empty for an ordinary case or year. */
export function overflowPaths(item: Item): string[] {
  return (item.ov ?? []) as string[];
}

/** A case record as items: events past the main item's budget move to leaves (shared/store/overflow.ts). */
export function caseItems(record: CaseRecord, version: number, allowSplit = true): SplitItems {
  const ev: string[] = [];
  let bytes = 0;
  for (const event of record.events) {
    const encoded = encodedOf(event);
    ev.push(encoded.text);
    bytes += encoded.bytes;
  }
  const main = caseMain(record, version, ev);
  // planOverflow's first rule, on sizes known already: everything stays in the main item.
  if (staysInMain(record.overflow, bytes)) return { main, leaves: [], deletes: [], split: false };
  const entries: OverflowEntry[] = record.events.map((event, index) => ({ key: event.eventId, value: ev[index] }));
  const plan = planOverflow(entries, record.overflow, allowSplit);
  const key = (path: string): ItemKey => caseLeafKey(record.contractId, record.caseId, path);
  return {
    main: { ...main, ev: plan.inMain, ...(plan.leaves.length === 0 ? {} : { ov: plan.leaves }) },
    leaves: plan.writes.map((write) => leafItem(key(write.path), write.values, write.digest)),
    deletes: plan.deletes.map(key),
    split: plan.split,
  };
}

/** Joins a case item with its leaves (those whose path the case item lists; others are ignored). */
export function caseFromItems(main: Item, leaves: readonly Item[]): CaseRecord {
  const record = caseFromItem(main);
  const paths = overflowPaths(main);
  if (paths.length === 0) return record;
  const byPath = new Map(leaves.map((leaf) => [leafPathOf(leaf), leaf]));
  const events = paths.flatMap((path) =>
    ((byPath.get(path)?.el ?? []) as string[]).map((encoded) => decodeCaseEvent(record.caseId, encoded)),
  );
  return { ...record, events: [...record.events, ...events], overflow: overflowOf(paths, byPath) };
}

export function caseLeafKeys(main: Item): ItemKey[] {
  const contractId = (main.pk as string).slice('CONTRACT#'.length);
  const caseId = (main.sk as string).slice('CASE#'.length);
  return overflowPaths(main).map((path) => caseLeafKey(contractId, caseId, path));
}

type BreachTuple = [caseId: string, kpi: Kpi, deadline: number, creditPercent: number, stoppedAt: number | null];
type YearEntry = ['b', BreachTuple] | ['n', string];

export function yearItem(record: YearRecord, version: number): Item {
  return {
    ...yearKey(record.contractId, record.yearIndex),
    entity: 'year',
    yearIndex: record.yearIndex,
    breaches: record.breaches.map(
      (b): BreachTuple => [b.caseId, b.kpi, b.deadline, b.creditPercent, b.stoppedAt],
    ),
    booked: record.booked,
    ledgerSeq: record.ledgerSeq,
    creditNoticesIssued: [...record.creditNoticesIssued],
    rightsNotified: [...record.rightsNotified],
    ...(record.changedAt === null ? {} : { changedAt: record.changedAt }),
    version,
  };
}

export function yearFromItem(item: Item): YearRecord {
  return {
    contractId: (item.pk as string).slice('CONTRACT#'.length),
    yearIndex: item.yearIndex as number,
    breaches: ((item.breaches ?? []) as BreachTuple[]).map(
      ([caseId, kpi, deadline, creditPercent, stoppedAt]): YearBreach => ({
        caseId,
        kpi,
        deadline,
        creditPercent,
        stoppedAt,
      }),
    ),
    booked: (item.booked ?? {}) as Record<string, number>,
    ledgerSeq: item.ledgerSeq as number,
    creditNoticesIssued: (item.creditNoticesIssued ?? []) as string[],
    rightsNotified: (item.rightsNotified ?? []) as number[],
    changedAt: (item.changedAt ?? null) as Instant | null,
    version: item.version as number,
  };
}

/** Bytes of a string as JSON: its characters and quotes when none needs escaping and all are ASCII. */
function jsonStringBytes(text: string): number {
  return PLAIN_ASCII.test(text) ? text.length + 2 : Buffer.byteLength(JSON.stringify(text), 'utf8');
}

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Bytes of a breach's tuple as JSON, once per breach (a year's breaches are carried from one version to the next). */
const breachTupleBytes = new WeakMap<YearBreach, number>();

function breachBytes(b: YearBreach): number {
  let bytes = breachTupleBytes.get(b);
  if (bytes === undefined) {
    const tuple: BreachTuple = [b.caseId, b.kpi, b.deadline, b.creditPercent, b.stoppedAt];
    breachTupleBytes.set(b, (bytes = Buffer.byteLength(JSON.stringify(tuple), 'utf8')));
  }
  return bytes;
}

/** Items whose JSON size was summed from their parts as they were built (see `knownItemSize`). */
const knownSizes = new WeakMap<Item, number>();

/** The JSON size of an item built here from sizes known already (exactly `sizeOf(item)`), or undefined. */
export function knownItemSize(item: Item): number | undefined {
  return knownSizes.get(item);
}

/** Bytes of a JSON list of elements of these bytes: the elements, their commas and the brackets less `[]`. */
const listExtra = (bytes: number, count: number): number => (count === 0 ? 0 : bytes + count - 1);

/**
 * A year with no leaves whose entries fit the main item, or null: planOverflow's first rule on sizes
 * known already, and the main item's size summed as JSON.stringify would count it.
 */
function yearInMain(record: YearRecord, version: number): SplitItems | null {
  let breachesBytes = 0;
  for (const b of record.breaches) breachesBytes += breachBytes(b);
  let noticedBytes = 0;
  for (const key of record.creditNoticesIssued) noticedBytes += jsonStringBytes(key);
  // Each entry is ["b",<tuple>] or ["n",<key>] (6 bytes around it) and one separator.
  const entriesBytes = breachesBytes + noticedBytes + 7 * (record.breaches.length + record.creditNoticesIssued.length);
  if (!staysInMain(record.overflow, entriesBytes)) return null;
  const main = yearItem(record, version);
  let bookedBytes = 0;
  let bookedCount = 0;
  for (const [key, amount] of Object.entries(record.booked)) {
    bookedBytes += jsonStringBytes(key) + 1 + Buffer.byteLength(JSON.stringify(amount), 'utf8');
    bookedCount += 1;
  }
  const skeleton = { ...main, breaches: [], booked: {}, creditNoticesIssued: [] };
  knownSizes.set(
    main,
    Buffer.byteLength(JSON.stringify(skeleton), 'utf8') +
      listExtra(breachesBytes, record.breaches.length) +
      listExtra(bookedBytes, bookedCount) +
      listExtra(noticedBytes, record.creditNoticesIssued.length),
  );
  return { main, leaves: [], deletes: [], split: false };
}

/** A year record as items: its breaches and notified breach keys past the budget move to leaves. */
export function yearItems(record: YearRecord, version: number, allowSplit = true): SplitItems {
  const inMain = yearInMain(record, version);
  if (inMain !== null) return inMain;
  const entries: OverflowEntry[] = [
    ...record.breaches.map((b) => ({
      key: `b|${b.caseId}#${b.kpi}`,
      value: ['b', [b.caseId, b.kpi, b.deadline, b.creditPercent, b.stoppedAt]] satisfies YearEntry,
    })),
    ...record.creditNoticesIssued.map((key) => ({ key: `n|${key}`, value: ['n', key] satisfies YearEntry })),
  ];
  const plan = planOverflow(entries, record.overflow, allowSplit);
  const main = yearItem(record, version);
  if (plan.leaves.length === 0) return { main, leaves: [], deletes: [], split: false };
  const key = (path: string): ItemKey => yearLeafKey(record.contractId, record.yearIndex, path);
  return {
    main: { ...main, breaches: [], creditNoticesIssued: [], ov: plan.leaves },
    leaves: plan.writes.map((write) => leafItem(key(write.path), write.values, write.digest)),
    deletes: plan.deletes.map(key),
    split: plan.split,
  };
}

export function yearFromItems(main: Item, leaves: readonly Item[]): YearRecord {
  const record = yearFromItem(main);
  const paths = overflowPaths(main);
  if (paths.length === 0) return record;
  const byPath = new Map(leaves.map((leaf) => [leafPathOf(leaf), leaf]));
  const breaches: YearBreach[] = [];
  const noticed: string[] = [];
  for (const path of paths) {
    for (const entry of (byPath.get(path)?.el ?? []) as YearEntry[]) {
      if (entry[0] === 'n') noticed.push(entry[1]);
      else {
        const [caseId, kpi, deadline, creditPercent, stoppedAt] = entry[1];
        breaches.push({ caseId, kpi, deadline, creditPercent, stoppedAt });
      }
    }
  }
  return {
    ...record,
    breaches: [...record.breaches, ...breaches],
    creditNoticesIssued: [...record.creditNoticesIssued, ...noticed],
    overflow: overflowOf(paths, byPath),
  };
}

export function yearLeafKeys(main: Item): ItemKey[] {
  const contractId = (main.pk as string).slice('CONTRACT#'.length);
  return overflowPaths(main).map((path) => yearLeafKey(contractId, main.yearIndex as number, path));
}

/**
 * The ledger entries one commit books for one year, as one item keyed by the first entry's seq (a
 * recomputation can rebook every credited breach of a year: one item, not one each).
 */
export function ledgerPackItem(entries: readonly LedgerRecord[]): Item {
  const [first] = entries;
  if (first === undefined) throw new RangeError('a ledger item needs at least one entry');
  return {
    ...ledgerKey(first.contractId, first.yearIndex, first.seq),
    entity: 'ledger',
    contractId: first.contractId,
    yearIndex: first.yearIndex,
    entries: entries.map((e) => [e.seq, e.caseId, e.kpi, e.amountMinor, e.bookedAt, e.why]),
    // The billing outbox entry of these credits, written with them (billing-outbox-repository.ts).
    [BILLING_OUTBOX.attribute]: BILLING_OUTBOX.pending,
  };
}

type LedgerTuple = [seq: number, caseId: string, kpi: Kpi, amountMinor: number, bookedAt: number, why: LedgerRecord['why']];

/** The entries of a ledger item: a packed one (`entries`) or one entry per item, as written before packing. */
export function ledgerEntriesFromItem(item: Item): LedgerRecord[] {
  if (!Array.isArray(item.entries)) return [ledgerFromItem(item)];
  const contractId = item.contractId as string;
  const yearIndex = item.yearIndex as number;
  return (item.entries as LedgerTuple[]).map(([seq, caseId, kpi, amountMinor, bookedAt, why]) => ({
    contractId,
    yearIndex,
    seq,
    caseId,
    kpi,
    amountMinor,
    bookedAt,
    why,
  }));
}

export function ledgerItem(entry: LedgerRecord): Item {
  return { ...ledgerKey(entry.contractId, entry.yearIndex, entry.seq), entity: 'ledger', ...entry };
}

export function ledgerFromItem(item: Item): LedgerRecord {
  return {
    contractId: item.contractId as string,
    yearIndex: item.yearIndex as number,
    seq: item.seq as number,
    caseId: item.caseId as string,
    kpi: item.kpi as Kpi,
    amountMinor: item.amountMinor as number,
    bookedAt: item.bookedAt as number,
    why: item.why as LedgerRecord['why'],
  };
}

/**
 * A new pending notice. One created with `sendFrom` is not leasable before it (`notBefore`) and is due
 * for the sweep's re-drive then (its attention instant), so the stream delivers it when it may be sent.
 */
export function noticeItem(notice: NoticeRecord): Item {
  const { sendFrom, ...record } = notice;
  return {
    ...noticeKey(notice.contractId, notice.id),
    ...noticeAttention(notice.id, sendFrom ?? notice.createdAt),
    entity: 'notice',
    ...record,
    ...(sendFrom === undefined ? {} : { notBefore: sendFrom, redriveAt: sendFrom }),
    state: 'pending',
    ...(BILLING_NOTICE_TYPES.has(notice.type) ? { [BILLING_OUTBOX.attribute]: BILLING_OUTBOX.pending } : {}),
  };
}

export function noticeFromItem(item: Item): NoticeRecord & { state: string } {
  return {
    id: item.id as string,
    contractId: (item.contractId ?? null) as string | null,
    type: item.type as NoticeRecord['type'],
    audience: item.audience as NoticeRecord['audience'],
    to: (item.to ?? null) as string | null,
    locale: (item.locale ?? null) as NoticeRecord['locale'],
    payload: item.payload as NoticeRecord['payload'],
    createdAt: item.createdAt as number,
    state: item.state as string,
  };
}

/** A parked outcome keeps its record until the event is applied; final outcomes expire. */
export function processedEventItem(record: ProcessedEventRecord): Item {
  const { pk, sk } = eventKey(record.source, record.eventId);
  const item: Item = { pk, sk, entity: 'event' };
  Object.assign(item, record);
  if (record.outcome !== 'parked') item.expiresAt = Math.floor(record.at / 1000) + PROCESSED_EVENT_RETENTION_DAYS * 86_400;
  return item;
}

export function processedEventFromItem(item: Item): ProcessedEventRecord {
  return {
    source: (item.source ?? DEFAULT_EVENT_SOURCE) as string,
    eventId: item.eventId as string,
    digest: (item.digest ?? null) as string | null,
    contractId: (item.contractId ?? null) as string | null,
    ...(typeof item.poolId === 'string' ? { poolId: item.poolId } : {}),
    outcome: item.outcome as ProcessedEventRecord['outcome'],
    reason: (item.reason ?? null) as string | null,
    at: item.at as number,
  };
}

export function parkedItem(record: ParkedRecord): Item {
  return {
    ...parkedKey(record.contractId, record.occurredAt, record.source, record.eventId),
    ...parkedAttention(record.contractId, record.source, record.eventId, record.receivedAt),
    entity: 'parked',
    ...record,
  };
}

export function parkedFromItem(item: Item): ParkedRecord {
  return {
    contractId: item.contractId as string,
    source: (item.source ?? DEFAULT_EVENT_SOURCE) as string,
    eventId: item.eventId as string,
    caseId: (item.caseId ?? null) as string | null,
    occurredAt: item.occurredAt as number,
    event: item.event,
    receivedAt: item.receivedAt as number,
  };
}

export function rejectedItem(record: RejectedRecord): Item {
  return { ...rejectedKey(record.contractId, record.source, record.eventId, record.digest), entity: 'rejected', ...record };
}

export function rejectedFromItem(item: Item): RejectedRecord {
  return {
    contractId: item.contractId as string,
    source: (item.source ?? DEFAULT_EVENT_SOURCE) as string,
    eventId: item.eventId as string,
    digest: (item.digest ?? '') as string,
    type: item.type as string,
    reason: item.reason as string,
    at: item.at as number,
  };
}

export function quarantineItem(record: QuarantineRecord): Item {
  return { ...quarantineKey(record.contractId, record.kind, record.id), entity: 'quarantine', ...record };
}

export function quarantineFromItem(item: Item): QuarantineRecord {
  return {
    kind: item.kind as QuarantineRecord['kind'],
    contractId: item.contractId as string,
    id: item.id as string,
    reason: item.reason as string,
    attempts: item.attempts as number,
    at: item.at as number,
  };
}
