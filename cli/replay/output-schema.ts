/**
 * The replay output (`aftercare replay --json`, docs/design.md#replay-output-aftercare-replay---json--stable-versioned): a stable, versioned contract with its readers.
 * Strict objects, so a field added without a version bump fails loudly.
 */
import * as z from 'zod';
import { LOCALES } from '#domain/model.ts';
import type { Kpi } from '#domain/model.ts';
import { NOTICE_STATES } from '#domain/statement.ts';
import type { ContractStatement } from '#domain/statement.ts';
import { levelEconomics } from '#domain/economics.ts';
import { toIso } from '#domain/time.ts';
import type { PoolReportRow } from '#usecases/pool-report.ts';
import { statementLoanJson } from '../statement/statement-json.ts';

const instant = z.iso.datetime();
const localDate = z.iso.date();
const minor = z.number().int().nonnegative();

const count = z.number().int().nonnegative();
/** A margin can be negative: the year cost more than it earned. */
const signedMinor = z.number().int();
const quantity = z.number().nonnegative();
const breachesPerKpi = z.strictObject({
  firstResponse: count,
  onSite: count,
  replacement: count,
  resolution: count,
} satisfies Record<Kpi, typeof count>);

export const replayYearSchema = z.strictObject({
  index: z.number().int().positive(),
  start: localDate,
  end: localDate,
  feeMinor: minor,
  breaches: breachesPerKpi,
  creditsMinor: minor,
  capMinor: minor,
  capReached: z.boolean(),
  /** The next year's own fee; null when the contract ends with this year (docs/design.md#12-contract-changes-and-billing). */
  nextYearFeeMinor: minor.nullable().optional(),
  amountDueNextYearMinor: minor,
  // docs/design.md#11-on-site-visits-and-the-economics-of-a-contract (additive, version 1)
  visits: z.strictObject({ count, hoursOnSite: quantity, travelHours: quantity, kilometres: quantity, nights: count, costMinor: minor }),
  revenueMinor: minor,
  poolCarryingCostMinor: minor,
  costToServeMinor: minor,
  marginMinor: signedMinor,
  exclusivePoolFeesMinor: minor,
});

/** A calendar month in the contract's zone (shared/domain/months.ts): the replay report's series. */
export const replayMonthSchema = z.strictObject({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  breaches: breachesPerKpi,
  decided: breachesPerKpi,
  met: breachesPerKpi,
  creditsMinor: minor,
  yearIndex: z.number().int().positive(),
  yearCreditsToDateMinor: minor,
  capMinor: minor,
});

export const replayLoanSchema = z.strictObject({
  poolId: z.string().min(1),
  unitId: z.string().min(1),
  caseId: z.string().nullable(),
  borrower: z.string(),
  startedAt: instant,
  dueAt: instant.nullable(),
  returnedAt: instant.nullable(),
  overdue: z.boolean(),
  daysOut: count,
});

const fraction = z.number().min(0).max(1);

/** A pool as the pool report shows it (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
export const replayPoolSchema = z.strictObject({
  poolId: z.string().min(1),
  kind: z.enum(['exclusive', 'shared']),
  location: z.string(),
  units: count,
  out: count,
  contracts: z.array(z.string()),
  drawsPerYear: z.number().nonnegative(),
  meanTurnaroundDays: z.number().nonnegative(),
  pEmpty: fraction,
  unitsNeeded: count,
  targetAvailability: fraction,
  refusedDraws: count,
});

export const replayContractSchema = z.strictObject({
  contractId: z.string().min(1),
  serviceLevel: z.string().min(1),
  /** The customer's name, for an invoice run (`aftercare invoices --replay`). */
  customerName: z.string().optional(),
  status: z.enum(['active', 'ending', 'ended']),
  currency: z.string().regex(/^[A-Z]{3}$/),
  terminationRight: z.strictObject({ since: instant, until: instant }).nullable(),
  years: z.array(replayYearSchema),
  months: z.array(replayMonthSchema),
  rejected: z.array(z.strictObject({ eventId: z.string(), reason: z.string() })),
  pools: z.array(z.string()),
  loans: z.array(replayLoanSchema),
});

