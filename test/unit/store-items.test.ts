import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES, PRIORITIES, type CaseEvent } from '#domain/model.ts';
import { caseFromItem, caseItem, decodeCaseEvent, encodeCaseEvent, noticeItem, yearFromItem, yearItem } from '#store/items.ts';
import { caseAttention, eventKey, identityOfSegment, parkedKey, rejectedKey, shardOf, sortableInstant } from '#store/keys.ts';
import { ATTENTION_SHARDS } from '#store/table-definition.ts';
import type { CaseRecord, StoredCaseEvent, YearRecord } from '#store/store.ts';
import { aNotice } from '#test/support/factories/notices.ts';

const instant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') });
const eventId = fc.string({ minLength: 1, maxLength: 128 });
const source = fc.stringMatching(/^[a-z0-9._-]{1,64}$/);
const digest = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);

const plainCaseEvent: fc.Arbitrary<CaseEvent> = fc.oneof(
  fc.record(
    {
      eventId,
      caseId: fc.constant('K-1'),
      occurredAt: instant,
      type: fc.constant('case.opened' as const),
      priority: fc.constantFrom(...PRIORITIES),
      onSiteRequired: fc.boolean(),
      replacementRequired: fc.boolean(),
    },
    { requiredKeys: ['eventId', 'caseId', 'occurredAt', 'type'] },
  ),
  fc.record({
    eventId,
    caseId: fc.constant('K-1'),
    occurredAt: instant,
    type: fc.constant('case.paused' as const),
    reason: fc.constantFrom('awaiting_customer' as const, 'force_majeure' as const),
  }),
  fc.record({
    eventId,
    caseId: fc.constant('K-1'),
    occurredAt: instant,
    type: fc.constantFrom(...CASE_EVENT_TYPES.filter((t) => t !== 'case.opened' && t !== 'case.paused' && t !== 'case.visit_reported')),
  }) as fc.Arbitrary<CaseEvent>,
);

const reportedVisit = fc.record(
  {
    visitId: fc.string({ minLength: 1, maxLength: 20 }),
    hoursOnSite: fc.integer({ min: 0, max: 100_000 }).map((h) => h / 100),
    travelHours: fc.integer({ min: 0, max: 100_000 }).map((h) => h / 100),
    kilometres: fc.integer({ min: 0, max: 10_000_000 }).map((k) => k / 100),
    nights: fc.integer({ min: 0, max: 366 }),
    otherCosts: fc.array(
      fc.record({ description: fc.string({ minLength: 1, maxLength: 30 }), amountMinor: fc.nat(), currency: fc.constantFrom('NOK', 'EUR', 'SEK') }),
      { maxLength: 3 },
    ),
    country: fc.constantFrom('NO', 'SE', 'DE'),
    costMinor: fc.nat(),
  },
  { requiredKeys: ['visitId', 'hoursOnSite', 'travelHours', 'kilometres', 'nights', 'otherCosts', 'costMinor'] },
);

const visitEvent: fc.Arbitrary<CaseEvent> = fc.record({
  eventId,
  caseId: fc.constant('K-1'),
  occurredAt: instant,
  type: fc.constant('case.visit_reported' as const),
  visit: reportedVisit,
});

/** The stored codes before `case.visit_reported` joined the tie-break order: items written then keep them. */
const CODES_BEFORE_VISITS = [
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
] as const;

/** As the intake stores them: a source other than the default one, and the digest of the event's body, each optional. */
const caseEvent: fc.Arbitrary<StoredCaseEvent> = fc
  .tuple(fc.oneof(plainCaseEvent, visitEvent), fc.option(source.filter((s) => s !== 'default'), { nil: undefined }), fc.option(digest, { nil: undefined }))
  .map(([event, eventSource, eventDigest]) => ({
    ...event,
    ...(eventSource === undefined ? {} : { source: eventSource }),
    ...(eventDigest === undefined ? {} : { digest: eventDigest }),
  }));

