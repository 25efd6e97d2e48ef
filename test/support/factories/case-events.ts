/**
 * Case events, a service level and calendars for case-evaluation tests, plus fast-check arbitraries
 * of whole cases for the property tests.
 */
import fc from 'fast-check';
import type { WorkCalendar } from '#domain/calendar.ts';
import type { EvaluateCaseInput } from '#domain/case.ts';
import type { CaseEvent, CaseEventType, PauseReason, Priority, ServiceLevel } from '#domain/model.ts';
import { HOUR_MS, MINUTE_MS, parseInstant, toIso } from '#domain/time.ts';
import type { Instant } from '#domain/time.ts';
import { alwaysCalendar, utcBusinessCalendar } from './calendars.ts';

export const CASE_ID = 'CASE-1';

/** An instant from ISO text, or the instant itself. */
export function instant(at: Instant | string): Instant {
  return typeof at === 'string' ? parseInstant(at) : at;
}

type SimpleType = Exclude<CaseEventType, 'case.opened' | 'case.paused' | 'case.visit_reported'>;

function simple(type: SimpleType, at: Instant | string, eventId?: string): CaseEvent {
  const occurredAt = instant(at);
  return { eventId: eventId ?? `${type}@${toIso(occurredAt)}`, caseId: CASE_ID, occurredAt, type };
}

export interface OpenedOptions {
  readonly priority?: Priority;
  readonly onSiteRequired?: boolean;
  readonly replacementRequired?: boolean;
  readonly eventId?: string;
}

export function caseOpened(at: Instant | string, options: OpenedOptions = {}): CaseEvent {
  const occurredAt = instant(at);
  const { eventId, ...fields } = options;
  return { eventId: eventId ?? `case.opened@${toIso(occurredAt)}`, caseId: CASE_ID, occurredAt, type: 'case.opened', ...fields };
}

export function casePaused(at: Instant | string, reason: PauseReason, eventId?: string): CaseEvent {
  const occurredAt = instant(at);
  return { eventId: eventId ?? `case.paused@${toIso(occurredAt)}`, caseId: CASE_ID, occurredAt, type: 'case.paused', reason };
}

export const caseResumed = (at: Instant | string, eventId?: string): CaseEvent => simple('case.resumed', at, eventId);
export const caseResponded = (at: Instant | string, eventId?: string): CaseEvent => simple('case.responded', at, eventId);
export const onSiteRequested = (at: Instant | string, eventId?: string): CaseEvent => simple('case.onsite_requested', at, eventId);
export const replacementRequested = (at: Instant | string, eventId?: string): CaseEvent =>
  simple('case.replacement_requested', at, eventId);
export const technicianArrived = (at: Instant | string, eventId?: string): CaseEvent => simple('case.technician_arrived', at, eventId);
export const replacementDelivered = (at: Instant | string, eventId?: string): CaseEvent =>
  simple('case.replacement_delivered', at, eventId);
export const caseResolved = (at: Instant | string, eventId?: string): CaseEvent => simple('case.resolved', at, eventId);
export const caseCancelled = (at: Instant | string, eventId?: string): CaseEvent => simple('case.cancelled', at, eventId);

/** The premium level of docs/design.md#3-the-catalog-calendars-and-service-levels: all four KPIs on `always`, low-priority first response PT4H on `business`. */
export function premiumLevel(overrides: Partial<ServiceLevel> = {}): ServiceLevel {
  return {
    key: 'premium',
    name: { en: 'Premium 24/7', nb: 'Premium 24/7' },
    kpis: {
      firstResponse: { targetMs: 15 * MINUTE_MS, calendar: 'always', creditPercent: 2 },
      onSite: { targetMs: 24 * HOUR_MS, calendar: 'always', creditPercent: 5 },
      replacement: { targetMs: 8 * HOUR_MS, calendar: 'always', creditPercent: 3 },
      resolution: { targetMs: 48 * HOUR_MS, calendar: 'always', creditPercent: 5 },
    },
    byPriority: { low: { firstResponse: { targetMs: 4 * HOUR_MS, calendar: 'business' } } },
    creditCapPercent: 20,
    terminationWindowDays: 90,
    liabilityCapPercent: 100,
    warnAtPercent: 80,
    ...overrides,
  };
}

