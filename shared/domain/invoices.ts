/**
 * The amounts due at the renewals in a period (docs/design.md#12-contract-changes-and-billing), for a finance team's invoice
 * run: at the start of each contract year k+1 (k ≥ 1) the fee of year k+1 less the credits of year k, never below zero.
 * Pure: it reads the years of a statement or of a replay output.
 */
import type { LocalDate } from './time.ts';

/** A contract year as a statement or the replay output reports it. */
export interface InvoicedYear {
  readonly index: number;
  /** Exclusive end: the first day of the next year, the renewal date. */
  readonly end: LocalDate;
  readonly creditsMinor: number;
  /** The next year's own fee; null (or absent in older outputs) when the contract ends with this year. */
  readonly nextYearFeeMinor?: number | null;
  readonly amountDueNextYearMinor: number;
}

export interface InvoicedContract {
  readonly contractId: string;
  readonly customerName: string;
  readonly currency: string;
  readonly years: readonly InvoicedYear[];
}

export interface RenewalInvoice {
  readonly contractId: string;
  readonly customerName: string;
  /** The first day of the year invoiced (contract-local). */
  readonly renewalDate: LocalDate;
  /** The contract year invoiced (k+1). */
  readonly year: number;
  readonly feeMinor: number;
  /** Credits of the year before, as far as they fit the fee (the amount due never goes below zero). */
  readonly creditsDeductedMinor: number;
  readonly amountDueMinor: number;
  readonly currency: string;
}

/** Every renewal dated `from` through `to` (inclusive), by date, then contract. */
export function renewalInvoices(contracts: readonly InvoicedContract[], from: LocalDate, to: LocalDate): RenewalInvoice[] {
  const rows = contracts.flatMap((contract) =>
    contract.years.flatMap((year): RenewalInvoice[] => {
      const feeMinor = year.nextYearFeeMinor;
      if (feeMinor === null || feeMinor === undefined || year.end < from || year.end > to) return [];
      return [
        {
          contractId: contract.contractId,
          customerName: contract.customerName,
          renewalDate: year.end,
          year: year.index + 1,
          feeMinor,
          creditsDeductedMinor: feeMinor - year.amountDueNextYearMinor,
          amountDueMinor: year.amountDueNextYearMinor,
          currency: contract.currency,
        },
      ];
    }),
  );
  return rows.sort((a, b) =>
    a.renewalDate !== b.renewalDate ? (a.renewalDate < b.renewalDate ? -1 : 1) : a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0,
  );
}
