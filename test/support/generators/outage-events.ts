/**
 * Three weeks of cases for three contracts, and the same events delivered four ways: on time, after a
 * day-long integration outage (the day's events arrive next morning in one shuffled burst), after a
 * week-long outage drained over two hours (roughly in order, interleaved with current events, while the
 * sweep runs every minute), and with the helpdesk catching up and then going silent for an hour.
 * docs/design.md#order-and-duplicates: every way must tell the customers exactly what on-time delivery tells them.
 *
 * Cases are opened and closed within one Oslo day, so no clock runs across an outage's start: a clock
 * whose deadline falls while its integration is silent is decided on the wall clock by design (silence
 * holds nothing back), which is the one case where a late stop still reverses a credit.
 */
import { seededRandom, shuffled } from '#test/support/factories/events.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type OutageKind = 'onTime' | 'dayBurst' | 'weekDrain' | 'silentHour';
export const OUTAGE_KINDS: readonly OutageKind[] = ['onTime', 'dayBurst', 'weekDrain', 'silentHour'];

export interface OutageDelivery {
  readonly deliverAt: number;
  readonly body: string;
}

export interface OutageScenario {
  readonly kind: OutageKind;
  /** Every distinct event body, once, in occurrence order. */
  readonly events: readonly string[];
  /** In delivery order. */
  readonly deliveries: readonly OutageDelivery[];
  /** Instants at which the scheduled sweep runs (sorted). */
  readonly sweeps: readonly number[];
  readonly customers: ReadonlyMap<string, string>;
  readonly asOf: number;
}

/** Monday 2 March 2026, 00:00 in Oslo (UTC+1 then). */
export const OUTAGE_START = Date.parse('2026-03-01T23:00:00Z');
export const OUTAGE_AS_OF = OUTAGE_START + 22 * DAY;
/** Wednesday of week 1: its events are delivered on Thursday at 07:00 in one burst. */
const BURST_DAY = OUTAGE_START + 2 * DAY;
/** Week 2 (Monday to Monday) is drained on Monday of week 3 from 06:00 to 08:00. */
const DRAIN_WEEK = OUTAGE_START + 7 * DAY;
const DRAIN_FROM = OUTAGE_START + 14 * DAY + 6 * HOUR;
const DRAIN_MS = 2 * HOUR;
/** Wednesday of week 3: 08:00–09:00 arrives at 09:45, then nothing until 10:45. */
const SILENT_DAY = OUTAGE_START + 16 * DAY;
const CATCH_UP_FROM = SILENT_DAY + 8 * HOUR;
const CATCH_UP_AT = SILENT_DAY + 9 * HOUR + 45 * MINUTE;
const SILENT_UNTIL = SILENT_DAY + 10 * HOUR + 45 * MINUTE;

const CONTRACTS = [
  { contractId: 'C-OUT-P', level: 'premium', fee: '120000.00' },
  { contractId: 'C-OUT-S', level: 'standard', fee: '80000.00' },
  { contractId: 'C-OUT-B', level: 'basic', fee: '40000.00' },
] as const;

type Body = Record<string, unknown>;
interface Planned {
  readonly occurredAt: number;
  readonly body: Body;
}

const iso = (instant: number): string => new Date(instant).toISOString();

function plan(seed: number, runTag: string): { events: Planned[]; customers: Map<string, string> } {
  const random = seededRandom(seed);
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low));
  const events: Planned[] = [];
  const customers = new Map<string, string>();
  for (const { contractId, level, fee } of CONTRACTS) {
    const email = `${contractId.toLowerCase()}${runTag}@customer.example`;
    customers.set(contractId, email);
    events.push({
      occurredAt: OUTAGE_START - 30 * DAY,
      body: {
        eventId: `reg-${contractId}`,
        source: 'crm',
        type: 'contract.registered',
        occurredAt: iso(OUTAGE_START - 30 * DAY),
        contractId,
        customer: { name: `Kunde ${contractId}`, email, locale: contractId.endsWith('P') ? 'en' : 'nb' },
        serviceLevel: level,
        annualFee: { amount: fee, currency: 'NOK' },
        startDate: '2026-01-01',
      },
    });
  }
  let caseNumber = 0;
  for (let day = 0; day < 21; day += 1) {
    const dayStart = OUTAGE_START + day * DAY;
    const weekday = day % 7;
    for (const { contractId, level } of CONTRACTS) {
      const cases = weekday >= 5 ? (level === 'premium' ? between(0, 2) : 0) : between(1, 4);
      for (let k = 0; k < cases; k += 1) {
        caseNumber += 1;
        const caseId = `K-${String(caseNumber).padStart(4, '0')}`;
        // Premium is around the clock from 06:00; the business levels open in office hours.
        const opened = dayStart + (level === 'premium' ? between(6 * 60, 19 * 60) : between(8 * 60 + 5, 14 * 60)) * MINUTE;
        const event = (type: string, at: number, fields: Body = {}): void => {
          events.push({
            occurredAt: at,
            body: { eventId: `${caseId}-${type.slice(5)}`, source: 'helpdesk', type, occurredAt: iso(at), contractId, caseId, ...fields },
          });
        };
        const onSite = level !== 'basic' && random() < 0.3;
        event('case.opened', opened, { priority: random() < 0.15 ? 'critical' : 'normal', ...(onSite ? { onSiteRequired: true } : {}) });
        // Mostly answered in time; some late (a true breach); a few early-morning ones answered at once.
        const answerMinutes = random() < 0.12 ? between(70, 200) : between(2, 12);
        event('case.responded', opened + answerMinutes * MINUTE);
        if (onSite) event('case.technician_arrived', opened + between(60, 240) * MINUTE);
        if (random() < 0.2) {
          const pausedAt = opened + between(20, 60) * MINUTE;
          event('case.paused', pausedAt, { reason: 'awaiting_customer' });
          event('case.resumed', pausedAt + between(10, 60) * MINUTE);
        }
        event('case.resolved', Math.min(opened + between(150, 300) * MINUTE, dayStart + DAY - MINUTE));
      }
    }
  }
  // The silent hour: nothing happens at the helpdesk while it is silent, but a case opened just before
  // it waits for its answer through it, so its first-response breach must be declared on the wall clock.
  const inSilence = (e: Planned): boolean => e.body.source === 'helpdesk' && e.occurredAt >= CATCH_UP_AT && e.occurredAt < SILENT_UNTIL;
  const kept = events.filter((e) => !inSilence(e));
  caseNumber += 1;
  const waiting = `K-${String(caseNumber).padStart(4, '0')}`;
  const waitingOpened = CATCH_UP_AT - 10 * MINUTE;
  for (const [type, at] of [['case.opened', waitingOpened], ['case.responded', SILENT_UNTIL + 5 * MINUTE], ['case.resolved', SILENT_UNTIL + 90 * MINUTE]] as const) {
    kept.push({
      occurredAt: at,
      body: { eventId: `${waiting}-${type.slice(5)}`, source: 'helpdesk', type, occurredAt: iso(at), contractId: 'C-OUT-P', caseId: waiting },
    });
  }
  kept.sort((a, b) => a.occurredAt - b.occurredAt);
  return { events: kept, customers };
}

