/**
 * The vocabulary every rule speaks: KPIs, priorities, service levels as the catalog resolves them,
 * contract terms, case events in domain form. Pure types; the zod schemas at the edges produce them.
 */
import type { Instant, LocalDate } from './time.ts';

/** KPIs in the order docs/design.md#5-cases-clocks-breaches-credits uses for tie-breaks. */
export const KPIS = ['firstResponse', 'onSite', 'replacement', 'resolution'] as const;
export type Kpi = (typeof KPIS)[number];

export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const LOCALES = ['nb', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A calendar after catalog compilation: holidays are already resolved into `closedDates`. */
export type CalendarDefinition =
  | { readonly kind: 'always' }
  | {
      readonly kind: 'business';
      readonly timeZone: string;
      /** Opening windows per weekday as minutes of the local day, `[start, end)`, sorted, non-overlapping. */
      readonly hours: Readonly<Partial<Record<Weekday, readonly (readonly [number, number])[]>>>;
      /** Every local date on which the calendar is closed: public holidays and operator-closed dates. */
      readonly closedDates: readonly LocalDate[];
    };

export interface KpiTerms {
  /** Target in milliseconds of counted time. */
  readonly targetMs: number;
  readonly calendar: string;
  readonly creditPercent: number;
}

export interface ServiceLevel {
  readonly key: string;
  readonly name: Readonly<Record<Locale, string>>;
  readonly kpis: Readonly<Partial<Record<Kpi, KpiTerms>>>;
  readonly byPriority: Readonly<Partial<Record<Priority, Readonly<Partial<Record<Kpi, Partial<KpiTerms>>>>>>>;
  readonly creditCapPercent: number;
  readonly terminationWindowDays: number;
  readonly liabilityCapPercent: number;
  readonly warnAtPercent: number;
  /** A loan tied to a case is due this many days after the case is resolved (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools); default 14. */
  readonly loanReturnDays?: number;
}

/**
 * Who the notices come from (docs/design.md#7-notices): the From display name, the Reply-To, the banner, and per
 * locale the signature (one line per entry) and the line that tells the customer whom to contact.
 */
export interface Provider {
  readonly name: string;
  readonly replyTo: string;
  readonly signature: Readonly<Record<Locale, readonly string[]>>;
  readonly contactLine: Readonly<Record<Locale, string>>;
}

/** The catalog after validation and holiday resolution: what every handler runs on. */
export interface Catalog {
  readonly calendars: Readonly<Record<string, CalendarDefinition>>;
  readonly serviceLevels: Readonly<Record<string, ServiceLevel>>;
  readonly breachGraceSeconds: number;
  /** Credit notices wait this long after the last change to their contract year (docs/design.md#order-and-duplicates). */
  readonly noticeSettleMinutes: number;
  /** A source silent this long holds no breach decision back (docs/design.md#order-and-duplicates). */
  readonly sourceIdleMinutes: number;
  /** Parked events whose contract never registers expire after this many days, recorded as rejected. */
  readonly parkedRetentionDays: number;
  /** The chance a request should find a unit in a shared pool (`pools.targetAvailability`, default 0.99). */
  readonly targetAvailability?: number;
  /** The provider the notices speak for; absent: they say `Aftercare`. */
  readonly provider?: Provider;
  /** The provider's cost rates (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract); absent: every rate is 0. */
  readonly costs?: CostRates;
}

/** What a visit's cost is made of, in minor units of `CostRates.currency`; a country may override any of them. */
export interface VisitRates {
  readonly onSiteHourMinor: number;
  readonly travelHourMinor: number;
  readonly kilometreMinor: number;
  readonly nightMinor: number;
  /** Per started day away (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). */
  readonly dailyAllowanceMinor: number;
}

export interface CostRates extends VisitRates {
  readonly currency: string;
  /** A pool unit's yearly carrying cost (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). */
  readonly poolUnitYearlyMinor: number;
  /** ISO 3166-1 alpha-2 country → the rates that differ there. */
  readonly byCountry: Readonly<Record<string, Partial<VisitRates>>>;
  /** Currency → how many units of `currency` one unit of it is worth, as a decimal text (`"11.65"`: 1 EUR = 11.65 NOK). */
  readonly exchangeRates: Readonly<Record<string, string>>;
}

export interface Money {
  /** Integer minor units (øre, cents). Never a float amount. */
  readonly minor: number;
  readonly currency: string;
}

export interface Customer {
  readonly name: string;
  readonly email: string;
  readonly locale: Locale;
}

export interface ContractTerms {
  readonly contractId: string;
  readonly customer: Customer;
  readonly serviceLevel: string;
  readonly annualFee: Money;
  readonly startDate: LocalDate;
  readonly timeZone: string;
  readonly bindingYears: number;
  readonly autoRenew: boolean;
  readonly noticeDays: number;
  readonly reminderDays: readonly number[];
  /** The pools the contract may draw from (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools); absent on contracts registered without any. */
  readonly pools?: readonly string[];
  /**
   * Accepted `contract.amended` changes (docs/design.md#12-contract-changes-and-billing), in occurrence order. The fields above
   * are the registered terms, except `customer` and `pools`, which hold the contact and entitlements in force.
   * Absent: never amended.
   */
  readonly changes?: readonly TermsChange[];
}

/** One accepted amendment as the terms keep it: what it changed and from which contract year. */
export interface TermsChange {
  readonly source: string;
  readonly eventId: string;
  readonly occurredAt: Instant;
  /** The first contract year the fee, level and renewal settings apply to; null for a change of contact or pools only. */
  readonly fromYear: number | null;
  readonly customer?: Partial<Customer>;
  readonly pools?: readonly string[];
  readonly annualFeeMinor?: number;
  readonly serviceLevel?: string;
  readonly autoRenew?: boolean;
  readonly noticeDays?: number;
  readonly reminderDays?: readonly number[];
}

export type TerminationReason = 'notice' | 'credit_cap_breach';

export interface Termination {
  readonly reason: TerminationReason;
  readonly requestedAt: Instant;
  /** The instant the contract ends (midnight in the contract zone for notice; any instant for breach). */
  readonly effectiveAt: Instant;
  readonly eventId: string;
}

/** Case event types in tie-break order (docs/design.md#6-the-event-contract-v1). */
export const CASE_EVENT_TYPES = [
  'case.opened',
  'case.onsite_requested',
  'case.replacement_requested',
  'case.paused',
  'case.resumed',
  'case.responded',
  'case.technician_arrived',
  'case.replacement_delivered',
  'case.visit_reported',
  'case.resolved',
  'case.cancelled',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/** Pool and loan event types (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools), after the contract events. */
export const POOL_EVENT_TYPES = ['pool.registered', 'pool.units_changed', 'loan.started', 'loan.returned'] as const;
export type PoolEventType = (typeof POOL_EVENT_TYPES)[number];

export const EVENT_TYPES = [
  'contract.registered',
  'contract.termination_requested',
  'contract.amended',
  ...POOL_EVENT_TYPES,
  ...CASE_EVENT_TYPES,
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type PauseReason = 'awaiting_customer' | 'force_majeure';

/** The source of an event that names none (docs/design.md#6-the-event-contract-v1). */
export const DEFAULT_EVENT_SOURCE = 'default';

/**
 * docs/design.md#order-and-duplicates: an event is identified by its source and eventId together. The key is unambiguous: a
 * source is `a-z0-9._-` (never `#`), so the first `#` ends it, whatever the eventId holds.
 */
export function eventIdentityKey(event: { readonly source?: string | undefined; readonly eventId: string }): string {
  return `${event.source ?? DEFAULT_EVENT_SOURCE}#${event.eventId}`;
}

/** Another cost of a visit (a ferry, parking, a part bought on the way), in its own currency's minor units. */
export interface OtherCost {
  readonly description: string;
  readonly amountMinor: number;
  readonly currency: string;
}

/** What a technician's visit took, as reported (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract). Quantities have at most two decimals. */
export interface VisitFacts {
  readonly visitId: string;
  readonly hoursOnSite: number;
  readonly travelHours: number;
  readonly kilometres: number;
  readonly nights: number;
  readonly otherCosts: readonly OtherCost[];
  /** ISO 3166-1 alpha-2; absent: the catalog's base rates. */
  readonly country?: string;
}

/** A visit with its cost in the contract's currency, priced when it was applied (at the rates then in force). */
export interface ReportedVisit extends VisitFacts {
  readonly costMinor: number;
}

/** A case event as the rules see it: instants as epoch ms, only the fields that matter to clocks. */
export type CaseEvent = {
  readonly eventId: string;
  /** The integration that sent it; absent = the default source. */
  readonly source?: string;
  readonly caseId: string;
  readonly occurredAt: Instant;
} & (
  | {
      readonly type: 'case.opened';
      readonly priority?: Priority;
      readonly onSiteRequired?: boolean;
      readonly replacementRequired?: boolean;
    }
  | { readonly type: 'case.paused'; readonly reason: PauseReason }
  | { readonly type: 'case.visit_reported'; readonly visit: ReportedVisit }
  | {
      readonly type: Exclude<CaseEventType, 'case.opened' | 'case.paused' | 'case.visit_reported'>;
    }
);
