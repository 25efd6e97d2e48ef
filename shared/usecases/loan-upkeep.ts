/**
 * The daily look at every open loan (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): a reminder to the borrower when its due date is near
 * (`loan.return_reminder`), an alert to operations once it is overdue (`ops.loan_overdue`). A case
 * loan is due `loanReturnDays` after its case ended; one whose case is still open is not due. Notices
 * have deterministic ids (one each per loan), created once: a second run the same day creates nothing.
 */
import { DAY_MS, isOverdue, LOAN_REMINDER_DAYS, loanDueAt } from '#domain/pools.ts';
import type { Instant } from '#domain/time.ts';
import type { CaseRecord, CaseRepository } from '#store/case-repository.ts';
import type { PoolRepository } from '#store/pool-repository.ts';
import { borrowerOf } from '#store/pool-repository.ts';
import type { ContractRecord, LoanRecord, Transaction } from '#store/store.ts';
import { loanOverdueNotice, loanReturnReminderNotice } from './pool-notices.ts';
import type { Clock } from './ports.ts';
import type { CatalogRuntime } from './runtime.ts';

export interface LoanUpkeepReport {
  readonly openLoans: number;
  readonly remindersCreated: number;
  readonly overdueAlerts: number;
}

export interface LoanUpkeep {
  run(): Promise<LoanUpkeepReport>;
}

/** When a case stopped needing its loan: its resolution or cancellation, or null while it is open. */
export function caseEndedAt(caseRecord: CaseRecord | undefined): Instant | null {
  const end = caseRecord?.events.filter((e) => e.type === 'case.resolved' || e.type === 'case.cancelled').map((e) => e.occurredAt);
  return end === undefined || end.length === 0 ? null : Math.min(...end);
}

/** A loan's due instant as the rules read it, with what its notices need. */
export function dueOf(
  loan: LoanRecord,
  found: { contract: ContractRecord; case: CaseRecord } | undefined,
  runtime: CatalogRuntime,
): Instant | null {
  if (loan.caseId === null) return loan.dueAt;
  if (found === undefined) return null;
  return loanDueAt(loan, caseEndedAt(found.case), runtime.loanReturnDays(found.contract.terms.serviceLevel));
}

export function makeLoanUpkeep(dependencies: {
  readonly pools: PoolRepository;
  readonly cases: Pick<CaseRepository, 'readCases'>;
  readonly store: Pick<Transaction, 'createNoticeOnce'>;
  readonly runtime: CatalogRuntime;
  readonly clock: Clock;
}): LoanUpkeep {
  const { pools, cases, store, runtime, clock } = dependencies;
  return {
    async run() {
      const now = clock.now();
      let openLoans = 0;
      let remindersCreated = 0;
      let overdueAlerts = 0;
      for (const pool of await pools.listPools()) {
        const state = await pools.readPool(pool.terms.poolId);
        const open = state.loans.filter((loan) => loan.endedAt === null);
        openLoans += open.length;
        const refs = open.flatMap((loan) => (loan.caseId === null || loan.contractId === null ? [] : [{ contractId: loan.contractId, caseId: loan.caseId }]));
        const found = refs.length === 0 ? [] : await cases.readCases(refs);
        const caseOf = (loan: LoanRecord) => found.find((f) => f.contract.terms.contractId === loan.contractId && f.case.caseId === loan.caseId);
        for (const loan of open) {
          const withCase = caseOf(loan);
          const dueAt = dueOf(loan, withCase, runtime);
          if (dueAt === null) continue;
          const borrower = borrowerOf(loan, withCase?.contract ?? null);
          const timeZone = loan.timeZone ?? withCase?.contract.terms.timeZone ?? 'Europe/Oslo';
          if (isOverdue(loan, dueAt, now)) {
            const notice = loanOverdueNotice({ pool: pool.terms, loan, borrowerName: borrower?.name ?? '—', dueAt, timeZone, createdAt: now });
            if (await store.createNoticeOnce(notice)) overdueAlerts += 1;
          } else if (borrower !== null && now >= dueAt - LOAN_REMINDER_DAYS * DAY_MS) {
            const notice = loanReturnReminderNotice({ pool: pool.terms, loan, borrower, dueAt, timeZone, createdAt: now });
            if (await store.createNoticeOnce(notice)) remindersCreated += 1;
          }
        }
      }
      return { openLoans, remindersCreated, overdueAlerts };
    },
  };
}
