/**
 * docs/design.md#12-contract-changes-and-billing against DynamoDB Local and the SES emulator: a contract indexed 3 % at each
 * renewal, its email changed mid-year (the new address had bounced once and was suppressed), run morning by
 * morning over two years. The customer gets exactly the expected reminders and statements, each with the
 * fee of the year it is about, at the address in force; the invoice run lists the same amounts, and billing is
 * told the same on its bus: every commit's outbox items go through the billing handler as the stream would
 * hand them (the local stack's path: `BillingOutboxDriver`, the local bus in the table), as in
 * billing-events.test.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BillingOutboxDriver, readLocalBillingEvents, tableBillingBus, type LocalBillingEvent } from '#cli/local/billing-sink.ts';
import { createTable } from '#cli/local/emulators.ts';
import { invoicesCsv } from '#cli/invoices/invoices-csv.ts';
import { CreatedNotices, watchedStore } from '#cli/local/notice-outbox.ts';
import { addDays, instantOfWallTime, startOfLocalDate } from '#domain/time.ts';
import type { AftercareEventV1 } from '#events/v1.ts';
import { buildBillingHandler } from '#functions/billing/wiring.ts';
import { sesNoticeSender } from '#notices/sender.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { DynamoCreditState } from '#store/dynamo-credit-state.ts';
import { DynamoDeliveryFeedbackRepository } from '#store/dynamo-delivery-feedback-repository.ts';
import { DynamoNoticeRepository } from '#store/dynamo-notice-repository.ts';
import { DynamoPortfolioRepository } from '#store/dynamo-portfolio-repository.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { suppressionKey } from '#store/feedback-items.ts';
import { DynamoLifecycleRepository } from '#store/lifecycle-repository.ts';
import { makeNoticeDelivery } from '#usecases/deliver-notice.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { invoiceRun } from '#usecases/invoices.ts';
import { makeLifecycle } from '#usecases/lifecycle.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { aCaseEvent, aRegistration, anEvent, defaultCatalog, TestClock } from '#test/support/factories/events.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';

const local = useEmulators();
const dynamo = new DynamoDBClient(local.dynamodb);
const documents = documentClient(dynamo);
const ses = new SESv2Client(local.ses);
const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
const contractId = `C-${local.queuePrefix}`;
const oldEmail = `${local.queuePrefix}@gammel.example`;
const newEmail = `${local.queuePrefix}@ny.example`;
const tableName = local.tableName;

const logger = makeLogger('billing');
const billing = new BillingOutboxDriver(
  buildBillingHandler({
    table: { documents, tableName },
    clock,
    logger,
    metrics: makeMetrics('AftercareTest', 'billing', logger),
    bus: tableBillingBus({ documents, tableName, clock }),
    sleep: () => Promise.resolve(),
  }),
);
const store = watchedStore(new DynamoStore({ client: documents, tableName }), new CreatedNotices(), (writes) => billing.note(writes));
const feedback = new DynamoDeliveryFeedbackRepository({ client: documents, tableName });
const intake = makeIntake({ store, catalog: defaultCatalog(), clock, suppressions: feedback });
/** The every-minute sweep: it books what intake recorded (run here after each event). */
const sweep = makeSweep({ store, catalog: defaultCatalog(), clock });
const lifecycle = makeLifecycle({ store, contracts: new DynamoLifecycleRepository({ client: documents, tableName }), catalog: defaultCatalog(), clock });
const notices = new DynamoNoticeRepository({ client: documents, tableName });
const delivery = makeNoticeDelivery({
  notices,
  sender: sesNoticeSender({ client: ses, from: 'aftercare@provider.example', configurationSetName: 'aftercare-test' }),
  suppressions: feedback,
  clock,
  credits: new DynamoCreditState({ client: documents, tableName }),
  catalog: defaultCatalog(),
  operatorEmail: 'drift@provider.example',
  sleep: () => Promise.resolve(),
});

const amendment = (eventId: string, occurredAt: string, fields: Record<string, unknown>): AftercareEventV1 =>
  anEvent({ eventId, type: 'contract.amended', occurredAt, contractId, ...fields });

function aLateResponse(caseId: string, openedAt: string, respondedAfterMinutes: number): AftercareEventV1[] {
  const opened = Date.parse(openedAt);
  const later = (minutes: number): string => new Date(opened + minutes * 60_000).toISOString();
  return [
    aCaseEvent('case.opened', { contractId, caseId, at: openedAt }),
    aCaseEvent('case.responded', { contractId, caseId, at: later(respondedAfterMinutes) }),
    aCaseEvent('case.resolved', { contractId, caseId, at: later(240) }),
  ];
}