export const replayNoticeSchema = z.strictObject({
  id: z.string().min(1),
  type: z.string().min(1),
  contractId: z.string().min(1),
  to: z.string(),
  locale: z.enum(LOCALES),
  state: z.enum(NOTICE_STATES),
});

export const replayDeadLetterSchema = z.strictObject({
  eventId: z.string().nullable(),
  error: z.string(),
});

const rate = z.number().min(0).max(1).nullable();

export const replayLevelEconomicsSchema = z.strictObject({
  level: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  contracts: count,
  revenueMinor: minor,
  creditsMinor: minor,
  costsMinor: minor,
  marginMinor: signedMinor,
  breachRate: z.strictObject({ firstResponse: rate, onSite: rate, replacement: rate, resolution: rate } satisfies Record<Kpi, typeof rate>),
});

export const replayOutputSchema = z.strictObject({
  version: z.literal(1),
  asOf: instant,
  contracts: z.array(replayContractSchema),
  pools: z.array(replayPoolSchema),
  notices: z.array(replayNoticeSchema),
  deadLetters: z.array(replayDeadLetterSchema),
  /** Per service level and currency across the replayed contracts (additive, version 1). */
  economics: z.strictObject({ levels: z.array(replayLevelEconomicsSchema) }),
});

export type ReplayYear = z.infer<typeof replayYearSchema>;
export type ReplayMonth = z.infer<typeof replayMonthSchema>;
export type ReplayContract = z.infer<typeof replayContractSchema>;
export type ReplayNotice = z.infer<typeof replayNoticeSchema>;
export type ReplayDeadLetter = z.infer<typeof replayDeadLetterSchema>;
export type ReplayOutput = z.infer<typeof replayOutputSchema>;
export type ReplayLevelEconomics = z.infer<typeof replayLevelEconomicsSchema>;
export type ReplayPool = z.infer<typeof replayPoolSchema>;

export function toReplayPool(row: PoolReportRow): ReplayPool {
  const { poolId, kind, location, units, out, contracts, drawsPerYear, meanTurnaroundDays, pEmpty, unitsNeeded, targetAvailability, refusedDraws } = row;
  return { poolId, kind, location, units, out, contracts: [...contracts], drawsPerYear, meanTurnaroundDays, pEmpty, unitsNeeded, targetAvailability, refusedDraws };
}

export function toReplayContract(statement: ContractStatement): ReplayContract {
  const right = statement.terminationRight;
  return {
    contractId: statement.contractId,
    serviceLevel: statement.serviceLevel,
    customerName: statement.customerName,
    status: statement.status,
    currency: statement.currency,
    terminationRight: right === null ? null : { since: toIso(right.since), until: toIso(right.until) },
    years: statement.years.map((year) => ({
      index: year.index,
      start: year.start,
      end: year.end,
      feeMinor: year.feeMinor,
      breaches: { ...year.breaches },
      creditsMinor: year.creditsMinor,
      capMinor: year.capMinor,
      capReached: year.capReached,
      nextYearFeeMinor: year.nextYearFeeMinor,
      amountDueNextYearMinor: year.amountDueNextYearMinor,
      visits: { ...year.economics.visits },
      revenueMinor: year.economics.revenueMinor,
      poolCarryingCostMinor: year.economics.poolCarryingCostMinor,
      costToServeMinor: year.economics.costToServeMinor,
      marginMinor: year.economics.marginMinor,
      exclusivePoolFeesMinor: year.exclusivePoolFeesMinor,
    })),
    months: statement.months.map((month) => ({
      ...month,
      breaches: { ...month.breaches },
      decided: { ...month.decided },
      met: { ...month.met },
    })),
    rejected: statement.rejected.map((event) => ({ eventId: event.eventId, reason: event.reason })),
    pools: statement.pools.map((pool) => pool.poolId),
    loans: statement.loans.map(statementLoanJson),
  };
}

/** The per-level table of the replay output and of `aftercare economics`. */
export function toReplayEconomics(statements: readonly ContractStatement[]): ReplayOutput['economics'] {
  return { levels: levelEconomics(statements).map((level) => ({ ...level, breachRate: { ...level.breachRate } })) };
}
