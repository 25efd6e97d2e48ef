/**
 * The pool notices with deterministic ids (docs/design.md#7-notices, docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): one return reminder and one overdue
 * alert per loan, one exhausted alert per refused request, one risk alert per fall below the target.
 */
import type { Customer } from '#domain/model.ts';
import type { PoolFigures, PoolTerms } from '#domain/pools.ts';
import type { Instant } from '#domain/time.ts';
import type { PoolContext } from '#notices/types.ts';
import type { LoanRecord, NoticeRecord } from '#store/store.ts';

export function poolContext(terms: PoolTerms): PoolContext {
  return { poolId: terms.poolId, kind: terms.kind, holds: terms.holds, location: terms.location };
}

const loanId = (loan: LoanRecord): string => `${loan.poolId}#${new Date(loan.startedAt).toISOString()}#${loan.unitId}`;

export function loanReturnReminderNotice(input: {
  readonly pool: PoolTerms;
  readonly loan: LoanRecord;
  readonly borrower: Customer;
  readonly dueAt: Instant;
  readonly timeZone: string;
  readonly createdAt: Instant;
}): NoticeRecord {
  const { pool, loan, borrower, dueAt, timeZone, createdAt } = input;
  return {
    id: `loan.return_reminder#${loanId(loan)}`,
    contractId: loan.contractId,
    type: 'loan.return_reminder',
    audience: 'customer',
    to: borrower.email,
    locale: borrower.locale,
    payload: {
      type: 'loan.return_reminder',
      pool: poolContext(pool),
      unitId: loan.unitId,
      borrowerName: borrower.name,
      contractId: loan.contractId,
      caseId: loan.caseId,
      startedAt: loan.startedAt,
      dueAt,
      timeZone,
    },
    createdAt,
  };
}

export function loanOverdueNotice(input: {
  readonly pool: PoolTerms;
  readonly loan: LoanRecord;
  readonly borrowerName: string;
  readonly dueAt: Instant;
  readonly timeZone: string;
  readonly createdAt: Instant;
}): NoticeRecord {
  const { pool, loan, borrowerName, dueAt, timeZone, createdAt } = input;
  return {
    id: `ops.loan_overdue#${loanId(loan)}`,
    contractId: loan.contractId,
    type: 'ops.loan_overdue',
    audience: 'operations',
    to: null,
    locale: null,
    payload: {
      type: 'ops.loan_overdue',
      pool: poolContext(pool),
      unitId: loan.unitId,
      borrowerName,
      contractId: loan.contractId,
      caseId: loan.caseId,
      startedAt: loan.startedAt,
      dueAt,
      timeZone,
    },
    createdAt,
  };
}

/** One per refused request: the id carries the case and the request's identity. */
export function poolExhaustedNotice(input: {
  readonly pool: PoolTerms;
  readonly contractId: string;
  readonly caseId: string;
  readonly units: number;
  readonly out: number;
  readonly requestedAt: Instant;
  readonly eventIdentity: string;
  readonly createdAt: Instant;
}): NoticeRecord {
  const { pool, contractId, caseId, units, out, requestedAt, eventIdentity, createdAt } = input;
  return {
    id: `ops.pool_exhausted#${pool.poolId}#${contractId}#${caseId}#${eventIdentity}`,
    contractId,
    type: 'ops.pool_exhausted',
    audience: 'operations',
    to: null,
    locale: null,
    payload: { type: 'ops.pool_exhausted', pool: poolContext(pool), contractId, caseId, units, out, requestedAt },
    createdAt,
  };
}

/** One per fall below the target: the id carries the instant of the change (the pool's flag keeps it from repeating). */
export function poolRiskNotice(pool: PoolTerms, figures: PoolFigures, contracts: number, cause: string, createdAt: Instant): NoticeRecord {
  return {
    id: `ops.pool_risk#${pool.poolId}#${new Date(createdAt).toISOString()}`,
    contractId: null,
    type: 'ops.pool_risk',
    audience: 'operations',
    to: null,
    locale: null,
    payload: {
      type: 'ops.pool_risk',
      pool: poolContext(pool),
      cause,
      units: figures.units,
      out: figures.out,
      contracts,
      drawsPerYear: figures.drawsPerYear,
      meanTurnaroundDays: figures.meanTurnaroundDays,
      pEmpty: figures.pEmpty,
      targetAvailability: figures.targetAvailability,
      unitsNeeded: figures.unitsNeeded,
    },
    createdAt,
  };
}
