/**
 * From the public contract to the domain's vocabulary: money in minor units, instants in epoch ms,
 * defaults that depend on other fields resolved.
 */
import type { CaseEvent, ContractTerms, VisitFacts } from '#domain/model.ts';
import { parseInstant } from '#domain/time.ts';
import { decimalToMinor, minorUnitDigits } from '#domain/money.ts';
import { amountText, DECIMAL_AMOUNT } from './decimal-amount.ts';
import { DEFAULT_SOURCE } from './source.ts';
import type { AmendmentRequest } from '#domain/amendments.ts';
import type { CaseEventV1, CaseVisitReportedV1, ContractAmendedV1, ContractRegisteredV1 } from './schemas.ts';

/**
 * Exact minor units of a major amount in the currency's own exponent: NOK "1234.5" and 1234.5 → 123450 øre,
 * JPY 1000 → 1000 yen, KWD "1.234" → 1234 fils. Numbers are read by their decimal text.
 */
export function toMoneyMinor(amount: string | number, currency: string): number {
  const text = amountText(amount);
  const digits = minorUnitDigits(currency);
  const minor = DECIMAL_AMOUNT.test(text) ? decimalToMinor(text, digits) : null;
  if (minor === null) throw new RangeError(`not an amount with at most ${digits} decimals (${currency}): ${text}`);
  return minor;
}

export function defaultReminderDays(noticeDays: number): number[] {
  return [noticeDays + 30, 30];
}

export function toContractTerms(event: ContractRegisteredV1): ContractTerms {
  return {
    contractId: event.contractId,
    customer: { name: event.customer.name, email: event.customer.email, locale: event.customer.locale },
    serviceLevel: event.serviceLevel,
    annualFee: { minor: toMoneyMinor(event.annualFee.amount, event.annualFee.currency), currency: event.annualFee.currency },
    startDate: event.startDate,
    timeZone: event.timeZone,
    bindingYears: event.bindingYears,
    autoRenew: event.autoRenew,
    noticeDays: event.noticeDays,
    reminderDays: event.reminderDays ?? defaultReminderDays(event.noticeDays),
    ...(event.pools === undefined || event.pools.length === 0 ? {} : { pools: event.pools }),
  };
}

/** A `contract.amended` in domain form: the fee in minor units, only the fields it changes. */
export function toAmendmentRequest(event: ContractAmendedV1): AmendmentRequest {
  const given = event.customer;
  const customer =
    given === undefined
      ? undefined
      : {
          ...(given.name === undefined ? {} : { name: given.name }),
          ...(given.email === undefined ? {} : { email: given.email }),
          ...(given.locale === undefined ? {} : { locale: given.locale }),
        };
  return {
    source: event.source ?? DEFAULT_SOURCE,
    eventId: event.eventId,
    occurredAt: parseInstant(event.occurredAt),
    fromYear: event.fromYear ?? null,
    ...(customer === undefined ? {} : { customer }),
    ...(event.pools === undefined ? {} : { pools: [...new Set(event.pools)] }),
    ...(event.annualFee === undefined
      ? {}
      : { annualFee: { minor: toMoneyMinor(event.annualFee.amount, event.annualFee.currency), currency: event.annualFee.currency } }),
    ...(event.serviceLevel === undefined ? {} : { serviceLevel: event.serviceLevel }),
    ...(event.autoRenew === undefined ? {} : { autoRenew: event.autoRenew }),
    ...(event.noticeDays === undefined ? {} : { noticeDays: event.noticeDays }),
    ...(event.reminderDays === undefined ? {} : { reminderDays: [...new Set(event.reminderDays)] }),
  };
}

/** What the visit took, money in minor units of each amount's own currency. */
export function toVisitFacts(event: CaseVisitReportedV1): VisitFacts {
  return {
    visitId: event.visitId,
    hoursOnSite: event.hoursOnSite,
    travelHours: event.travelHours,
    kilometres: event.kilometres,
    nights: event.nights,
    otherCosts: event.otherCosts.map((cost) => ({
      description: cost.description,
      amountMinor: toMoneyMinor(cost.amount, cost.currency),
      currency: cost.currency,
    })),
    ...(event.country === undefined ? {} : { country: event.country }),
  };
}

/**
 * Each case event type as one string of this module: a parsed body brings a copy of its own (V8 shares only
 * strings of up to 10 characters), and a case item keeps every event's type for the case's life.
 */