/** A level whose resolution and on-site clocks count business hours only. */
export function businessHoursLevel(): ServiceLevel {
  const premium = premiumLevel();
  return premiumLevel({
    kpis: {
      ...premium.kpis,
      onSite: { targetMs: 8 * HOUR_MS, calendar: 'business', creditPercent: 5 },
      resolution: { targetMs: 16 * HOUR_MS, calendar: 'business', creditPercent: 5 },
    },
  });
}

export const testCalendars: Readonly<Record<string, WorkCalendar>> = {
  always: alwaysCalendar,
  business: utcBusinessCalendar(),
};

export const DEFAULT_GRACE_MS = 5 * MINUTE_MS;

/** An evaluation input with the premium level, the test calendars, 5 minutes' grace and no contract end. */
export function caseInput(events: readonly CaseEvent[], now: Instant | string, overrides: Partial<EvaluateCaseInput> = {}): EvaluateCaseInput {
  return {
    events,
    level: premiumLevel(),
    calendars: testCalendars,
    now: instant(now),
    graceMs: DEFAULT_GRACE_MS,
    contractEndsAt: null,
    warned: new Set(),
    ...overrides,
  };
}

// ---- arbitraries ----------------------------------------------------------------------------------

/** Monday 2026-11-30 08:00 UTC: the start of the window property-test cases live in. */
export const CASE_WINDOW_START = parseInstant('2026-11-30T08:00:00Z');
const CASE_WINDOW_MS = 6 * 24 * HOUR_MS;

const arbitraryOffset = fc.integer({ min: 0, max: CASE_WINDOW_MS });

const LATER_TYPES: readonly Exclude<CaseEventType, 'case.opened' | 'case.visit_reported'>[] = [
  'case.onsite_requested',
  'case.replacement_requested',
  'case.paused',
  'case.resumed',
  'case.responded',
  'case.technician_arrived',
  'case.replacement_delivered',
  'case.resolved',
  'case.cancelled',
];

const arbitraryLaterEvent = fc
  .record({
    type: fc.constantFrom(...LATER_TYPES),
    offset: arbitraryOffset,
    reason: fc.constantFrom<PauseReason>('awaiting_customer', 'force_majeure'),
    // About one event in four lands on the instant of an earlier one, to exercise the tie-breaks.
    tiedWith: fc.option(fc.nat(), { freq: 3, nil: undefined }),
  })
  .map(({ type, offset, reason, tiedWith }) => ({ type, occurredAt: CASE_WINDOW_START + offset, reason, tiedWith }));

/**
 * A case: an opening (sometimes after other events, sometimes a second one) and up to 12 other events
 * at random instants of a six-day window. Event ids are unique.
 */
export const arbitraryCaseEvents: fc.Arbitrary<CaseEvent[]> = fc
  .record({
    opened: fc.record({
      offset: fc.integer({ min: 0, max: 12 * HOUR_MS }),
      priority: fc.constantFrom<Priority>('critical', 'high', 'normal', 'low'),
      onSiteRequired: fc.boolean(),
      replacementRequired: fc.boolean(),
    }),
    reopenedAt: fc.option(arbitraryOffset, { nil: undefined }),
    later: fc.array(arbitraryLaterEvent, { maxLength: 12 }),
  })
  .map(({ opened, reopenedAt, later }) => {
    const events: CaseEvent[] = [
      caseOpened(CASE_WINDOW_START + opened.offset, {
        priority: opened.priority,
        onSiteRequired: opened.onSiteRequired,
        replacementRequired: opened.replacementRequired,
        eventId: 'e-open',
      }),
    ];
    if (reopenedAt !== undefined) events.push(caseOpened(CASE_WINDOW_START + reopenedAt, { eventId: 'e-reopen' }));
    later.forEach((event, index) => {
      const tied = event.tiedWith === undefined ? undefined : events[event.tiedWith % events.length];
      const occurredAt = tied?.occurredAt ?? event.occurredAt;
      const eventId = `e-${String(index).padStart(2, '0')}`;
      events.push(
        event.type === 'case.paused' ? casePaused(occurredAt, event.reason, eventId) : simple(event.type, occurredAt, eventId),
      );
    });
    return events;
  });

/** An instant to evaluate at: anywhere from before the window to well after it. */
export const arbitraryNow: fc.Arbitrary<Instant> = fc.integer({ min: -HOUR_MS, max: CASE_WINDOW_MS + 72 * HOUR_MS }).map((offset) => CASE_WINDOW_START + offset);

export const arbitraryContractEnd: fc.Arbitrary<Instant | null> = fc.option(arbitraryNow, { nil: null });