describe('compact case items', () => {
  it('read a case item written before sources as the default source without digests, whatever its eventIds contain', () => {
    fc.assert(
      fc.property(plainCaseEvent, (event) => {
        const { caseId: _caseId, ...rest } = event;
        const extra = event.type === 'case.paused' ? (event.reason === 'force_majeure' ? 'f' : 'a') : '';
        const legacy = `${CODES_BEFORE_VISITS.indexOf(event.type as (typeof CODES_BEFORE_VISITS)[number])}|${event.occurredAt}|${event.type === 'case.opened' ? encodeCaseEvent(event).split('|')[2] : extra}|${event.eventId}`;
        expect(decodeCaseEvent('K-1', legacy, 1)).toEqual({ caseId: 'K-1', ...rest });
      }),
      { numRuns: 1_000 },
    );
  });

  it('decode every case event exactly as it was encoded, whatever its eventId contains', () => {
    fc.assert(
      fc.property(caseEvent, (event) => {
        expect(decodeCaseEvent('K-1', encodeCaseEvent(event))).toEqual(event);
      }),
      { numRuns: 1_000 },
    );
  });

  it('keep a typical case (six events with their source and digest, two decided clocks) under 1 KB', () => {
    const stored = { source: 'zendesk', digest: 'q3Wd1bH0n2kX9cZ7vT4yLr8mPe6sA5uGfJiKoNwQxYz' } as const;
    const events: StoredCaseEvent[] = CODES_BEFORE_VISITS.slice(0, 6).map((type, i) =>
      type === 'case.paused'
        ? { eventId: `helpdesk-4711-event-${i}`, ...stored, caseId: 'INC-2026-004711', occurredAt: 1_770_000_000_000 + i, type, reason: 'awaiting_customer' }
        : ({ eventId: `helpdesk-4711-event-${i}`, ...stored, caseId: 'INC-2026-004711', occurredAt: 1_770_000_000_000 + i, type }),
    );
    const record: CaseRecord = {
      contractId: 'CONTRACT-0001',
      caseId: 'INC-2026-004711',
      events,
      warned: ['firstResponse'],
      decided: {
        firstResponse: { deadline: 1_770_000_900_000, breached: true, stoppedAt: 1_770_001_000_000, creditPercent: 2 },
        onSite: { deadline: 1_770_086_400_000, breached: false, stoppedAt: 1_770_050_000_000, creditPercent: 5 },
      },
      nextAttentionAt: 1_770_172_800_000,
      sources: ['default'],
      version: 3,
    };

    const item = caseItem(record, 4);

    expect(caseFromItem(item)).toEqual({ ...record, version: 4 });
    // Attribute names and values, as DynamoDB sizes an item (close enough: JSON adds quotes and braces).
    expect(JSON.stringify(item).length).toBeLessThan(1024);
  });

  it('round-trip a year with its breaches, bookings, notified rights and when it last changed', () => {
    const year: YearRecord = {
      contractId: 'C-1',
      yearIndex: 2,
      breaches: [{ caseId: 'K-1', kpi: 'onSite', deadline: 5, creditPercent: 5, stoppedAt: null }],
      booked: { 'K-1#onSite': 600_000 },
      ledgerSeq: 1,
      creditNoticesIssued: ['K-1#onSite'],
      rightsNotified: [5],
      changedAt: 7,
      version: 1,
    };

    expect(yearFromItem(yearItem(year, 2))).toEqual({ ...year, version: 2 });
    expect(yearFromItem(yearItem({ ...year, changedAt: null }, 2)).changedAt).toBeNull();
  });

  it('write a notice created to wait as not leasable before then, due for a re-drive then', () => {
    const item = noticeItem({
      id: 'credit.issued#C-1#K-1#onSite',
      contractId: 'C-1',
      type: 'credit.issued',
      audience: 'customer',
      to: 'a@b.example',
      locale: 'nb',
      payload: aNotice('credit.issued'),
      createdAt: 1_000,
      sendFrom: 901_000,
    });

    expect(item).toMatchObject({ state: 'pending', notBefore: 901_000, redriveAt: 901_000 });
    expect(item).not.toHaveProperty('sendFrom');
    expect(item.ask).toBe(`${sortableInstant(901_000)}#credit.issued#C-1#K-1#onSite`);
  });
});

describe('event identity in keys', () => {
  it('is unambiguous: two identities never share a key, and the source and eventId are read back from it', () => {
    fc.assert(
      fc.property(source, eventId, source, eventId, (sourceA, idA, sourceB, idB) => {
        const same = sourceA === sourceB && idA === idB;
        expect(eventKey(sourceA, idA).pk === eventKey(sourceB, idB).pk).toBe(same);
        expect(parkedKey('C-1', 0, sourceA, idA).sk === parkedKey('C-1', 0, sourceB, idB).sk).toBe(same);
        expect(identityOfSegment(eventKey(sourceA, idA).pk.slice('EVENT#'.length))).toEqual({ source: sourceA, eventId: idA });
      }),
      { numRuns: 1_000 },
    );
  });

  it('keeps one rejected record per identity and digest', () => {
    fc.assert(
      fc.property(source, eventId, digest, source, eventId, digest, (sourceA, idA, digestA, sourceB, idB, digestB) => {
        const same = sourceA === sourceB && idA === idB && digestA === digestB;
        expect(rejectedKey('C-1', sourceA, idA, digestA).sk === rejectedKey('C-1', sourceB, idB, digestB).sk).toBe(same);
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses to build a key from a source the envelope does not allow', () => {
    expect(() => eventKey('crm#1', 'E-1')).toThrow(RangeError);
  });
});

describe('attention keys', () => {
  it('sort instants as strings in time order', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        expect(Math.sign(sortableInstant(a).localeCompare(sortableInstant(b)))).toBe(Math.sign(a - b));
      }),
      { numRuns: 1_000 },
    );
  });

  it('put a case in the same shard every time, within the shard count', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (contractId, caseId) => {
        const shard = shardOf('case', `${contractId}#${caseId}`);
        expect(shard).toBe(shardOf('case', `${contractId}#${caseId}`));
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(ATTENTION_SHARDS.case);
        expect(caseAttention(contractId, caseId, 0).apk).toBe(`CASE#${shard}`);
      }),
      { numRuns: 1_000 },
    );
  });
});
