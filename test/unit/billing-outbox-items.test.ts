/**
 * The billing outbox costs no transaction item (docs/data-model.md, "Billing outbox"): the ledger item of a
 * commit and the notices that tell billing something are written with `billing = pending`; nothing else
 * is, and a commit plans exactly the items it planned before.
 */
import { describe, expect, it } from 'vitest';
import { BILLING_OUTBOX } from '#store/billing-outbox-repository.ts';
import { noticeItem } from '#store/items.ts';
import { planWrites } from '#store/transaction.ts';
import type { LedgerRecord, StoreWrite } from '#store/store.ts';
import { aCreditIssuedRecord, aYearStatementRecord } from '#test/support/factories/notices.ts';

const entry = (seq: number, amountMinor: number): LedgerRecord => ({
  contractId: 'C-1', yearIndex: 1, seq, caseId: `K-${seq}`, kpi: 'onSite', amountMinor, bookedAt: 1_000, why: 'breach_declared',
});

describe('the billing outbox entries', () => {
  it('ride on the one ledger item of a year in a commit: three credits and a reversal, one item', () => {
    // Prepare
    const writes: StoreWrite[] = [entry(4, 500), entry(5, 700), entry(6, -500), entry(7, 100)].map((e) => ({ kind: 'ledger', entry: e }));
    // Act
    const planned = planWrites('t', writes);
    // Assess
    expect(planned).toHaveLength(1);
    expect(planned[0]?.item.Put?.Item).toMatchObject({ sk: 'LEDGER#0001#000004', [BILLING_OUTBOX.attribute]: BILLING_OUTBOX.pending });
  });

  it('ride on a year statement notice, and not on a credit notice (its credit is told by the ledger item)', () => {
    expect(noticeItem(aYearStatementRecord())[BILLING_OUTBOX.attribute]).toBe(BILLING_OUTBOX.pending);
    expect(noticeItem(aCreditIssuedRecord())).not.toHaveProperty(BILLING_OUTBOX.attribute);
  });
});
