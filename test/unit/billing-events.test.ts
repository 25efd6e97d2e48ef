/**
 * The billing events' shapes (docs/design.md#12-contract-changes-and-billing) and the EventBridge adapter: detail-type,
 * source, a detail with the deterministic id, and refused entries read from FailedEntryCount.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { BILLING_EVENT_SOURCE, creditEvent, noticeBillingEvent } from '#events/billing.ts';
import { eventBridgeBus } from '#events/billing-bus.ts';
import { aNotice } from '#test/support/factories/notices.ts';

const AT = Date.parse('2027-01-01T00:00:00Z');

describe('billing events', () => {
  it('a ledger entry is a credit booked, or a reversal, with the entry as its id', () => {
    const entry = { contractId: 'C-1', yearIndex: 2, seq: 7, caseId: 'CASE-9', kpi: 'onSite', amountMinor: -2_400, bookedAt: AT, why: 'breach_withdrawn' } as const;
    expect(creditEvent(entry, 'NOK')).toEqual({
      detailType: 'Credit Reversed',
      time: AT,
      detail: {
        version: 1, type: 'credit.reversed', id: 'credit.reversed#C-1#2#7', contractId: 'C-1', occurredAt: '2027-01-01T00:00:00.000Z',
        currency: 'NOK', yearIndex: 2, seq: 7, caseId: 'CASE-9', kpi: 'onSite', amountMinor: -2_400, why: 'breach_withdrawn',
      },
    });
    expect(creditEvent({ ...entry, amountMinor: 2_400 }, 'NOK').detailType).toBe('Credit Booked');
  });

  it.each([
    ['year.statement', 'Year Closed', 'year.closed'],
    ['termination.confirmed', 'Termination Accepted', 'termination.accepted'],
    ['contract.ended', 'Contract Ended', 'contract.ended'],
  ] as const)('a %s notice carries a %s event with the notice id', (noticeType, detailType, type) => {
    const event = noticeBillingEvent({ id: `${noticeType}#C-1`, payload: aNotice(noticeType), createdAt: AT });
    expect(event?.detailType).toBe(detailType);
    expect(event?.detail).toMatchObject({ version: 1, type, id: `${noticeType}#C-1`, contractId: 'C-1', currency: 'NOK' });
  });

  it('the amount due of a closed year is the statement\'s', () => {
    const payload = aNotice('year.statement');
    const event = noticeBillingEvent({ id: 'year.statement#C-1#1', payload, createdAt: AT });
    if (payload.type !== 'year.statement') throw new Error('unreachable');
    expect(event?.detail).toMatchObject({ amountDueNextYearMinor: payload.year.amountDueNextYearMinor, creditsMinor: payload.year.creditsMinor });
  });

  it('other notices tell billing nothing', () => {
    expect(noticeBillingEvent({ id: 'x', payload: aNotice('credit.issued'), createdAt: AT })).toBeNull();
  });
});

describe('the EventBridge bus', () => {
  const events = Array.from({ length: 3 }, (_, i) =>
    creditEvent({ contractId: 'C-1', yearIndex: 1, seq: i + 1, caseId: 'CASE-1', kpi: 'resolution', amountMinor: 500, bookedAt: AT, why: 'breach_declared' }, 'EUR'),
  );

  it('puts each event on the bus with source aftercare.billing, its detail-type and its detail as JSON', async () => {
    // Prepare
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: events.map((_, i) => ({ EventId: `e-${i}` })) });
    const bus = eventBridgeBus({ client: new EventBridgeClient({ region: 'eu-north-1' }), eventBusName: 'billing-bus' });
    // Act
    const refused = await bus.put(events);
    // Assess
    expect(refused).toEqual([]);
    const entries = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries).toHaveLength(3);
    expect(entries[0]).toEqual({
      EventBusName: 'billing-bus', Source: BILLING_EVENT_SOURCE, DetailType: 'Credit Booked', Detail: JSON.stringify(events[0]?.detail), Time: new Date(AT),
    });
    eventBridge.restore();
  });

  it('returns the entries the bus refused, by position', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e-0' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }, { EventId: 'e-2' }],
    });
    const bus = eventBridgeBus({ client: new EventBridgeClient({ region: 'eu-north-1' }), eventBusName: 'billing-bus' });
    expect(await bus.put(events)).toEqual([{ index: 1, code: 'ThrottlingException' }]);
    eventBridge.restore();
  });

  it('refuses more than 10 entries before calling', async () => {
    const bus = eventBridgeBus({ client: new EventBridgeClient({ region: 'eu-north-1' }), eventBusName: 'b' });
    await expect(bus.put([...events, ...events, ...events, ...events])).rejects.toThrow(/at most 10/);
  });
});
