/** The statement (docs/design.md#8-read-model-the-statement) as JSON: instants as ISO-8601 UTC, dates as contract-local dates, money in minor units. */
import type { ContractStatement, StatementLoan } from '#domain/statement.ts';
import { toIso } from '#domain/time.ts';

export function statementJson(statement: ContractStatement, asOf: number): Record<string, unknown> {
  const right = statement.terminationRight;
  return {
    asOf: toIso(asOf),
    contractId: statement.contractId,
    status: statement.status,
    serviceLevel: statement.serviceLevel,
    currency: statement.currency,
    terms: { ...statement.terms, endsAt: statement.terms.endsAt === null ? null : toIso(statement.terms.endsAt) },
    terminationRight: right === null ? null : { since: toIso(right.since), until: toIso(right.until) },
    liabilityCapMinor: statement.liabilityCapMinor,
    years: statement.years,
    creditsOwedMinor: statement.creditsOwedMinor,
    ledger: statement.ledger.map((entry) => ({ ...entry, bookedAt: toIso(entry.bookedAt) })),
    notices: statement.notices,
    rejected: statement.rejected,
    parked: statement.parked.map((parked) => ({ ...parked, receivedAt: toIso(parked.receivedAt) })),
    pausedTime: statement.pausedTime.map((paused) => ({
      ...paused,
      pauses: paused.pauses.map((pause) => ({ reason: pause.reason, from: toIso(pause.from), to: pause.to === null ? null : toIso(pause.to) })),
    })),
    pools: statement.pools,
    loans: statement.loans.map(statementLoanJson),
    // Only when there is one: statements of healthy contracts keep their shape.
    ...(statement.quarantined.length === 0 ? {} : { quarantined: statement.quarantined.map((item) => ({ ...item, at: toIso(item.at) })) }),
  };
}

/** A loan with its instants as ISO-8601 UTC (the replay output's shape too). */
export function statementLoanJson(loan: StatementLoan) {
  return {
    poolId: loan.poolId,
    unitId: loan.unitId,
    caseId: loan.caseId,
    borrower: loan.borrower,
    startedAt: toIso(loan.startedAt),
    dueAt: loan.dueAt === null ? null : toIso(loan.dueAt),
    returnedAt: loan.returnedAt === null ? null : toIso(loan.returnedAt),
    overdue: loan.overdue,
    daysOut: loan.daysOut,
  };
}
