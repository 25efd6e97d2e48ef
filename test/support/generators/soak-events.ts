/**
 * A seeded soak scenario: contracts over two years with random cases (priorities, pauses, on-site and
 * replacement clocks, late and missing answers), terminations, late registrations, late and duplicated
 * deliveries and about 1 % poison messages, as SQS bodies with the instant each reaches the queue. The
 * same seed gives the same scenario, so a failing soak is reproduced from the seed it prints.
 */
import { seededRandom } from '#test/support/factories/events.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SoakOptions {
  readonly seed: number;
  readonly contracts: number;
  /** Valid events wanted in all (duplicates and poison come on top). */
  readonly events: number;
  /** Share of deliveries that are poison. @default 0.01 */
  readonly poisonShare?: number;
  /** Makes customer addresses unique to one run when several runs share an SES emulator. @default '' */
  readonly runTag?: string;
  /**
   * Days on which the helpdesk is down: that day's case events reach the queue the next morning in one
   * burst (docs/design.md#order-and-duplicates, a source catching up). @default 3
   */
  readonly outages?: number;
}

export type DeliveryKind = 'event' | 'duplicate' | 'poison';

export interface Delivery {
  readonly deliverAt: number;
  readonly body: string;
  readonly kind: DeliveryKind;
  /** The contract whose termination this is: the driver sweeps right before delivering it. */
  readonly termination: boolean;
}

export interface SoakScenario {
  readonly seed: number;
  /** In delivery order (ties keep generation order). */
  readonly deliveries: readonly Delivery[];
  /** Every distinct valid event body, once. */
  readonly events: readonly string[];
  readonly poison: readonly string[];
  /** Customer address per contract id (unique per seed, so emails can be told apart). */
  readonly customers: ReadonlyMap<string, string>;
  readonly asOf: number;
}

type Body = Record<string, unknown>;

interface Planned {
  readonly body: Body;
  readonly occurredAt: number;
  deliverAt: number;
  readonly termination: boolean;
}

const LEVELS = ['basic', 'standard', 'premium'] as const;
const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
const WINDOW_START = Date.parse('2026-01-01T00:00:00Z');
export const SOAK_AS_OF = Date.parse('2028-01-15T00:00:00Z');
/**
 * Nothing arrives late after this: a late arrival holds the breaches of running clocks for
 * `sourceIdleMinutes` (docs/design.md#order-and-duplicates), and the oracle judges every clock as of SOAK_AS_OF with all events known.
 */
const LAST_LATE_ARRIVAL = SOAK_AS_OF - 2 * HOUR;
/** A late delivery at `at`, but never after LAST_LATE_ARRIVAL, nor before the event occurred. */
const lateDelivery = (occurredAt: number, at: number): number => Math.max(occurredAt, Math.min(LAST_LATE_ARRIVAL, at));

const iso = (instant: number): string => new Date(instant).toISOString();