const EVENTS: AftercareEventV1[] = [
  aRegistration({ contractId, eventId: `crm-${contractId}-registered`, customer: { name: 'Nordlys Logistikk AS', email: oldEmail, locale: 'nb' } }),
  ...aLateResponse('K-1', '2026-03-02T09:00:00Z', 30), // 2 % of 120 000.00 = 2 400.00
  amendment('contact-2026-06', '2026-06-01T10:00:00+02:00', { customer: { email: newEmail } }),
  amendment('index-2027', '2026-08-20T10:00:00+02:00', { fromYear: 2, annualFee: { amount: '123600.00', currency: 'NOK' } }),
  ...aLateResponse('K-2', '2027-04-05T08:00:00Z', 45), // 2 % of 123 600.00 = 2 472.00
  amendment('index-2028', '2027-08-20T10:00:00+02:00', { fromYear: 3, annualFee: { amount: '127308.00', currency: 'NOK' } }),
].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));

async function deliverPending(): Promise<void> {
  const partition = await store.readContractPartition(contractId);
  for (const notice of partition.notices.filter((n) => n.state === 'pending')) await delivery.deliver({ contractId, id: notice.id });
}

let billingEvents: LocalBillingEvent[] = [];

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  await createTable(dynamo, tableName, { stream: false });
  // The new address bounced once, before it was corrected at the customer: it is suppressed.
  await documents.send(
    new PutCommand({ TableName: tableName, Item: { ...suppressionKey(newEmail), entity: 'suppression', reason: 'permanent bounce', noticeId: 'n-0', since: 0 } }),
  );
  let next = 0;
  for (let date = '2025-12-15'; date <= '2028-01-02'; date = addDays(date, 1)) {
    clock.at = instantOfWallTime(date, 6 * 60, 'Europe/Oslo');
    await lifecycle.run();
    await billing.publishCreated();
    await deliverPending();
    const dayEnd = startOfLocalDate(addDays(date, 1), 'Europe/Oslo');
    for (; next < EVENTS.length && Date.parse((EVENTS[next] as AftercareEventV1).occurredAt) < dayEnd; next += 1) {
      const event = EVENTS[next] as AftercareEventV1;
      clock.at = Date.parse(event.occurredAt) + 1_000;
      expect((await intake.processEvent(event)).kind).toBe('applied');
      await sweep.run();
      await billing.publishCreated();
    }
    // Credit notices wait for the year to settle (15 minutes): deliver them in the evening.
    clock.at = instantOfWallTime(date, 22 * 60, 'Europe/Oslo');
    await deliverPending();
  }
  billingEvents = (await readLocalBillingEvents(documents, tableName)).filter((event) => event.detail.contractId === contractId);
}, 900_000);

afterAll(() => {
  vi.unstubAllEnvs();
  dynamo.destroy();
  ses.destroy();
});

