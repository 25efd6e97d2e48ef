/**
 * Contract changes (docs/design.md#12-contract-changes-and-billing): what terms are in force for a contract year or a term
 * once `contract.amended` changes them, and whether an amendment is accepted. Pure: the catalog check
 * (is the level known) is the caller's.
 */
import type { ContractTerms, Customer, Termination, TermsChange } from './model.ts';
import { contractYear, termSettings, yearIndexAt } from './terms.ts';
import { localDateAt, type Instant } from './time.ts';

/** The most changes one contract keeps: they live on the contract item, which must stay far below 400 KB. */
export const MAX_CONTRACT_CHANGES = 100;

/** What an amendment asks for, in domain form (money in minor units, the instant it occurred). */
export interface AmendmentRequest {
  readonly source: string;
  readonly eventId: string;
  readonly occurredAt: Instant;
  readonly fromYear: number | null;
  readonly customer?: Partial<Customer>;
  readonly pools?: readonly string[];
  readonly annualFee?: { readonly minor: number; readonly currency: string };
  readonly serviceLevel?: string;
  readonly autoRenew?: boolean;
  readonly noticeDays?: number;
  readonly reminderDays?: readonly number[];
}

export type AmendmentDecision =
  | { readonly accepted: true; readonly terms: ContractTerms; readonly change: TermsChange }
  | { readonly accepted: false; readonly reason: string };

const changesOf = (terms: ContractTerms): readonly TermsChange[] => terms.changes ?? [];

/** The contact in force: the registered one, each field as the latest amendment that set it says. */
function contactWith(current: Customer, later: readonly TermsChange[], change: Partial<Customer>): Customer {
  const setLater = (field: keyof Customer): boolean => later.some((c) => c.customer?.[field] !== undefined);
  return {
    name: change.name !== undefined && !setLater('name') ? change.name : current.name,
    email: change.email !== undefined && !setLater('email') ? change.email : current.email,
    locale: change.locale !== undefined && !setLater('locale') ? change.locale : current.locale,
  };
}

function refuse(reason: string): AmendmentDecision {
  return { accepted: false, reason };
}

/**
 * Decides a `contract.amended` against the terms and the contract's end (docs/design.md#12-contract-changes-and-billing):
 * the contact and pools change at once; the fee, level and renewal settings from `fromYear` on, which must
 * not have begun when the amendment occurred (nor lie after the contract's end). Changes are kept in
 * occurrence order, so amendments arriving out of order give the same terms.
 * `contractEndsAt` is the end as known before the amendment (terms.ts), null when it renews indefinitely.
 */
export function decideAmendment(input: {
  readonly terms: ContractTerms;
  readonly termination: Termination | null;
  readonly contractEndsAt: Instant | null;
  readonly request: AmendmentRequest;
}): AmendmentDecision {
  const { terms, contractEndsAt, request } = input;
  const changes = changesOf(terms);
  if (contractEndsAt !== null && request.occurredAt >= contractEndsAt) {
    return refuse(`contract ended on ${localDateAt(contractEndsAt, terms.timeZone)}: it can no longer be amended`);
  }
  if (changes.length >= MAX_CONTRACT_CHANGES) {
    return refuse(`contract ${terms.contractId} already holds ${MAX_CONTRACT_CHANGES} amendments, the most one contract keeps`);
  }
  if (request.annualFee !== undefined && request.annualFee.currency !== terms.annualFee.currency) {
    return refuse(`the fee's currency ${request.annualFee.currency} is not the contract's currency ${terms.annualFee.currency}`);
  }
  const { fromYear } = request;
  if (fromYear !== null) {
    const year = contractYear(terms, fromYear);
    if (year.startsAt <= request.occurredAt) {
      const next = contractYear(terms, Math.max(fromYear, yearIndexAt(terms, request.occurredAt)) + 1);
      return refuse(
        `contract year ${fromYear} began on ${year.start}: the fee, service level and renewal terms change only from a year ` +
          `that has not begun (year ${next.index}, from ${next.start}, or later)`,
      );
    }
    if (contractEndsAt !== null && year.startsAt >= contractEndsAt) {
      return refuse(`contract year ${fromYear} would begin on ${year.start}, after the contract ends on ${localDateAt(contractEndsAt, terms.timeZone)}`);
    }
  }

  const change: TermsChange = {
    source: request.source,
    eventId: request.eventId,
    occurredAt: request.occurredAt,
    fromYear,
    ...(request.customer === undefined ? {} : { customer: request.customer }),
    ...(request.pools === undefined ? {} : { pools: request.pools }),
    ...(request.annualFee === undefined ? {} : { annualFeeMinor: request.annualFee.minor }),
    ...(request.serviceLevel === undefined ? {} : { serviceLevel: request.serviceLevel }),
    ...(request.autoRenew === undefined ? {} : { autoRenew: request.autoRenew }),
    ...(request.noticeDays === undefined ? {} : { noticeDays: request.noticeDays }),
    ...(request.reminderDays === undefined ? {} : { reminderDays: [...request.reminderDays] }),
  };
  const withDefaultReminders =
    request.noticeDays !== undefined && request.reminderDays === undefined && fromYear !== null
      ? defaultRemindersFollow(terms, fromYear, request.noticeDays)
      : null;
  const kept: TermsChange = withDefaultReminders === null ? change : { ...change, reminderDays: withDefaultReminders };

  const at = changes.findIndex((c) => c.occurredAt > kept.occurredAt || (c.occurredAt === kept.occurredAt && c.eventId > kept.eventId));
  const position = at === -1 ? changes.length : at;
  const ordered = [...changes.slice(0, position), kept, ...changes.slice(position)];
  const later = changes.slice(position);
  const poolsSetLater = later.some((c) => c.pools !== undefined);
  return {
    accepted: true,
    change: kept,
    terms: {
      ...terms,
      customer: kept.customer === undefined ? terms.customer : contactWith(terms.customer, later, kept.customer),
      ...(kept.pools === undefined || poolsSetLater ? {} : { pools: kept.pools }),
      changes: ordered,
    },
  };
}

/**
 * docs/design.md#4-contracts: reminder days default to `[noticeDays + 30, 30]`. A notice period amended
 * without reminder days takes the default along when the terms it changes still use the default.
 */
function defaultRemindersFollow(terms: ContractTerms, fromYear: number, noticeDays: number): readonly number[] | null {
  const before = termSettings(terms, contractYear(terms, fromYear).start);
  const isDefault = before.reminderDays.length === 2 && before.reminderDays[0] === before.noticeDays + 30 && before.reminderDays[1] === 30;
  return isDefault ? [noticeDays + 30, 30] : null;
}