function deliveriesOf(kind: OutageKind, events: readonly Planned[], random: () => number): OutageDelivery[] {
  const jitter = (): number => Math.floor(random() * 20_000);
  const deliveries = events.map((e): OutageDelivery & { order: number } => {
    const onTime = e.occurredAt + 1_000 + jitter();
    const body = JSON.stringify(e.body);
    if (e.body.source !== 'helpdesk') return { deliverAt: onTime, body, order: 0 };
    switch (kind) {
      case 'onTime':
        return { deliverAt: onTime, body, order: 0 };
      case 'dayBurst':
        // The whole day arrives within five minutes next morning, in no particular order.
        return e.occurredAt >= BURST_DAY && e.occurredAt < BURST_DAY + DAY
          ? { deliverAt: BURST_DAY + DAY + 7 * HOUR + Math.floor(random() * 5 * MINUTE), body, order: 0 }
          : { deliverAt: onTime, body, order: 0 };
      case 'weekDrain': {
        if (e.occurredAt < DRAIN_WEEK || e.occurredAt >= DRAIN_WEEK + 7 * DAY) return { deliverAt: onTime, body, order: 0 };
        // Drained in occurrence order over two hours, give or take ten minutes of the drain.
        const share = (e.occurredAt - DRAIN_WEEK) / (7 * DAY);
        const at = DRAIN_FROM + share * DRAIN_MS + (random() - 0.5) * 20 * MINUTE;
        return { deliverAt: Math.max(DRAIN_FROM, Math.round(at)), body, order: 0 };
      }
      case 'silentHour':
        return e.occurredAt >= CATCH_UP_FROM && e.occurredAt < CATCH_UP_AT
          ? { deliverAt: CATCH_UP_AT + Math.floor(random() * MINUTE), body, order: 0 }
          : { deliverAt: onTime, body, order: 0 };
    }
  });
  // Ties (and the burst) in a shuffled order: SQS keeps none.
  return shuffled(deliveries, random)
    .map((d, order) => ({ ...d, order }))
    .sort((a, b) => (a.deliverAt !== b.deliverAt ? a.deliverAt - b.deliverAt : a.order - b.order))
    .map(({ deliverAt, body }) => ({ deliverAt, body }));
}

/** Hourly, and every minute while a backlog drains or the helpdesk is silent (as the deployed sweep runs). */
function sweepsOf(kind: OutageKind): number[] {
  const sweeps = new Set<number>();
  for (let at = OUTAGE_START; at <= OUTAGE_AS_OF; at += HOUR) sweeps.add(at);
  const everyMinute = (from: number, until: number): void => {
    for (let at = from; at <= until; at += MINUTE) sweeps.add(at);
  };
  if (kind === 'dayBurst') everyMinute(BURST_DAY + DAY + 7 * HOUR, BURST_DAY + DAY + 8 * HOUR);
  if (kind === 'weekDrain') everyMinute(DRAIN_FROM, DRAIN_FROM + DRAIN_MS + HOUR);
  if (kind === 'silentHour') everyMinute(CATCH_UP_AT, SILENT_UNTIL + 30 * MINUTE);
  return [...sweeps].sort((a, b) => a - b);
}

export function outageScenario(kind: OutageKind, options: { seed: number; runTag?: string }): OutageScenario {
  const { events, customers } = plan(options.seed, options.runTag ?? '');
  const random = seededRandom(options.seed + OUTAGE_KINDS.indexOf(kind) + 1);
  return {
    kind,
    events: events.map((e) => JSON.stringify(e.body)),
    deliveries: deliveriesOf(kind, events, random),
    sweeps: sweepsOf(kind),
    customers,
    asOf: OUTAGE_AS_OF,
  };
}
