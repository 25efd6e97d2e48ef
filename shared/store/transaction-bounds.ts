/**
 * The limits of a commit checked without building its items, where that is safe: an upper bound of each
 * item's bytes (as `sizeOf` counts them) from the lengths of the record's strings. When every bound keeps
 * within DynamoDB's limits the commit does too; otherwise (or for a write whose items are not bounded
 * here: overflow leaves, pools, values the keys refuse) the items are planned and measured exactly, with
 * the same errors. For a store that only measures its items (the memory store); DynamoDB sends them.
 */
import { KPIS } from '#domain/model.ts';
import { encodedOf } from './items.ts';
import { isSource } from './keys.ts';
import { sizeBound, sizeOf, staysInMain } from './overflow.ts';
import type { CaseRecord, LedgerRecord, StoredCaseEvent, StoreWrite, YearBreach, YearRecord } from './store.ts';
import {
  assertWithinTransactionLimits,
  MAX_ITEM_BYTES,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_ITEMS,
  planWrites,
} from './transaction.ts';

/** Bytes of everything of an item but the record's strings and lists: attribute names, constants, punctuation. */
const ITEM_OVERHEAD = 512;
/** A number as JSON or String(): at most 17 significant digits with sign, point and exponent (or NaN, Infinity). */
const NUMBER = 26;
/** `sortableInstant`: 24 characters for years 0–9999, 27 beyond. */
const INSTANT = 30;
/** The longest KPI name, as JSON. */
const KPI = Math.max(...KPIS.map((kpi) => kpi.length)) * 6 + 2;

/** A string as JSON: each UTF-16 unit is at most 6 bytes (`\u001f`, a lone surrogate), and the quotes. */
const text = (value: string | null | undefined): number => (value === null || value === undefined ? 4 : value.length * 6 + 2);

/**
 * A bound of `sizeOf(value)` and `more`: `sizeBound`, else the exact size; null when it cannot be measured
 * (planned exactly, the commit fails there and in its order).
 */
function measured(value: unknown, more: number): number | null {
  try {
    return (sizeBound(value) ?? sizeOf(value)) + more;
  } catch {
    return null;
  }
}

/** Whether `sortableInstant` takes it (Date's range); otherwise only the exact planning may fail on it. */
const isInstant = (instant: number): boolean => Math.abs(instant) <= 8.64e15;

/** Exact bytes of a visit report's stored form (base64url JSON), once per event: events are carried from one version to the next. */
const visitBytes = new WeakMap<StoredCaseEvent, number>();

/** A case event's stored form `code|occurredAt|extra|source|digest|eventId` as JSON, and its separator in the list. */
function eventBound(event: StoredCaseEvent): number | null {
  if (event.type === 'case.visit_reported') {
    let bytes = visitBytes.get(event);
    if (bytes === undefined) {
      try {
        bytes = encodedOf(event).bytes;
      } catch {
        return null; // planned exactly, it fails there and in its order
      }
      visitBytes.set(event, bytes);
    }
    return bytes;
  }
  // The code (2), occurredAt, 5 separators, quotes and the list's separator (3); `extra` at most the priority and 4 flag characters (or a pause code).
  const extra = event.type === 'case.opened' ? text(event.priority) + 4 : 9;
  return 10 + NUMBER + extra + text(event.source) + text(event.digest) + text(event.eventId);
}

/** The case's main item, or null when its events may not all stay in it (overflow leaves). */
function caseBound(record: CaseRecord): number | null {
  if (record.nextAttentionAt !== null && !isInstant(record.nextAttentionAt)) return null;
  let events = 0;
  for (const event of record.events) {
    const bytes = eventBound(event);
    if (bytes === null) return null;
    events += bytes;
  }
  if (!staysInMain(record.overflow, events)) return null;
  let bytes = ITEM_OVERHEAD + events + 2 * (text(record.contractId) + text(record.caseId)) + INSTANT + 3 * NUMBER;
  for (const kpi of record.warned) bytes += text(kpi) + 1;
  for (const kpi of KPIS) if (record.decided[kpi] !== undefined) bytes += KPI + 4 * NUMBER + 8;
  for (const source of record.sources) bytes += text(source) + 1;
  return bytes;
}