const CASE_EVENT_TYPE: { readonly [T in CaseEventV1['type']]: T } = {
  'case.opened': 'case.opened',
  'case.paused': 'case.paused',
  'case.resumed': 'case.resumed',
  'case.responded': 'case.responded',
  'case.onsite_requested': 'case.onsite_requested',
  'case.technician_arrived': 'case.technician_arrived',
  'case.replacement_requested': 'case.replacement_requested',
  'case.replacement_delivered': 'case.replacement_delivered',
  'case.visit_reported': 'case.visit_reported',
  'case.resolved': 'case.resolved',
  'case.cancelled': 'case.cancelled',
};

/**
 * A visit's cost depends on the catalog and the contract, so it comes from the caller (the use case prices
 * it when applying the event); without one, the domain event of a visit says cost 0.
 */
export function toCaseEvent(event: CaseEventV1, visitCostMinor = 0): CaseEvent {
  const common = {
    eventId: event.eventId,
    // Absent for the default source, so an explicit `"source": "default"` is the same case event.
    ...(event.source === undefined || event.source === DEFAULT_SOURCE ? {} : { source: event.source }),
    caseId: event.caseId,
    occurredAt: parseInstant(event.occurredAt),
  };
  if (event.type === 'case.opened') {
    return {
      ...common,
      type: CASE_EVENT_TYPE[event.type],
      ...(event.priority === undefined ? {} : { priority: event.priority }),
      ...(event.onSiteRequired === undefined ? {} : { onSiteRequired: event.onSiteRequired }),
      ...(event.replacementRequired === undefined ? {} : { replacementRequired: event.replacementRequired }),
    };
  }
  if (event.type === 'case.paused') return { ...common, type: CASE_EVENT_TYPE[event.type], reason: event.reason };
  if (event.type === 'case.visit_reported') {
    return { ...common, type: CASE_EVENT_TYPE[event.type], visit: { ...toVisitFacts(event), costMinor: visitCostMinor } };
  }
  return { ...common, type: CASE_EVENT_TYPE[event.type] };
}

type OpeningEvent = Extract<CaseEvent, { readonly type: 'case.opened' }>;
/** A `case.opened` case event whose optional flags and digest are being set, in their order. */
type OpeningUnderConstruction = { -readonly [K in keyof OpeningEvent]: OpeningEvent[K] } & { digest?: string };

/**
 * `{ ...toCaseEvent(event, visitCostMinor), digest }` as one object literal, the same fields in the same
 * order: what a case item keeps of each event for the case's life, so no copy is made on the way and
 * each event of a shape shares one layout.
 */
export function toDigestedCaseEvent(
  event: CaseEventV1,
  digest: string,
  visitCostMinor = 0,
  /** `parseInstant(event.occurredAt)`, when the caller has it already. */
  occurredAt = parseInstant(event.occurredAt),
): CaseEvent & { readonly digest: string } {
  const { eventId, caseId } = event;
  const source = event.source === undefined || event.source === DEFAULT_SOURCE ? undefined : event.source;
  if (event.type === 'case.opened') {
    const type = CASE_EVENT_TYPE[event.type];
    const { onSiteRequired } = event;
    // The usual openings as whole literals: a field added to a literal later is kept outside it (≈ 40 B more, for the case's life).
    if (source === undefined && event.priority === undefined && event.replacementRequired === undefined) {
      return onSiteRequired === undefined
        ? { eventId, caseId, occurredAt, type, digest }
        : { eventId, caseId, occurredAt, type, onSiteRequired, digest };
    }
    // Each flag is optional: added one by one in `toCaseEvent`'s order, then the digest, rather than spread twice.
    const opening: OpeningUnderConstruction =
      source === undefined ? { eventId, caseId, occurredAt, type } : { eventId, source, caseId, occurredAt, type };
    if (event.priority !== undefined) opening.priority = event.priority;
    if (onSiteRequired !== undefined) opening.onSiteRequired = onSiteRequired;
    if (event.replacementRequired !== undefined) opening.replacementRequired = event.replacementRequired;
    opening.digest = digest;
    return opening as OpeningUnderConstruction & { digest: string };
  }
  if (event.type === 'case.paused') {
    const { reason } = event;
    const type = CASE_EVENT_TYPE[event.type];
    return source === undefined
      ? { eventId, caseId, occurredAt, type, reason, digest }
      : { eventId, source, caseId, occurredAt, type, reason, digest };
  }
  if (event.type === 'case.visit_reported') {
    const type = CASE_EVENT_TYPE[event.type];
    const visit = { ...toVisitFacts(event), costMinor: visitCostMinor };
    return source === undefined
      ? { eventId, caseId, occurredAt, type, visit, digest }
      : { eventId, source, caseId, occurredAt, type, visit, digest };
  }
  const type = CASE_EVENT_TYPE[event.type];
  return source === undefined ? { eventId, caseId, occurredAt, type, digest } : { eventId, source, caseId, occurredAt, type, digest };
}
