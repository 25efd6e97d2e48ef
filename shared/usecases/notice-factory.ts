/**
 * Outbox notices with deterministic ids (docs/design.md#7-notices): the same cause always yields the same notice id,
 * so a notice exists at most once. Customer notices snapshot the recipient from the contract.
 */
import type { Kpi, ServiceLevel, Termination } from '#domain/model.ts';
import { yearIndexAt } from '#domain/terms.ts';
import { addDays, localDateAt, startOfLocalDate, toIso, type Instant } from '#domain/time.ts';
import type { ContractContext, NoticePayload } from '#notices/types.ts';
import type { ContractRecord, NoticeRecord, QuarantineRecord, YearRecord } from '#store/store.ts';

export function contractContext(contract: ContractRecord, level: ServiceLevel): ContractContext {
  const { terms } = contract;
  return {
    contractId: terms.contractId,
    customerName: terms.customer.name,
    serviceLevelName: level.name[terms.customer.locale],
    currency: terms.annualFee.currency,
    timeZone: terms.timeZone,
  };
}

function customerNotice(contract: ContractRecord, id: string, payload: NoticePayload, createdAt: Instant): NoticeRecord {
  const { contractId, customer } = contract.terms;
  return { id, contractId, type: payload.type, audience: 'customer', to: customer.email, locale: customer.locale, payload, createdAt };
}

function operationsNotice(contractId: string | null, id: string, payload: NoticePayload, createdAt: Instant): NoticeRecord {
  return { id, contractId, type: payload.type, audience: 'operations', to: null, locale: null, payload, createdAt };
}

/**
 * One per breach and contract year: a breach whose deadline moves into another year (a late pause) is
 * booked there with its own notice, while the first year's notice stays what it was.
 */
export function creditIssuedNotice(
  contract: ContractRecord,
  payload: Extract<NoticePayload, { type: 'credit.issued' }>,
  createdAt: Instant,
): NoticeRecord {
  const id = `credit.issued#${contract.terms.contractId}#${payload.yearIndex}#${payload.caseId}#${payload.kpi}`;
  return customerNotice(contract, id, payload, createdAt);
}

/**
 * One per contract year and instant of recomputation. Not the ledger's sequence number: how many entries
 * came before depends on how the batches of earlier instants interleaved (a credit booked and reversed
 * inside one instant), while what the notice tells is decided when it is sent — the difference between
 * what the customer was told and what the year books then (credit-notice-check.ts). Recomputations of
 * one year at one instant share the notice: the first one written stands, and says it all when sent.
 */
export function creditAdjustedNotice(
  contract: ContractRecord,
  payload: Extract<NoticePayload, { type: 'credit.adjusted' }>,
  createdAt: Instant,
): NoticeRecord {
  const id = `credit.adjusted#${contract.terms.contractId}#${payload.yearIndex}#${toIso(createdAt)}`;
  return customerNotice(contract, id, payload, createdAt);
}

export function capReachedNotice(
  contract: ContractRecord,
  payload: Extract<NoticePayload, { type: 'credit.cap_reached' }>,
  createdAt: Instant,
): NoticeRecord {
  const since = new Date(payload.rightSince).toISOString();
  const id = `credit.cap_reached#${contract.terms.contractId}#${payload.yearIndex}#${since}`;
  return customerNotice(contract, id, payload, createdAt);
}

export function breachWarningNotice(
  contractId: string,
  warning: { caseId: string; kpi: Kpi; deadline: Instant; percent: number },
  createdAt: Instant,
): NoticeRecord {
  const id = `ops.breach_warning#${contractId}#${warning.caseId}#${warning.kpi}`;
  return operationsNotice(contractId, id, { type: 'ops.breach_warning', contractId, ...warning }, createdAt);
}

/**
 * One per identity and body, like its RejectedRecord: `ops.event_rejected#<source>#<digest>#<eventId>` (a
 * source never holds `#`, the digest is 43 characters of base64url), so a conflicting duplicate alerts once.
 */
export function eventRejectedNotice(
  rejection: { contractId: string; source: string; eventId: string; digest: string; eventType: string; reason: string },
  createdAt: Instant,
): NoticeRecord {
  const { digest, ...payload } = rejection;
  const id = `ops.event_rejected#${rejection.source}#${digest}#${rejection.eventId}`;
  return operationsNotice(rejection.contractId, id, { type: 'ops.event_rejected', ...payload }, createdAt);
}

/** One a day at most: the id carries the UTC date of the sweep that raised it. */
export function parkedEventsNotice(
  parked: Omit<Extract<NoticePayload, { type: 'ops.parked_events' }>, 'type'>,
  createdAt: Instant,
): NoticeRecord {
  const id = `ops.parked_events#${new Date(createdAt).toISOString().slice(0, 10)}`;
  return operationsNotice(null, id, { type: 'ops.parked_events', ...parked }, createdAt);
}

/** One per quarantine: the id carries the instant, so an item re-driven and quarantined again is alerted again. */
export function itemQuarantinedNotice(record: QuarantineRecord): NoticeRecord {
  const { contractId, kind, id, attempts, reason, at } = record;
  const noticeId = `ops.item_quarantined#${kind}#${contractId}#${id}#${new Date(at).toISOString()}`;
  return operationsNotice(contractId, noticeId, { type: 'ops.item_quarantined', contractId, item: kind, itemId: id, attempts, reason }, at);
}

function bookedMinor(year: YearRecord | undefined): number {
  return year === undefined ? 0 : Object.values(year.booked).reduce((sum, amount) => sum + amount, 0);
}

/**
 * The customer's confirmation of an accepted termination (docs/design.md#7-notices), created with it: when the contract
 * ends, what happens to the credits (the year that ends with the contract is owed in the final statement;
 * a closed year's were deducted), and when the final statement comes. One per termination event identity.
 * `years`: the contract years holding the request and the one before, as stored (absent when empty).
 */
export function terminationConfirmedNotice(input: {
  readonly contract: ContractRecord;
  readonly level: ServiceLevel;
  readonly termination: Termination;
  readonly source: string;
  readonly years: readonly YearRecord[];
  readonly createdAt: Instant;
}): NoticeRecord {
  const { contract, level, termination, source, years, createdAt } = input;
  const { terms } = contract;
  const yearIndex = Math.max(1, yearIndexAt(terms, termination.requestedAt));
  const endsAt = termination.effectiveAt;
  const localEnd = localDateAt(endsAt, terms.timeZone);
  const atMidnight = startOfLocalDate(localEnd, terms.timeZone) === endsAt;
  const payload: Extract<NoticePayload, { type: 'termination.confirmed' }> = {
    type: 'termination.confirmed',
    contract: contractContext(contract, level),
    reason: termination.reason,
    requestedAt: termination.requestedAt,
    endsAt,
    endDate: atMidnight ? localEnd : null,
    yearIndex,
    yearCreditsMinor: bookedMinor(years.find((y) => y.yearIndex === yearIndex)),
    endsInThisYear: yearIndexAt(terms, endsAt - 1) <= yearIndex,
    previousYearCreditsMinor: bookedMinor(years.find((y) => y.yearIndex === yearIndex - 1)),
    // The lifecycle handles an end on the date whose start is at or after it (domain/lifecycle.ts).
    finalStatementOn: atMidnight ? localEnd : addDays(localEnd, 1),
  };
  const id = `termination.confirmed#${terms.contractId}#${source}#${termination.eventId}`;
  return customerNotice(contract, id, payload, createdAt);
}
