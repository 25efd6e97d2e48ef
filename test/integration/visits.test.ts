/**
 * A contract year with visits on DynamoDB Local (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): the intake applies the
 * events as they happen, then the statement and the portfolio's economics are read back from the table.
 * Every figure below is worked out by hand from the default catalog's example rates (NOK):
 * 950 kr/h on site, 750 kr/h travelling, 3.50 kr/km, 1 450 kr a night, 1 012 kr a started day away;
 * in Sweden 1 600 kr a night and 950 kr a day; 1 SEK = 1.07 NOK.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '#cli/local/emulators.ts';
import type { AftercareEventV1 } from '#events/v1.ts';
import type { ContractStatement } from '#domain/statement.ts';
import type { LevelEconomics } from '#domain/economics.ts';
import { DynamoContractDirectory } from '#store/contract-directory.ts';
import { documentClient } from '#store/dynamo-client.ts';
import { DynamoStore } from '#store/dynamo-store.ts';
import { DynamoPoolRepository } from '#store/dynamo-pool-repository.ts';
import { readPortfolioEconomics } from '#usecases/economics.ts';
import { makeIntake } from '#usecases/intake.ts';
import { makeSweep } from '#usecases/sweep.ts';
import type { EventOutcome } from '#usecases/ports.ts';
import { useEmulators } from '#test/support/emulator-context.ts';
import { aCaseEvent, aRegistration, defaultCatalog, TestClock } from '#test/support/factories/events.ts';

const local = useEmulators();
const dynamo = new DynamoDBClient(local.dynamodb);
const documents = documentClient(dynamo);
const store = new DynamoStore({ client: documents, tableName: local.tableName });
const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
/** The every-minute sweep: it books what intake recorded (run here after each event). */
const sweep = makeSweep({ store, catalog: defaultCatalog(), clock });
const AS_OF = Date.parse('2026-12-31T12:00:00Z');

const visit = (caseId: string, at: string, eventId: string, fields: Record<string, unknown>): AftercareEventV1 =>
  aCaseEvent('case.visit_reported', { contractId: 'C-A', caseId, at, eventId, fields });
const onCase = (type: Parameters<typeof aCaseEvent>[0], caseId: string, at: string, fields: Record<string, unknown> = {}): AftercareEventV1 =>
  aCaseEvent(type, { contractId: 'C-A', caseId, at, fields });

const EVENTS: AftercareEventV1[] = [
  // Premium, 120 000 kr a year; and a basic contract of one year only, 50 000 kr.
  aRegistration({ contractId: 'C-A' }),
  aRegistration({ contractId: 'C-B', serviceLevel: 'basic', annualFee: { amount: '50000.00', currency: 'NOK' }, autoRenew: false }),
  // K-1, Lofoten in March: a storm cancels the ferry; force majeure stops every clock for 20 hours.
  onCase('case.opened', 'K-1', '2026-03-02T08:00:00+01:00', { onSiteRequired: true }),
  onCase('case.responded', 'K-1', '2026-03-02T08:05:00+01:00'),
  onCase('case.paused', 'K-1', '2026-03-02T10:00:00+01:00', { reason: 'force_majeure' }),
  onCase('case.resumed', 'K-1', '2026-03-03T06:00:00+01:00'),
  onCase('case.technician_arrived', 'K-1', '2026-03-03T12:00:00+01:00'),
  // 4 h × 950 + 6.5 h × 750 + 420 km × 3.50 + 1 night × 1 450 + 2 days (1 night) × 1 012 + ferry 1 290
  // = 3 800 + 4 875 + 1 470 + 1 450 + 2 024 + 1 290 = 14 909 kr.
  visit('K-1', '2026-03-03T16:00:00+01:00', 'ft-V-1', {
    visitId: 'V-1',
    hoursOnSite: 4,
    travelHours: 6.5,
    kilometres: 420,
    nights: 1,
    otherCosts: [{ description: 'ferry Bodø–Moskenes', amount: '1290.00', currency: 'NOK' }],
    country: 'NO',
  }),
  onCase('case.resolved', 'K-1', '2026-03-03T16:00:00+01:00'),
  // K-2, Gothenburg in September: the technician arrives after 26 h, an on-site breach (5 % = 6 000 kr).
  onCase('case.opened', 'K-2', '2026-09-14T09:00:00+02:00', { onSiteRequired: true }),
  onCase('case.responded', 'K-2', '2026-09-14T09:10:00+02:00'),
  onCase('case.technician_arrived', 'K-2', '2026-09-15T11:00:00+02:00'),
  // 3.25 h × 950 + 9 h × 750 + 2 nights × 1 600 + 3 days × 950 + parking 150 SEK × 1.07
  // = 3 087.50 + 6 750 + 3 200 + 2 850 + 160.50 = 16 048 kr.
  visit('K-2', '2026-09-15T15:00:00+02:00', 'ft-V-2', {
    visitId: 'V-2',
    hoursOnSite: 3.25,
    travelHours: 9,
    nights: 2,
    otherCosts: [{ description: 'parkering', amount: 150, currency: 'SEK' }],
    country: 'SE',
  }),
  onCase('case.resolved', 'K-2', '2026-09-15T15:00:00+02:00'),
  // The field tool sends V-2 again under a new event id: applied once.
  visit('K-2', '2026-09-15T15:00:00+02:00', 'ft-V-2-resent', {
    visitId: 'V-2',
    hoursOnSite: 3.25,
    travelHours: 9,
    nights: 2,
    otherCosts: [{ description: 'parkering', amount: 150, currency: 'SEK' }],
    country: 'SE',
  }),
  // A visit on C-B after it ended (2027-01-01 00:00 Oslo): rejected with the reason.
  aCaseEvent('case.visit_reported', { contractId: 'C-B', caseId: 'B-1', at: '2027-02-01T10:00:00+01:00', eventId: 'ft-B-1', fields: { visitId: 'VB-1', hoursOnSite: 1 } }),
];