export function generateSoak(options: SoakOptions): SoakScenario {
  const { seed, contracts } = options;
  const random = seededRandom(seed);
  const chance = (p: number): boolean => random() < p;
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  /** Answer delays: mostly quick, sometimes slow, rarely very slow, so breaches are common but not the rule. */
  const delay = (): number =>
    chance(0.6) ? between(MINUTE, 20 * MINUTE) : chance(0.7) ? between(20 * MINUTE, 8 * HOUR) : between(8 * HOUR, 4 * DAY);
  const second = (instant: number): number => Math.floor(instant / 1000) * 1000;

  const planned: Planned[] = [];
  const customers = new Map<string, string>();
  // Each contract gets an even share of the valid events (its registration included): cases are added
  // until the share is reached, so the scenario holds the events asked for, give or take the last case's.
  const share = (c: number): number => Math.floor(options.events / contracts) + (c <= options.events % contracts ? 1 : 0);

  for (let c = 1; c <= contracts; c += 1) {
    const contractId = `SOAK${seed}-${String(c).padStart(3, '0')}`;
    const email = `customer-${c}@soak-${seed}${options.runTag ?? ''}.example`;
    customers.set(contractId, email);
    const start = WINDOW_START + between(0, 90) * DAY;
    const startDate = iso(start).slice(0, 10);
    const registeredAt = start - between(1, 30) * DAY + 10 * HOUR;
    const noticeDays = pick([30, 60, 90]);
    planned.push({
      body: {
        eventId: `crm-${contractId}-registered`,
        type: 'contract.registered',
        occurredAt: iso(registeredAt),
        contractId,
        customer: { name: `Kunde ${c} AS`, email, locale: pick(['nb', 'en']) },
        serviceLevel: pick(LEVELS),
        annualFee: { amount: `${between(20, 400) * 1000}.${pick(['00', '50', '25'])}`, currency: pick(['NOK', 'EUR']) },
        startDate,
        bindingYears: pick([1, 1, 2]),
        autoRenew: chance(0.8),
        noticeDays,
      },
      occurredAt: registeredAt,
      // One contract in ten is registered late: its first cases wait (parked) for it.
      deliverAt: chance(0.1) ? start + between(HOUR, 10 * DAY) : registeredAt,
      termination: false,
    });

    const planOfContract = planned.length - 1;
    for (let k = 1; planned.length - planOfContract < share(c); k += 1) {
      const caseId = `K${k}`;
      // A few cases open before the contract starts: they must be rejected.
      const openedAt = second(chance(0.01) ? start - between(HOUR, 5 * DAY) : start + between(0, SOAK_AS_OF - start - 2 * DAY));
      const base = { contractId, caseId };
      const event = (type: string, at: number, fields: Body = {}): void => {
        if (at > SOAK_AS_OF) return;
        const occurredAt = second(at);
        planned.push({
          body: { eventId: `hd-${contractId}-${caseId}-${type}-${occurredAt}`, type, occurredAt: iso(occurredAt), ...base, ...fields },
          occurredAt,
          deliverAt: occurredAt,
          termination: false,
        });
      };
      const onSite = chance(0.35);
      const replacement = chance(0.15);
      event('case.opened', openedAt, {
        ...(chance(0.8) ? { priority: pick(PRIORITIES) } : {}),
        ...(onSite ? { onSiteRequired: true } : {}),
        ...(replacement ? { replacementRequired: true } : {}),
      });
      event('case.responded', openedAt + delay());
      if (chance(0.25)) {
        const pausedAt = openedAt + between(10 * MINUTE, 6 * HOUR);
        event('case.paused', pausedAt, { reason: chance(0.7) ? 'awaiting_customer' : 'force_majeure' });
        if (chance(0.85)) event('case.resumed', pausedAt + between(30 * MINUTE, 2 * DAY));
      }
      if (onSite) event('case.technician_arrived', openedAt + between(HOUR, 40 * HOUR));
      else if (chance(0.1)) {
        const requestedAt = openedAt + between(HOUR, DAY);
        event('case.onsite_requested', requestedAt);
        event('case.technician_arrived', requestedAt + between(HOUR, 40 * HOUR));
      }
      if (replacement) event('case.replacement_delivered', openedAt + between(HOUR, 30 * HOUR));
      const ending = random();
      if (ending < 0.85) event('case.resolved', openedAt + between(2 * HOUR, 5 * DAY));
      else if (ending < 0.9) event('case.cancelled', openedAt + between(10 * MINUTE, DAY));
    }

    if (chance(0.15)) {
      // Odd milliseconds: no case event shares the instant, so the ties of docs/design.md#6-the-event-contract-v1 never decide the outcome.
      const requestedAt = start + between(30, 600) * DAY + between(0, DAY) + 7;
      const reason = chance(0.6) ? 'notice' : 'credit_cap_breach';
      if (requestedAt < SOAK_AS_OF - DAY) {
        planned.push({
          body: { eventId: `crm-${contractId}-terminate`, type: 'contract.termination_requested', occurredAt: iso(requestedAt), contractId, reason },
          occurredAt: requestedAt,
          deliverAt: requestedAt,
          termination: true,
        });
      }
    }
  }

  // Case events of a contract that is never registered: parked for good, alerted after a day.
  const orphan = `SOAK${seed}-orphan`;
  planned.push({
    body: { eventId: `hd-${orphan}-opened`, type: 'case.opened', occurredAt: iso(WINDOW_START + 40 * DAY), contractId: orphan, caseId: 'K1' },
    occurredAt: WINDOW_START + 40 * DAY,
    deliverAt: WINDOW_START + 40 * DAY,
    termination: false,
  });

  for (const item of planned) {
    if (!item.termination && item.body.type !== 'contract.registered' && chance(0.05)) {
      item.deliverAt = lateDelivery(item.occurredAt, item.occurredAt + between(MINUTE, 3 * DAY));
    }
  }
  delayOutageDays(planned, options.outages ?? 3, between);
  holdTerminationsBack(planned);

  const deliveries: Delivery[] = planned.map((item) => ({
    deliverAt: item.deliverAt,
    body: JSON.stringify(item.body),
    kind: 'event',
    termination: item.termination,
  }));
  const events = deliveries.map((delivery) => delivery.body);
  for (const original of [...deliveries]) {
    if (!original.termination && chance(0.03)) {
      deliveries.push({ ...original, kind: 'duplicate', deliverAt: lateDelivery(original.deliverAt, original.deliverAt + between(1000, 2 * DAY)) });
    }
  }
  const poison: string[] = [];
  const poisonCount = Math.max(1, Math.round(deliveries.length * (options.poisonShare ?? 0.01)));
  for (let p = 0; p < poisonCount; p += 1) {
    const body = poisonBody(`poison-${seed}-${p}`, pick([...customers.keys()]), between(0, 4));
    poison.push(body);
    deliveries.push({ deliverAt: WINDOW_START + between(0, SOAK_AS_OF - WINDOW_START), body, kind: 'poison', termination: false });
  }
  const order = new Map(deliveries.map((delivery, index) => [delivery, index]));
  deliveries.sort((a, b) => (a.deliverAt !== b.deliverAt ? a.deliverAt - b.deliverAt : (order.get(a) ?? 0) - (order.get(b) ?? 0)));
  return { seed, deliveries, events, poison, customers, asOf: SOAK_AS_OF };
}

