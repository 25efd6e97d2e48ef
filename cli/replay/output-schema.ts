/**
 * The replay output (`aftercare replay --json`, docs/design.md#replay-output-aftercare-replay---json--stable-versioned): a stable, versioned contract with its readers.
 * Strict objects, so a field added without a version bump fails loudly.
 */
import * as z from 'zod';
import { LOCALES } from '#domain/model.ts';
import type { Kpi } from '#domain/model.ts';
import { NOTICE_STATES } from '#domain/statement.ts';
import type { ContractStatement } from '#domain/statement.ts';
import { toIso } from '#domain/time.ts';
import type { PoolReportRow } from '#usecases/pool-report.ts';
import { statementLoanJson } from '../statement/statement-json.ts';

const instant = z.iso.datetime();
const localDate = z.iso.date();
const minor = z.number().int().nonnegative();

const count = z.number().int().nonnegative();
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
  amountDueNextYearMinor: minor,
  exclusivePoolFeesMinor: minor,
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
  status: z.enum(['active', 'ending', 'ended']),
  currency: z.string().regex(/^[A-Z]{3}$/),
  terminationRight: z.strictObject({ since: instant, until: instant }).nullable(),
  years: z.array(replayYearSchema),
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

export const replayOutputSchema = z.strictObject({
  version: z.literal(1),
  asOf: instant,
  contracts: z.array(replayContractSchema),
  pools: z.array(replayPoolSchema),
  notices: z.array(replayNoticeSchema),
  deadLetters: z.array(replayDeadLetterSchema),
});

export type ReplayYear = z.infer<typeof replayYearSchema>;
export type ReplayContract = z.infer<typeof replayContractSchema>;
export type ReplayNotice = z.infer<typeof replayNoticeSchema>;
export type ReplayDeadLetter = z.infer<typeof replayDeadLetterSchema>;
export type ReplayOutput = z.infer<typeof replayOutputSchema>;
export type ReplayPool = z.infer<typeof replayPoolSchema>;

export function toReplayPool(row: PoolReportRow): ReplayPool {
  const { poolId, kind, location, units, out, contracts, drawsPerYear, meanTurnaroundDays, pEmpty, unitsNeeded, targetAvailability, refusedDraws } = row;
  return { poolId, kind, location, units, out, contracts: [...contracts], drawsPerYear, meanTurnaroundDays, pEmpty, unitsNeeded, targetAvailability, refusedDraws };
}

export function toReplayContract(statement: ContractStatement): ReplayContract {
  const right = statement.terminationRight;
  return {
    contractId: statement.contractId,
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
      amountDueNextYearMinor: year.amountDueNextYearMinor,
      exclusivePoolFeesMinor: year.exclusivePoolFeesMinor,
    })),
    rejected: statement.rejected.map((event) => ({ eventId: event.eventId, reason: event.reason })),
    pools: statement.pools.map((pool) => pool.poolId),
    loans: statement.loans.map(statementLoanJson),
  };
}