/** A breach's tuple `[caseId, kpi, deadline, creditPercent, stoppedAt]` as JSON and its separator: by its key alone. */
const breachBound = (b: YearBreach): number => text(b.caseId) + text(b.kpi) + 3 * NUMBER + 13;
/** A notified key as JSON, in its list or as its own entry. */
const noticedBound = (key: string): number => text(key) + 7;

/**
 * Running bounds of a year's lists (its breaches, its notified keys, its booked credits), per list: a year
 * has hundreds of breaches and each booking writes it, so a list made from the year's previous one is
 * bounded from that one's bound (`carryBreachesBound`, `carryNoticedBound`); any other is measured once.
 * A year's lists are never changed once made (each version of the year makes its own).
 */
const listBounds = new WeakMap<object, number>();

/** A list's bound: carried or measured before, else measured once now and kept with the list. */
function listBound<T>(list: readonly T[], itemBound: (item: T) => number): number {
  let bytes = listBounds.get(list);
  if (bytes === undefined) {
    bytes = 0;
    for (const item of list) bytes += itemBound(item);
    listBounds.set(list, bytes);
  }
  return bytes;
}

const breachesBound = (breaches: readonly YearBreach[]): number => listBound(breaches, breachBound);
const noticedListBound = (keys: readonly string[]): number => listBound(keys, noticedBound);

function bookedBound(booked: Readonly<Record<string, number>>): number {
  let bytes = listBounds.get(booked);
  if (bytes === undefined) {
    bytes = 0;
    for (const key in booked) bytes += text(key) + NUMBER + 2;
    listBounds.set(booked, bytes);
  }
  return bytes;
}

/**
 * Notes that a year's breaches `next` are `previous` with `dropped` (breaches of it) taken out and `added`
 * put in: its bound is carried from `previous`'s, when that one is known. A breach's bound depends only
 * on its key, so a dropped one takes out exactly what it put in.
 */
export function carryBreachesBound(
  next: readonly YearBreach[],
  previous: readonly YearBreach[],
  dropped: readonly YearBreach[],
  added: readonly YearBreach[],
): void {
  let bytes = listBounds.get(previous);
  if (bytes === undefined) return;
  for (const b of dropped) bytes -= breachBound(b);
  for (const b of added) bytes += breachBound(b);
  listBounds.set(next, bytes);
}

/** Notes that a year's notified keys `next` are `previous` and then `added`: its bound is carried from `previous`'s, when that one is known. */
export function carryNoticedBound(next: readonly string[], previous: readonly string[], added: readonly string[]): void {
  let bytes = listBounds.get(previous);
  if (bytes === undefined) return;
  for (const key of added) bytes += noticedBound(key);
  listBounds.set(next, bytes);
}

/** The year's main item, or null when its breaches and notified keys may not all stay in it. */
function yearBound(record: YearRecord): number | null {
  const entries = breachesBound(record.breaches) + noticedListBound(record.creditNoticesIssued);
  if (!staysInMain(record.overflow, entries)) return null;
  return (
    ITEM_OVERHEAD +
    entries +
    text(record.contractId) +
    6 * NUMBER +
    bookedBound(record.booked) +
    record.rightsNotified.length * (NUMBER + 1)
  );
}

const ledgerEntryBound = (entry: LedgerRecord): number =>
  text(entry.caseId) + text(entry.kpi) + text(entry.why) + 3 * NUMBER + 8 + ITEM_OVERHEAD + 2 * text(entry.contractId) + 2 * NUMBER;

/** A bound of the bytes of a write's one item (of a ledger entry's share of its year's item), or null when it is not bounded here. */
export function writeBound(write: StoreWrite): number | null {
  return write.kind === 'ledger' ? ledgerEntryBound(write.entry) : itemBound(write);
}