describe('an indexed contract whose email changed mid-year, over two years', () => {
  it('sends exactly the expected notices, on the expected days, to the address in force when each was created', async () => {
    const { notices: all } = await store.readContractPartition(contractId);
    const customer = all.filter((n) => n.audience === 'customer');
    expect(customer.map((n) => [n.id, new Date(n.createdAt).toISOString().slice(0, 10), n.to, n.state]).sort()).toEqual([
      [`credit.issued#${contractId}#1#K-1#firstResponse`, '2026-03-02', oldEmail, 'sent'],
      [`credit.issued#${contractId}#2#K-2#firstResponse`, '2027-04-05', newEmail, 'sent'],
      [`renewal.reminder#${contractId}#2027-01-01#120`, '2026-09-03', newEmail, 'sent'],
      [`renewal.reminder#${contractId}#2027-01-01#30`, '2026-12-02', newEmail, 'sent'],
      [`renewal.reminder#${contractId}#2028-01-01#120`, '2027-09-03', newEmail, 'sent'],
      [`renewal.reminder#${contractId}#2028-01-01#30`, '2027-12-02', newEmail, 'sent'],
      [`year.statement#${contractId}#1`, '2027-01-01', newEmail, 'sent'],
      [`year.statement#${contractId}#2`, '2028-01-01', newEmail, 'sent'],
    ]);
    const emails = await local.sesStore();
    expect(emails.filter((e) => e.destination.to.includes(oldEmail))).toHaveLength(1);
    expect(emails.filter((e) => e.destination.to.includes(newEmail))).toHaveLength(7);
  });

  it('tells each reminder and statement the fee of the year it is about, less the credits of the year before', async () => {
    const { notices: all } = await store.readContractPartition(contractId);
    const payloadOf = (id: string) => all.find((n) => n.id === id)?.payload;
    for (const days of [120, 30]) {
      expect(payloadOf(`renewal.reminder#${contractId}#2027-01-01#${days}`)).toMatchObject({ nextFeeMinor: 12_360_000, creditsDeductedMinor: 240_000, amountDueMinor: 12_120_000 });
      expect(payloadOf(`renewal.reminder#${contractId}#2028-01-01#${days}`)).toMatchObject({ nextFeeMinor: 12_730_800, creditsDeductedMinor: 247_200, amountDueMinor: 12_483_600 });
    }
    expect(payloadOf(`year.statement#${contractId}#1`)).toMatchObject({
      year: { index: 1, feeMinor: 12_000_000, creditsMinor: 240_000, nextYearFeeMinor: 12_360_000, amountDueNextYearMinor: 12_120_000 },
    });
    expect(payloadOf(`year.statement#${contractId}#2`)).toMatchObject({
      year: { index: 2, feeMinor: 12_360_000, creditsMinor: 247_200, nextYearFeeMinor: 12_730_800, amountDueNextYearMinor: 12_483_600 },
    });
    const statementEmail = (await local.sesStore()).find((e) => e.destination.to.includes(newEmail) && e.subject.includes('avtaleår 2'));
    expect(statementEmail?.body.text?.replace(/\s+/g, ' ')).toContain('127 308,00 kr − 2 472,00 kr = 124 836,00 kr');
  });

  it('lifted the suppression of the amended address', async () => {
    expect(await feedback.suppressionOf(newEmail)).toBeNull();
  });

  it('lists the same amounts in the invoice run', async () => {
    const rows = await invoiceRun({
      portfolio: new DynamoPortfolioRepository({ client: documents, tableName }),
      store,
      catalog: defaultCatalog(),
      from: '2027-01-01',
      to: '2028-01-01',
      now: clock.now(),
    });
    expect(invoicesCsv(rows)).toBe(
      'contract_id,customer,renewal_date,year,fee,credits_deducted,amount_due,currency\r\n' +
        `${contractId},Nordlys Logistikk AS,2027-01-01,2,123600.00,2400.00,121200.00,NOK\r\n` +
        `${contractId},Nordlys Logistikk AS,2028-01-01,3,127308.00,2472.00,124836.00,NOK\r\n`,
    );
  });

  it('tells billing on its bus the two credits booked and the two closed years, with the indexed fees and the amounts due', () => {
    // Put order (the local bus keeps it), each event once, ids as the notices' and the ledger's:
    //  - K-1 answered 30 min after it opened (premium: 15 min) on 2026-03-02, applied at 09:30:01Z: year 1,
    //    ledger entry 1, 2 % of year 1's fee 120 000.00 = 2 400.00 (240 000 minor).
    //  - Year 1 closes at the lifecycle run of 2027-01-01 06:00 Oslo (05:00Z): fee 120 000.00, credits 2 400.00,
    //    amount due = year 2's fee (indexed 3 %: 123 600.00) − 2 400.00 = 121 200.00 (not 120 000.00 − 2 400.00).
    //  - K-2 answered 45 min after it opened on 2027-04-05, applied at 08:45:01Z: year 2, ledger entry 1,
    //    2 % of year 2's fee 123 600.00 = 2 472.00.
    //  - Year 2 closes on 2028-01-01 at 05:00Z: fee 123 600.00, credits 2 472.00,
    //    amount due = year 3's fee 127 308.00 − 2 472.00 = 124 836.00.
    // The amendments themselves (contact, fees) are no billing event: the fee reaches billing in the year closed.
    const common = { version: 1, contractId, currency: 'NOK' };
    const credit = { type: 'credit.booked', kpi: 'firstResponse', why: 'breach_declared', seq: 1 };
    expect(billingEvents.map((event) => [event.source, event.detailType, event.detail])).toEqual([
      [
        'aftercare.billing',
        'Credit Booked',
        { ...common, ...credit, id: `credit.booked#${contractId}#1#1`, occurredAt: '2026-03-02T09:30:01.000Z', yearIndex: 1, caseId: 'K-1', amountMinor: 240_000 },
      ],
      [
        'aftercare.billing',
        'Year Closed',
        {
          ...common,
          type: 'year.closed',
          id: `year.statement#${contractId}#1`,
          occurredAt: '2027-01-01T05:00:00.000Z',
          yearIndex: 1,
          start: '2026-01-01',
          end: '2027-01-01',
          feeMinor: 12_000_000,
          creditsMinor: 240_000,
          amountDueNextYearMinor: 12_120_000,
        },
      ],
      [
        'aftercare.billing',
        'Credit Booked',
        { ...common, ...credit, id: `credit.booked#${contractId}#2#1`, occurredAt: '2027-04-05T08:45:01.000Z', yearIndex: 2, caseId: 'K-2', amountMinor: 247_200 },
      ],
      [
        'aftercare.billing',
        'Year Closed',
        {
          ...common,
          type: 'year.closed',
          id: `year.statement#${contractId}#2`,
          occurredAt: '2028-01-01T05:00:00.000Z',
          yearIndex: 2,
          start: '2027-01-01',
          end: '2028-01-01',
          feeMinor: 12_360_000,
          creditsMinor: 247_200,
          amountDueNextYearMinor: 12_483_600,
        },
      ],
    ]);
  });
});
