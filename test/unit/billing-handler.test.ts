/**
 * The billing function as a stream consumer: a record names a ledger item or a notice of a contract, a
 * record it cannot publish is reported in batchItemFailures (the stream retries it), the others go on.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeBillingHandler } from '#functions/billing/app.ts';
import { billingRefOf, billingStreamEvent } from '#functions/billing/stream.ts';
import { creditEvent } from '#events/billing.ts';
import type { BillingEventBus } from '#events/billing-bus.ts';
import type { BillingSourceRef } from '#store/billing-outbox-repository.ts';
import { makeBillingPublisher } from '#usecases/publish-billing.ts';
import { MemoryBillingOutbox } from '#store/memory/memory-billing-outbox.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';

beforeEach(() => vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true'));
afterEach(() => vi.unstubAllEnvs());

const credits = (contractId: string): BillingSourceRef => ({ kind: 'credits', contractId, yearIndex: 2, firstSeq: 14 });
const ended = (contractId: string): BillingSourceRef => ({ kind: 'notice', contractId, noticeId: `contract.ended#${contractId}` });

describe('billing stream records', () => {
  it('name the ledger item or the notice they were written for', () => {
    const refs = [credits('C-1'), ended('C#2')];
    expect(billingStreamEvent(refs).Records.map(billingRefOf)).toEqual(refs);
  });

  it('name nothing for another item', () => {
    const [record] = billingStreamEvent([credits('C-1')]).Records;
    if (record?.dynamodb?.Keys === undefined) throw new Error('no keys');
    record.dynamodb.Keys.sk = { S: 'CASE#K-1' };
    expect(billingRefOf(record)).toBeNull();
  });
});

describe('the billing handler', () => {
  it('reports the record whose events the bus keeps refusing, and publishes the others', async () => {
    // Prepare: C-BAD's events are refused every time.
    const outbox = new MemoryBillingOutbox();
    const entry = (contractId: string) =>
      creditEvent({ contractId, yearIndex: 2, seq: 14, caseId: 'K-1', kpi: 'onSite', amountMinor: 100, bookedAt: 0, why: 'breach_declared' }, 'NOK');
    outbox.add(credits('C-1'), [entry('C-1')]);
    outbox.add(credits('C-BAD'), [entry('C-BAD')]);
    const bus: BillingEventBus = {
      put: (events) => Promise.resolve(events.flatMap((event, index) => (event.detail.contractId === 'C-BAD' ? [{ index, code: 'InternalFailure' }] : []))),
    };
    const logger = makeLogger('billing');
    const handler = makeBillingHandler({
      publisher: makeBillingPublisher({ outbox, bus, clock: { now: () => 1 }, sleep: () => Promise.resolve() }),
      logger,
      metrics: makeMetrics('AftercareTest', 'billing', logger),
    });
    const event = billingStreamEvent([credits('C-1'), credits('C-BAD')]);
    // Act
    const response = await handler(event, aLambdaContext('billing'));
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]?.dynamodb?.SequenceNumber }]);
    expect(await outbox.pending(credits('C-1'))).toBeNull();
    expect(await outbox.pending(credits('C-BAD'))).not.toBeNull();
  });
});