function itemBound(write: Exclude<StoreWrite, { kind: 'ledger' }>): number | null {
  switch (write.kind) {
    case 'processedEvent': {
      const { record } = write;
      if (!isSource(record.source)) return null;
      return measured(record, ITEM_OVERHEAD + text(record.source) + text(record.eventId) + NUMBER);
    }
    case 'contract': {
      const { record } = write;
      return measured(record, ITEM_OVERHEAD + 3 * text(record.terms.contractId) + text(record.nextLifecycleDate) + NUMBER);
    }
    case 'contractAbsent':
      return ITEM_OVERHEAD + text(write.contractId);
    case 'case':
      return caseBound(write.record);
    case 'year':
      return yearBound(write.record);
    case 'notice': {
      const { notice } = write;
      if (!isInstant(notice.sendFrom ?? notice.createdAt)) return null;
      return measured(notice, ITEM_OVERHEAD + text(notice.contractId) + 3 * text(notice.id) + INSTANT + 2 * NUMBER);
    }
    case 'park':
    case 'unpark': {
      const { record } = write;
      if (!isSource(record.source) || !isInstant(record.occurredAt) || !isInstant(record.receivedAt + 86_400_000)) return null;
      const key = 2 * text(record.contractId) + 2 * (text(record.source) + text(record.eventId)) + 2 * INSTANT;
      return write.kind === 'park' ? measured(record, ITEM_OVERHEAD + key) : ITEM_OVERHEAD + key;
    }
    case 'rejected': {
      const { record } = write;
      if (!isSource(record.source)) return null;
      return measured(record, ITEM_OVERHEAD + text(record.contractId) + text(record.source) + text(record.digest) + text(record.eventId));
    }
    case 'quarantine':
      return measured(write.record, ITEM_OVERHEAD + text(write.record.contractId) + text(write.record.kind) + text(write.record.id));
    case 'release':
      return ITEM_OVERHEAD + text(write.item.contractId) + text(write.item.kind) + text(write.item.id);
    case 'unattend': {
      const { entry } = write;
      if (entry.kind === 'case') return ITEM_OVERHEAD + text(entry.contractId) + text(entry.caseId);
      if (entry.kind === 'lifecycle') return ITEM_OVERHEAD + text(entry.contractId);
      const { ref } = entry;
      if (!isSource(ref.source) || !isInstant(ref.occurredAt)) return null;
      return ITEM_OVERHEAD + text(ref.contractId) + text(ref.source) + text(ref.eventId) + INSTANT;
    }
    case 'pool':
      return null;
  }
}

/** Whether the writes' bounds keep within every limit: then the planned items do too, and cannot fail to plan. */
function boundedWithinLimits(writes: readonly StoreWrite[]): boolean {
  let items = 0;
  let total = 0;
  let ledgerBytes = 0;
  let ledgerYears: string[] | null = null;
  for (const write of writes) {
    if (write.kind === 'ledger') {
      ledgerBytes += ledgerEntryBound(write.entry);
      // The entries of one year in one commit become one item (transaction.ts).
      const year = `${write.entry.contractId}\u0000${write.entry.yearIndex}`;
      if (ledgerYears === null) ledgerYears = [year];
      else if (!ledgerYears.includes(year)) ledgerYears.push(year);
      continue;
    }
    const bytes = itemBound(write);
    if (bytes === null || bytes > MAX_ITEM_BYTES) return false;
    items += 1;
    total += bytes;
  }
  // Every ledger item is at most all the ledger entries' bounds together.
  if (ledgerBytes > MAX_ITEM_BYTES) return false;
  items += ledgerYears?.length ?? 0;
  total += ledgerBytes;
  return items <= MAX_TRANSACTION_ITEMS && total <= MAX_TRANSACTION_BYTES;
}

/** Throws what `assertWithinTransactionLimits(planWrites(…))` throws for these writes, planning them only when the bounds do not settle it. */
export function assertCommitWithinLimits(tableName: string, writes: readonly StoreWrite[]): void {
  if (boundedWithinLimits(writes)) return;
  assertWithinTransactionLimits(planWrites(tableName, writes));
}
