/**
 * docs/design.md#12-contract-changes-and-billing: `aftercare invoices` lists the amount due at every renewal in a period — the
 * next year's own fee less the credits of the year before — as CSV a spreadsheet reads as it was meant.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renewalInvoices, type InvoicedContract } from '#domain/invoices.ts';
import { invoiceRun } from '#usecases/invoices.ts';
import { makeIntake } from '#usecases/intake.ts';
import { csvField, invoicesCsv } from '#cli/invoices/invoices-csv.ts';
import { runCli } from '#cli/main.ts';
import type { Output } from '#cli/output.ts';
import { MemoryPortfolio } from '#test/support/memory-portfolio.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, anEvent, defaultCatalog, TestClock } from '#test/support/factories/events.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';

const year = (index: number, end: string, creditsMinor: number, nextYearFeeMinor: number | null) => ({
  index,
  end,
  creditsMinor,
  nextYearFeeMinor,
  amountDueNextYearMinor: nextYearFeeMinor === null ? 0 : Math.max(0, nextYearFeeMinor - creditsMinor),
});

const contracts: InvoicedContract[] = [
  {
    contractId: 'C-2',
    customerName: 'Fjord "Nord", Vest & Co',
    currency: 'NOK',
    years: [year(1, '2027-01-01', 840_000, 12_360_000), year(2, '2028-01-01', 0, 12_360_000)],
  },
  { contractId: 'C-1', customerName: '=HYPERLINK("x")', currency: 'JPY', years: [year(1, '2027-01-01', 5_000, 1_000)] },
  { contractId: 'C-3', customerName: 'Ends AS', currency: 'NOK', years: [year(1, '2027-01-01', 100, null)] },
];

describe('the renewals of a period', () => {
  it('are listed from and through the dates given, by date then contract; a contract ending with its year has none', () => {
    // Act
    const rows = renewalInvoices(contracts, '2027-01-01', '2027-12-31');

    // Assess
    expect(rows.map((r) => [r.contractId, r.year, r.feeMinor, r.creditsDeductedMinor, r.amountDueMinor])).toEqual([
      ['C-1', 2, 1_000, 1_000, 0],
      ['C-2', 2, 12_360_000, 840_000, 11_520_000],
    ]);
    expect(renewalInvoices(contracts, '2027-01-02', '2028-01-01').map((r) => [r.contractId, r.year])).toEqual([['C-2', 3]]);
  });

  it('as CSV: quoted where a field holds a comma or quote, formula-looking names defused, amounts in the currency’s digits', () => {
    // Act
    const csv = invoicesCsv(renewalInvoices(contracts, '2027-01-01', '2027-01-01'));

    // Assess
    expect(csv).toBe(
      'contract_id,customer,renewal_date,year,fee,credits_deducted,amount_due,currency\r\n' +
        `C-1,"'=HYPERLINK(""x"")",2027-01-01,2,1000,1000,0,JPY\r\n` +
        'C-2,"Fjord ""Nord"", Vest & Co",2027-01-01,2,123600.00,8400.00,115200.00,NOK\r\n',
    );
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('plain')).toBe('plain');
  });
});

describe('the invoice run over a store', () => {
  it('uses each renewal year’s own fee after an amendment and the credits booked in the year before', async () => {
    // Prepare: C-1 indexed 3 % from year 2, one late first response in year 1 (2 % of 120 000)
    const store = new MemoryStore();
    const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
    await intake.processEvent(aRegistration());
    await intake.processEvent(aRegistration({ contractId: 'C-2', customer: { name: 'Vest, Bygg AS', email: 'a@vest.example', locale: 'en' } }));
    clock.set('2026-03-02T08:01:00Z');
    await intake.processEvent(aCaseEvent('case.opened', { at: '2026-03-02T08:00:00Z' }));
    clock.set('2026-03-02T08:31:00Z');
    await intake.processEvent(aCaseEvent('case.responded', { at: '2026-03-02T08:30:00Z' }));
    await makeSweep({ store, catalog: defaultCatalog(), clock, notices: new MemoryNoticeRepository() }).run(); // declares the late response's breach
    clock.set('2026-03-02T09:01:00Z');
    await intake.processEvent(
      anEvent({ eventId: 'idx', type: 'contract.amended', occurredAt: '2026-03-02T09:00:00Z', contractId: 'C-1', fromYear: 2, annualFee: { amount: '123600.00', currency: 'NOK' } }),
    );

    // Act
    const rows = await invoiceRun({
      portfolio: new MemoryPortfolio(store),
      store,
      catalog: defaultCatalog(),
      from: '2027-01-01',
      to: '2027-01-31',
      now: Date.parse('2026-12-01T00:00:00Z'),
    });

    // Assess
    expect(rows).toEqual([
      { contractId: 'C-1', customerName: 'Nordlys Logistikk AS', renewalDate: '2027-01-01', year: 2, feeMinor: 12_360_000, creditsDeductedMinor: 240_000, amountDueMinor: 12_120_000, currency: 'NOK' },
      { contractId: 'C-2', customerName: 'Vest, Bygg AS', renewalDate: '2027-01-01', year: 2, feeMinor: 12_000_000, creditsDeductedMinor: 0, amountDueMinor: 12_000_000, currency: 'NOK' },
    ]);
  });
});

function captured(): Output & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (text) => outs.push(text), err: (text) => errs.push(text), errIsTty: false };
}

describe('aftercare invoices', () => {
  it.each([
    [['--from', '2027-02-30', '--to', '2027-03-01', '--local'], 'invoices: --from "2027-02-30" is not a date YYYY-MM-DD (e.g. 2027-01-01)'],
    [['--from', '2027-03-01', '--to', '2027-02-01', '--local'], 'invoices: --from 2027-03-01 is after --to 2027-02-01'],
    [['--to', '2027-02-01', '--local'], 'invoices: --from DATE is required (see `aftercare invoices --help`)'],
    [['--from', '2027-01-01', '--to', '2027-02-01'], 'invoices: give --table or --local (see `aftercare invoices --help`)'],
    [['--from', '2027-01-01', '--to', '2027-02-01', '--replay', 'x.json', '--local'], 'invoices: give either --replay or --local, not both'],
  ])('%j fails in one line: %s', async (args, line) => {
    const output = captured();

    const status = await runCli(['invoices', ...args], output);

    expect(status).toBe(2);
    expect(output.errs).toEqual([`aftercare: ${line}`]);
  });

  it('reads a replay output, and names what is wrong with a file that is not one', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'invoices-'));
    const good = join(dir, 'out.json');
    const bad = join(dir, 'bad.json');
    const contract = {
      contractId: 'C-1', customerName: 'Nordlys, Logistikk AS', serviceLevel: 'standard', months: [], pools: [], loans: [], status: 'active', currency: 'NOK', terminationRight: null, rejected: [],
      years: [{ index: 1, start: '2026-01-01', end: '2027-01-01', feeMinor: 12_000_000, breaches: { firstResponse: 1, onSite: 0, replacement: 0, resolution: 0 }, creditsMinor: 240_000, capMinor: 2_400_000, capReached: false, nextYearFeeMinor: 12_360_000, amountDueNextYearMinor: 12_120_000, visits: { count: 0, hoursOnSite: 0, travelHours: 0, kilometres: 0, nights: 0, costMinor: 0 }, revenueMinor: 12_000_000, poolCarryingCostMinor: 0, costToServeMinor: 240_000, marginMinor: 11_760_000, exclusivePoolFeesMinor: 0 }],
    };
    writeFileSync(good, JSON.stringify({ version: 1, asOf: '2027-01-02T00:00:00Z', contracts: [contract], notices: [], deadLetters: [], economics: { levels: [] }, pools: [] }));
    writeFileSync(bad, JSON.stringify({ version: 2 }));
    const ok = captured();
    const refused = captured();

    // Act
    const status = await runCli(['invoices', '--from', '2027-01-01', '--to', '2027-01-01', '--replay', good], ok);
    const badStatus = await runCli(['invoices', '--from', '2027-01-01', '--to', '2027-01-01', '--replay', bad], refused);

    // Assess
    expect(status).toBe(0);
    expect(ok.outs.join('')).toBe(
      'contract_id,customer,renewal_date,year,fee,credits_deducted,amount_due,currency\r\nC-1,"Nordlys, Logistikk AS",2027-01-01,2,123600.00,2400.00,121200.00,NOK\r\n',
    );
    expect(badStatus).toBe(1);
    expect(refused.errs[0]).toMatch(/^aftercare: invoices: .*bad\.json is not a replay output \(version 1\) at version: /);
  });
});