const outcomes = new Map<string, EventOutcome>();
let statement: ContractStatement;
let levels: readonly LevelEconomics[];

beforeAll(async () => {
  await createTable(dynamo, local.tableName, { stream: false });
  for (const event of EVENTS) {
    clock.at = Math.max(clock.at, Date.parse(event.occurredAt) + 1_000);
    outcomes.set(event.eventId, await intake.processEvent(event));
    await sweep.run();
  }
  const portfolio = await readPortfolioEconomics({
    directory: new DynamoContractDirectory({ client: documents, tableName: local.tableName }),
    store,
    pools: new DynamoPoolRepository({ client: documents, tableName: local.tableName }),
    catalog: defaultCatalog(),
    asOf: AS_OF,
  });
  statement = portfolio.statements.find((s) => s.contractId === 'C-A') as ContractStatement;
  levels = portfolio.levels;
}, 300_000);

describe('a contract year with visits, on the emulators', () => {
  it('applies each visit once and rejects the one after the contract ended', () => {
    expect(outcomes.get('ft-V-2-resent')).toEqual({ kind: 'duplicate' });
    expect(outcomes.get('ft-B-1')).toEqual({ kind: 'rejected', reason: 'visit VB-1 took place after the contract ended (2026-12-31T23:00:00Z)' });
  });

  it('gives the year’s visits, cost to serve and margin as worked out by hand', () => {
    const [year] = statement.years;
    // Visits: 4 + 3.25 h on site, 6.5 + 9 h travelling, 420 km, 1 + 2 nights; 14 909 + 16 048 = 30 957 kr.
    expect(year?.economics.visits).toEqual({ count: 2, hoursOnSite: 7.25, travelHours: 15.5, kilometres: 420, nights: 3, costMinor: 3_095_700 });
    // Credits: K-2's on-site breach, 5 % of 120 000 = 6 000 kr. Revenue: the fee (no pools yet).
    expect(year?.breaches).toEqual({ firstResponse: 0, onSite: 1, replacement: 0, resolution: 0 });
    expect(year?.economics.creditsMinor).toBe(600_000);
    expect(year?.economics.revenueMinor).toBe(12_000_000);
    // Cost to serve 30 957 + 6 000 = 36 957 kr; margin 120 000 − 36 957 = 83 043 kr.
    expect(year?.economics.costToServeMinor).toBe(3_695_700);
    expect(year?.economics.marginMinor).toBe(8_304_300);
    // Against the liability cap (100 % of 120 000 kr): credits 5 %, cost to serve 30.8 %.
    expect(year?.economics.liability).toEqual({ capMinor: 12_000_000, creditsPercentOfCap: 5, costToServePercentOfCap: 30.8 });
  });

  it('names the force-majeure pause of K-1 with its time, so a dispute can be settled from the statement', () => {
    // 10:00 → 06:00 the next morning (Oslo, UTC+1): 20 hours. On site counted 2 h + 6 h = 8 h of 24: met.
    expect(statement.pausedTime).toEqual([
      {
        caseId: 'K-1',
        pauses: [{ reason: 'force_majeure', from: Date.parse('2026-03-02T09:00:00Z'), to: Date.parse('2026-03-03T05:00:00Z') }],
        forceMajeureMs: 20 * 3_600_000,
        awaitingCustomerMs: 0,
      },
    ]);
    expect(statement.years[0]?.clocks.onSite).toEqual({ decided: 2, breached: 1 });
  });

  it('sums the portfolio per service level: basic with no cost, premium with the visits and the breach', () => {
    expect(levels).toEqual([
      {
        level: 'basic',
        currency: 'NOK',
        contracts: 1,
        revenueMinor: 5_000_000,
        creditsMinor: 0,
        costsMinor: 0,
        marginMinor: 5_000_000,
        breachRate: { firstResponse: null, onSite: null, replacement: null, resolution: null },
      },
      {
        level: 'premium',
        currency: 'NOK',
        contracts: 1,
        revenueMinor: 12_000_000,
        creditsMinor: 600_000,
        costsMinor: 3_095_700,
        marginMinor: 8_304_300,
        // First response and resolution: 2 decided, none breached; on site 1 of 2.
        breachRate: { firstResponse: 0, onSite: 0.5, replacement: null, resolution: 0 },
      },
    ]);
  });
});
