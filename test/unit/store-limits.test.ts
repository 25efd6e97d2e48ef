import { describe, expect, it } from 'vitest';
import type { CaseEvent, Kpi } from '#domain/model.ts';
import {
  caseFromItems,
  caseItems,
  ledgerEntriesFromItem,
  yearFromItems,
  yearItems,
  type Item,
  type SplitItems,
} from '#store/items.ts';
import { LEAF_MAX_BYTES, sizeOf } from '#store/overflow.ts';
import type { CaseRecord, LedgerRecord, StoreWrite, YearBreach, YearRecord } from '#store/store.ts';
import { assertWithinTransactionLimits, planWrites } from '#store/transaction.ts';
import { TransactionLimitError } from '../../shared/errors.ts';

const ITEM_LIMIT = 400_000;
const KPI_LIST: readonly Kpi[] = ['firstResponse', 'onSite', 'replacement', 'resolution'];

function events(count: number, from = 0): CaseEvent[] {
  return Array.from({ length: count }, (_, i): CaseEvent => ({
    eventId: `helpdesk-export-2026-${String(from + i).padStart(7, '0')}`,
    caseId: 'K-1',
    occurredAt: Date.parse('2026-02-09T08:00:00Z') + (from + i) * 60_000,
    type: (from + i) % 2 === 0 ? 'case.paused' : 'case.resumed',
    ...((from + i) % 2 === 0 ? { reason: 'awaiting_customer' as const } : {}),
  }) as CaseEvent);
}

function aCase(list: CaseEvent[], version = 1): CaseRecord {
  return { contractId: 'C-1', caseId: 'K-1', events: list, sources: ['default'], warned: [], decided: {}, nextAttentionAt: null, version };
}

/** A table of one partition: applies split writes and reads back like the adapter (main, then its listed leaves). */
class Partition {
  readonly items = new Map<string, Item>();
  writes = 0;
  apply(split: SplitItems): void {
    this.items.set(split.main.sk as string, split.main);
    for (const leaf of split.leaves) this.items.set(leaf.sk as string, leaf);
    for (const key of split.deletes) this.items.delete(key.sk);
    this.writes = 1 + split.leaves.length + split.deletes.length;
  }
  leavesOf(main: Item, prefix: string): Item[] {
    const byPath = new Map<string, Item>();
    for (const [sk, item] of this.items) if (sk.startsWith(prefix)) byPath.set(sk.split('#')[prefix === 'CASEH#' ? 1 : 2] ?? '', item);
    return ((main.ov ?? []) as string[]).flatMap((path): Item[] => {
      const leaf = byPath.get(path);
      return leaf === undefined ? [] : [leaf];
    });
  }
}

function readCase(partition: Partition): CaseRecord {
  const main = partition.items.get('CASE#K-1') as Item;
  return caseFromItems(main, partition.leavesOf(main, 'CASEH#'));
}

const ids = (record: CaseRecord): string[] => record.events.map((e) => e.eventId).sort();

describe('a case keeps every event however long it grows, and no item passes 400 KB', () => {
  it('keeps an ordinary case in its own item: no overflow, nothing more to read or write', () => {
    // Act
    const split = caseItems(aCase(events(50)), 2);
    // Assess
    expect(split.main.ov).toBeUndefined();
    expect(split.leaves).toEqual([]);
    expect(caseFromItems(split.main, [])).toEqual(aCase(events(50), 2));
  });

  it('moves the events of a 12,000-event case to overflow leaves and reads every one back', () => {
    // Prepare
    const partition = new Partition();
    const record = aCase(events(12_000));
    // Act
    partition.apply(caseItems(record, 2));
    const read = readCase(partition);
    // Assess
    expect(ids(read)).toEqual(ids(record));
    expect(read.events).toHaveLength(12_000);
    expect(sizeOf(record.events)).toBeGreaterThan(ITEM_LIMIT);
    expect((partition.items.get('CASE#K-1') as Item).ev).toEqual([]);
    expect((partition.items.get('CASE#K-1') as Item).ov).toHaveLength(4);
    for (const item of partition.items.values()) expect(sizeOf(item)).toBeLessThan(ITEM_LIMIT);
  });

  it('writes one leaf (and the case item) when one event joins a long case', () => {
    // Prepare
    const partition = new Partition();
    partition.apply(caseItems(aCase(events(6_000)), 2));
    const read = readCase(partition);
    // Act
    partition.apply(caseItems({ ...read, events: [...read.events, ...events(1, 6_000)] }, 3));
    // Assess
    expect(partition.writes).toBe(2);
    expect(readCase(partition).events).toHaveLength(6_001);
  });

  it('splits a leaf that grows past its size into 4, never writing an item past the leaf limit', () => {
    // Prepare
    const partition = new Partition();
    let record = aCase(events(12_000));
    partition.apply(caseItems(record, 1));
    // Act: grow to 30,000 events, 3,000 at a time (parked events applied together)
    for (let from = 12_000; from < 30_000; from += 3_000) {
      record = readCase(partition);
      partition.apply(caseItems({ ...record, events: [...record.events, ...events(3_000, from)] }, record.version + 1));
    }
    // Assess
    const read = readCase(partition);
    expect(read.events).toHaveLength(30_000);
    expect(new Set(ids(read)).size).toBe(30_000);
    expect(((partition.items.get('CASE#K-1') as Item).ov as string[]).some((path) => path.length >= 2)).toBe(true);
    for (const item of partition.items.values()) expect(sizeOf(item)).toBeLessThan(LEAF_MAX_BYTES);
  });
});

