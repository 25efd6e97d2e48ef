import { describe, expect, it } from 'vitest';
import { canonicalJson, eventDigest } from '#events/digest.ts';

// Digests are stored (idempotency records, case items, rejected records, notice ids): they never change.
const opened = {
  eventId: 'E-1',
  type: 'case.opened',
  occurredAt: '2026-03-02T08:00:00Z',
  contractId: 'C-1',
  caseId: 'K-1',
  priority: 'high',
  summary: 'Æøå "quoted"',
};

describe('the event digest', () => {
  it('is the sha-256 of the canonical JSON, pinned: an absent source is the default one', () => {
    // Act / Assess
    expect(eventDigest(opened)).toBe('85GZeH-MOZsQEfc9Usqpc-lEjH9x6Oczx5unzWYobA0');
    expect(eventDigest({ ...opened, source: 'default' })).toBe('85GZeH-MOZsQEfc9Usqpc-lEjH9x6Oczx5unzWYobA0');
    const fromZendesk = { ...opened, source: 'zendesk', onSiteRequired: undefined };
    expect(eventDigest(fromZendesk)).toBe('JQhhhjDNqSFfqhO0oUphrnaUKpmX6s5xUN0RvdALOrs');
  });

  it('is unchanged, pinned, for text that needs escaping or is not ASCII, nested objects and lists', () => {
    // Arrange
    const commented = {
      eventId: 'E-2',
      type: 'case.commented',
      occurredAt: '2026-03-02T09:00:00Z',
      contractId: 'C-1',
      caseId: 'K-1',
      text: 'Tab\there, "quotes", back\\slash, nul\u0000, emoji 🔧, lone \ud800 surrogate, ü',
    };
    const registered = {
      eventId: 'E-3',
      type: 'contract.registered',
      occurredAt: '2025-12-21T23:00:00.000Z',
      contractId: 'C-BENCH-1',
      customer: { name: 'Kunde Ærlig AS', email: 'drift@kunde-1.example', locale: 'nb' },
      serviceLevel: 'standard',
      annualFee: { amount: '51000', currency: 'NOK' },
      startDate: '2026-01-01',
      tags: ['b', undefined, { z: 1, y: null }],
      count: 3,
      on: true,
    };

    // Act / Assess
    expect(eventDigest(commented)).toBe('ZJdU1pJhKFEk4HV5XgnWs0YKLreDtna0sEnq2kU3tIU');
    expect(eventDigest(registered)).toBe('ajGOMTi-qBj3MaiB-tED4rLO7DPJxBjUSPATyoQ5Yf0');
  });

  it('sorts keys by code unit, leaves undefined fields out and writes undefined items as null', () => {
    // Act
    const json = canonicalJson({ b: undefined, a: [1, undefined, { z: 1, y: null }], '10': 'x', '2': 'y', é: 1, Z: 2 });

    // Assess
    expect(json).toBe('{"10":"x","2":"y","Z":2,"a":[1,null,{"y":null,"z":1}],"é":1}');
  });
});
