/**
 * The customer notices of a lifecycle day (docs/design.md#7-notices), with deterministic ids: a reminder per term end
 * and days before, a statement per contract year, one end per contract — so a rerun never sends twice.
 */
import type { LifecycleOccurrence } from '#domain/lifecycle.ts';
import type { ServiceLevel } from '#domain/model.ts';
import type { YearStatement } from '#domain/statement.ts';
import type { Instant } from '#domain/time.ts';
import type { NoticePayload, YearFigures } from '#notices/types.ts';
import type { ContractRecord, NoticeRecord } from '#store/store.ts';
import { contractContext } from './notice-factory.ts';

function yearFigures(year: YearStatement): YearFigures {
  return {
    index: year.index,
    start: year.start,
    end: year.end,
    feeMinor: year.feeMinor,
    breaches: year.breaches,
    kpisMetPercent: year.kpisMetPercent,
    creditsMinor: year.creditsMinor,
    capMinor: year.capMinor,
    ...(year.nextYearFeeMinor === null ? {} : { nextYearFeeMinor: year.nextYearFeeMinor }),
    amountDueNextYearMinor: year.amountDueNextYearMinor,
  };
}

/** The notice an occurrence sends, or null for one the customer is not told about (renewal, a right lapsing). */
export function lifecycleNotice(
  contract: ContractRecord,
  level: ServiceLevel,
  occurrence: LifecycleOccurrence,
  createdAt: Instant,
): NoticeRecord | null {
  const { contractId } = contract.terms;
  const context = contractContext(contract, level);
  const notice = (id: string, payload: NoticePayload): NoticeRecord => ({
    id,
    contractId,
    type: payload.type,
    audience: 'customer',
    to: contract.terms.customer.email,
    locale: contract.terms.customer.locale,
    payload,
    createdAt,
  });
  switch (occurrence.kind) {
    case 'renewalReminder': {
      const { termEnd, daysBefore, nextFeeMinor, creditsDeductedMinor, amountDueMinor, noticeDeadline } = occurrence;
      return notice(`renewal.reminder#${contractId}#${termEnd}#${daysBefore}`, {
        type: 'renewal.reminder',
        contract: context,
        termEnd,
        nextFeeMinor,
        creditsDeductedMinor,
        amountDueMinor,
        noticeDeadline,
      });
    }
    case 'expiryReminder':
      return notice(`term.expiry_reminder#${contractId}#${occurrence.termEnd}#${occurrence.daysBefore}`, {
        type: 'term.expiry_reminder',
        contract: context,
        termEnd: occurrence.termEnd,
        because: occurrence.because,
        creditsOwedMinor: occurrence.creditsOwedMinor,
      });
    case 'yearClosed':
      return notice(`year.statement#${contractId}#${occurrence.year.index}`, {
        type: 'year.statement',
        contract: context,
        year: yearFigures(occurrence.year),
      });
    case 'ended':
      return notice(`contract.ended#${contractId}`, {
        type: 'contract.ended',
        contract: context,
        endedOn: occurrence.endedOn,
        years: occurrence.years.map(yearFigures),
        creditsOwedMinor: occurrence.creditsOwedMinor,
      });
    case 'renewed':
    case 'terminationRightLapsed':
      return null;
  }
}