function breaches(count: number): YearBreach[] {
  return Array.from({ length: count }, (_, i): YearBreach => ({
    caseId: `INC-2026-${String(i).padStart(8, '0')}`,
    kpi: KPI_LIST[i % 4] as Kpi,
    deadline: Date.parse('2026-03-01T00:00:00Z') + i * 1000,
    creditPercent: 0.5,
    stoppedAt: i % 3 === 0 ? null : Date.parse('2026-03-01T00:00:00Z') + i * 1000 + 5,
  }));
}

describe('a year keeps every breach however many there are, and no item passes 400 KB', () => {
  it('splits a year of 5,000 breaches into leaves and reads back every breach and notified key', () => {
    // Prepare
    const partition = new Partition();
    const list = breaches(5_000);
    const year: YearRecord = {
      contractId: 'C-1',
      yearIndex: 1,
      changedAt: null,
      breaches: list,
      booked: { 'INC-2026-00000000#firstResponse': 100 },
      ledgerSeq: 7,
      creditNoticesIssued: list.slice(0, 40).map((b) => `${b.caseId}#${b.kpi}`),
      rightsNotified: [5],
      version: 1,
    };
    // Act
    const split = yearItems(year, 2);
    partition.apply(split);
    const main = partition.items.get('YEAR#0001') as Item;
    const read = yearFromItems(main, partition.leavesOf(main, 'YEARH#'));
    // Assess
    expect(sizeOf(list)).toBeGreaterThan(ITEM_LIMIT);
    expect(split.leaves.length).toBeGreaterThan(1);
    for (const item of partition.items.values()) expect(sizeOf(item)).toBeLessThan(ITEM_LIMIT);
    const byKey = (a: YearBreach, b: YearBreach): number => a.caseId === b.caseId ? a.kpi.localeCompare(b.kpi) : a.caseId.localeCompare(b.caseId);
    expect([...read.breaches].sort(byKey)).toEqual([...list].sort(byKey));
    expect([...read.creditNoticesIssued].sort()).toEqual([...year.creditNoticesIssued].sort());
    expect(read.booked).toEqual(year.booked);
    expect(read.ledgerSeq).toBe(7);
  });
});

function ledgerWrites(count: number): StoreWrite[] {
  return Array.from({ length: count }, (_, i): StoreWrite => {
    const entry: LedgerRecord = {
      contractId: 'C-1',
      yearIndex: 1,
      seq: 10 + i,
      caseId: `K-${i}`,
      kpi: 'onSite',
      amountMinor: i % 2 === 0 ? 600 : -600,
      bookedAt: 5,
      why: 'recomputed',
    };
    return { kind: 'ledger', entry };
  });
}

describe('a commit never needs more than 100 transaction items', () => {
  it('packs the ledger entries of one year in one commit into one item, read back entry by entry in seq order', () => {
    // Act
    const planned = planWrites('t', ledgerWrites(150));
    // Assess
    expect(planned).toHaveLength(1);
    const item = planned[0]?.item.Put?.Item as Item;
    expect(item.sk).toBe('LEDGER#0001#000010');
    expect(planned[0]?.item.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(ledgerEntriesFromItem(item).map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => 10 + i));
    expect(ledgerEntriesFromItem(item)[1]).toEqual((ledgerWrites(2)[1] as { entry: LedgerRecord }).entry);
  });

  it('still reads a ledger item written one entry per item', () => {
    const legacy = { pk: 'CONTRACT#C-1', sk: 'LEDGER#0001#000001', entity: 'ledger', contractId: 'C-1', yearIndex: 1, seq: 1, caseId: 'K-1', kpi: 'onSite', amountMinor: 5, bookedAt: 1, why: 'breach_declared' };
    expect(ledgerEntriesFromItem(legacy)).toEqual([{ contractId: 'C-1', yearIndex: 1, seq: 1, caseId: 'K-1', kpi: 'onSite', amountMinor: 5, bookedAt: 1, why: 'breach_declared' }]);
  });

  it('refuses, before sending, a commit of 101 items', () => {
    // Prepare
    const notices = Array.from({ length: 101 }, (_, i): StoreWrite => ({
      kind: 'rejected',
      record: { contractId: 'C-1', source: 'default', eventId: `e-${i}`, digest: 'd', type: 'case.opened', reason: 'x', at: 0 },
    }));
    // Act + Assess
    expect(() => assertWithinTransactionLimits(planWrites('t', notices))).toThrow(TransactionLimitError);
    expect(() => assertWithinTransactionLimits(planWrites('t', notices))).toThrow(/101 transaction items exceeds the 100-item limit/);
    expect(() => assertWithinTransactionLimits(planWrites('t', notices.slice(0, 100)))).not.toThrow();
  });

  it('refuses, before sending, a commit past 4 MB', () => {
    const big = Array.from({ length: 12 }, (_, i): StoreWrite => ({
      kind: 'rejected',
      record: { contractId: 'C-1', source: 'default', eventId: `e-${i}`, digest: 'd', type: 'case.opened', reason: 'x'.repeat(350_000), at: 0 },
    }));
    expect(() => assertWithinTransactionLimits(planWrites('t', big))).toThrow(/exceeds the 4 MB limit/);
  });
});