/** Each outage day's case events arrive the next morning between 07:00 and 07:10 UTC, in no order. */
function delayOutageDays(planned: Planned[], outages: number, between: (low: number, high: number) => number): void {
  for (let outage = 0; outage < outages; outage += 1) {
    const day = WINDOW_START + between(30, 700) * DAY;
    const arrival = day + DAY + 7 * HOUR;
    for (const item of planned) {
      const isCaseEvent = String(item.body.type).startsWith('case.');
      if (isCaseEvent && item.occurredAt >= day && item.occurredAt < day + DAY) {
        item.deliverAt = lateDelivery(item.occurredAt, Math.max(item.deliverAt, arrival + between(0, 10 * MINUTE)));
      }
    }
  }
}

/**
 * A termination is decided on what is known when it arrives; the oracle decides it on every event that
 * occurred before it. So every earlier event of its contract reaches the queue before it does.
 */
function holdTerminationsBack(planned: Planned[]): void {
  for (const termination of planned.filter((item) => item.termination)) {
    const contractId = termination.body.contractId;
    for (const item of planned) {
      if (item.body.contractId === contractId && item.occurredAt < termination.occurredAt && item.deliverAt >= termination.deliverAt) {
        item.deliverAt = termination.deliverAt - 1;
      }
    }
  }
}

/** Not JSON, an unknown field, a missing field, an unknown type or a bad instant; `token` makes it unique. */
function poisonBody(token: string, contractId: string, variant: number): string {
  const valid = { eventId: token, type: 'case.responded', occurredAt: '2026-05-04T10:15:00+02:00', contractId, caseId: 'K1' };
  switch (variant) {
    case 0:
      return `helpdesk export failed (${token})`;
    case 1:
      return JSON.stringify({ ...valid, colour: 'red' });
    case 2: {
      const { occurredAt: _dropped, ...rest } = valid;
      return JSON.stringify(rest);
    }
    case 3:
      return JSON.stringify({ ...valid, type: 'case.exploded' });
    default:
      return JSON.stringify({ ...valid, occurredAt: '2026-05-04 10:15' });
  }
}
