/**
 * The invoice run as CSV (RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote or line
 * break quoted, quotes doubled) and as JSON. Amounts in CSV are decimals in the currency's own digits.
 */
import type { RenewalInvoice } from '#domain/invoices.ts';
import { minorToDecimal, minorUnitDigits } from '#domain/money.ts';

export const INVOICE_COLUMNS = ['contract_id', 'customer', 'renewal_date', 'year', 'fee', 'credits_deducted', 'amount_due', 'currency'] as const;

/**
 * One CSV field. A text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is
 * prefixed with an apostrophe (OWASP's CSV injection advice): customer names come from a CRM.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function invoicesCsv(rows: readonly RenewalInvoice[]): string {
  const money = (minor: number, currency: string): string => minorToDecimal(minor, minorUnitDigits(currency));
  const lines = [
    INVOICE_COLUMNS.join(','),
    ...rows.map((row) =>
      [
        csvField(row.contractId),
        csvField(row.customerName),
        row.renewalDate,
        String(row.year),
        money(row.feeMinor, row.currency),
        money(row.creditsDeductedMinor, row.currency),
        money(row.amountDueMinor, row.currency),
        row.currency,
      ].join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export function invoicesJson(rows: readonly RenewalInvoice[], from: string, to: string): unknown {
  return { from, to, renewals: rows };
}
