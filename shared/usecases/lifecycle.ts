/**
 * Lifecycle use case (daily, docs/design.md#4-contracts, docs/design.md#7-notices): finds the contracts due through the attention index and
 * advances each day by day up to its local today. Each day that brings something is one transaction:
 * the contract (version-conditioned) with its new last-advanced and next dates, and that day's notices.
 * A rerun finds nothing left to do; a run after missed days does each missed day's work.
 */
import {
  needsClockOutcomes,
  nextLifecycleDate,
  planDay,
  type LifecycleOccurrenceKind,
  type LifecycleSubject,
} from '#domain/lifecycle.ts';
import { KPIS, type Catalog, type ServiceLevel } from '#domain/model.ts';
import type { ClockOutcome } from '#domain/statement.ts';
import { yearIndexAt } from '#domain/terms.ts';
import { addDays, localDateAt, type Instant, type LocalDate } from '#domain/time.ts';
import type { ItemFailureRepository } from '#store/item-failures.ts';
import type { LifecycleRepository } from '#store/lifecycle-repository.ts';
import type { CaseRecord } from '#store/case-repository.ts';
import type { ContractRecord } from '#store/contract-repository.ts';
import type { StoreWrite, Transaction } from '#store/store.ts';
import type { YearRepository } from '#store/year-repository.ts';
import { retryOnConflict } from './conflict-retry.ts';
import { inParallel } from './in-parallel.ts';
import { makeItemRetry } from './item-retry.ts';
import { lifecycleNotice } from './lifecycle-notices.ts';
import type { LoanUpkeep, LoanUpkeepReport } from './loan-upkeep.ts';
import type { Clock } from './ports.ts';
import { catalogRuntime } from './runtime.ts';

export interface LifecycleDependencies {
  /** The years a contract has begun (its breaches), and the transaction each advanced day commits in. */
  readonly store: YearRepository & Transaction;
  readonly contracts: LifecycleRepository;
  readonly catalog: Catalog;
  readonly clock: Clock;
  /** Failure counts (item-failures.ts): without it a failing contract is quarantined only when it can never succeed. */
  readonly failures?: ItemFailureRepository;
  /** Loan reminders and overdue alerts (loan-upkeep.ts, docs/design.md#10-service-structures-loan-units-and-spare-parts-pools), run after the contracts. */
  readonly loans?: LoanUpkeep;
}

export interface LifecycleFailure {
  readonly contractId: string;
  readonly reason: string;
}

export interface LifecycleReport {
  /** Contracts the attention index listed as due. */
  readonly contractsDue: number;
  /** Contracts that had at least one day committed. */
  readonly contractsAdvanced: number;
  /** Days committed (each one transaction). */
  readonly daysAdvanced: number;
  readonly noticesCreated: number;
  readonly occurrences: Readonly<Record<LifecycleOccurrenceKind, number>>;
  /** Contracts left for the next run (a retried invocation, or tomorrow) because advancing them failed. */
  readonly failed: readonly LifecycleFailure[];
  /** Contracts set aside this run after failing too often: out of the attention index, recorded, alerted. */
  readonly quarantined: readonly LifecycleFailure[];
  /** What the look at open loans did, when the run has one. */
  readonly loans?: LoanUpkeepReport;
}

export interface Lifecycle {
  run(): Promise<LifecycleReport>;
}

/** UTC+14 is the first zone to reach a date: contracts are due through its date, then each is checked in its own zone. */
const EARLIEST_ZONE = 'Etc/GMT-14';
/** Contracts advanced at the same time: bounded so a backlog does not throttle the table. */
const CONCURRENT_CONTRACTS = 8;
/** Contracts read per BatchGetItem (the limit is 100 keys). */
const CONTRACTS_PER_READ = 100;

interface Tally {
  advanced: boolean;
  days: number;
  notices: number;
  readonly occurrences: Record<LifecycleOccurrenceKind, number>;
}

const noOccurrences = (): Record<LifecycleOccurrenceKind, number> => ({
  renewalReminder: 0,
  expiryReminder: 0,
  yearClosed: 0,
  renewed: 0,
  ended: 0,
  terminationRightLapsed: 0,
});

function outcomesOf(cases: readonly CaseRecord[]): ClockOutcome[] {
  return cases.flatMap((c) =>
    KPIS.flatMap((kpi) => {
      const decided = c.decided[kpi];
      return decided === undefined ? [] : [{ caseId: c.caseId, kpi, deadline: decided.deadline, breached: decided.breached }];
    }),
  );
}

/** A contract never advanced starts at its start date, or at its registration when it was registered late. */
function firstDayOf(contract: ContractRecord): LocalDate {
  const registered = localDateAt(contract.registeredAt, contract.terms.timeZone);
  return registered > contract.terms.startDate ? registered : contract.terms.startDate;
}

export function makeLifecycle(dependencies: LifecycleDependencies): Lifecycle {
  const { store, contracts, catalog, clock } = dependencies;
  const runtime = catalogRuntime(catalog);

  async function subjectOf(contract: ContractRecord, level: ServiceLevel, now: Instant): Promise<LifecycleSubject> {
    const { terms } = contract;
    const yearsBegun = yearIndexAt(terms, now);
    const years =
      yearsBegun < 1 ? [] : await store.readYears(terms.contractId, Array.from({ length: yearsBegun }, (_, i) => i + 1));
    const breaches = years.flatMap((year) =>
      year.breaches.map(({ caseId, kpi, deadline, creditPercent }) => ({ caseId, kpi, deadline, creditPercent })),
    );
    return { terms, level, levelOf: (key) => runtime.level(key), termination: contract.termination, breaches, outcomes: [] };
  }

  /** One attempt: 'conflict' when a commit lost a race (the days committed before it stay done). */
  async function advanceFrom(contract: ContractRecord, now: Instant, tally: Tally): Promise<'done' | 'conflict'> {
    const { terms } = contract;
    const today = localDateAt(now, terms.timeZone);
    // The index is eventually consistent and spans every zone: the consistent read decides.
    if (contract.nextLifecycleDate === null || contract.nextLifecycleDate > today) return 'done';
    const level = runtime.level(terms.serviceLevel);
    let subject = await subjectOf(contract, level, now);
    let outcomesRead = false;
    let record = contract;

    const commitDay = async (date: LocalDate, next: LocalDate | null, notices: StoreWrite[]): Promise<boolean> => {
      const advanced: ContractRecord = { ...record, lastAdvancedDate: date, nextLifecycleDate: next };
      const result = await store.commit([{ kind: 'contract', record: advanced }, ...notices]);
      if (result !== 'committed') return false;
      record = { ...advanced, version: advanced.version + 1 };
      tally.advanced = true;
      return true;
    };

    let date = contract.lastAdvancedDate === null ? firstDayOf(contract) : addDays(contract.lastAdvancedDate, 1);
    while (date <= today) {
      let plan = planDay(subject, date);
      if (needsClockOutcomes(plan) && !outcomesRead) {
        subject = { ...subject, outcomes: outcomesOf(await contracts.readCasesOf(terms.contractId)) };
        outcomesRead = true;
        plan = planDay(subject, date);
      }
      if (plan.occurrences.length > 0) {
        const notices: StoreWrite[] = plan.occurrences.flatMap((occurrence) => {
          const notice = lifecycleNotice(record, level, occurrence, now);
          return notice === null ? [] : [{ kind: 'notice', notice } as const];
        });
        if (!(await commitDay(date, plan.ended ? null : nextLifecycleDate(subject, date), notices))) return 'conflict';
        tally.days += 1;
        tally.notices += notices.length;
        for (const occurrence of plan.occurrences) tally.occurrences[occurrence.kind] += 1;
        if (plan.ended) return 'done';
      }
      date = nextLifecycleDate(subject, date);
    }
    if (record === contract) {
      // Due, yet nothing to do through today (the plan changed since the date was set): move the date on.
      if (!(await commitDay(today, nextLifecycleDate(subject, today), []))) return 'conflict';
    }
    return 'done';
  }

  async function advance(first: ContractRecord, now: Instant, tally: Tally): Promise<void> {
    const { contractId } = first.terms;
    let current: ContractRecord | undefined = first;
    await retryOnConflict(`lifecycle of contract ${contractId}`, async () => {
      current ??= (await contracts.readContracts([contractId]))[0];
      if (current === undefined) return { kind: 'done', value: undefined };
      const result = await advanceFrom(current, now, tally);
      current = undefined;
      return result === 'conflict' ? { kind: 'conflict' } : { kind: 'done', value: undefined };
    });
  }

  return {
    async run() {
      const now = clock.now();
      const through = localDateAt(now, EARLIEST_ZONE);
      const due = await contracts.dueContracts(through);

      const occurrences = noOccurrences();
      // One contract's failure must not hold back the others: each is counted, retried, then quarantined.
      const items = makeItemRetry({ store, failures: dependencies.failures, now });
      let contractsAdvanced = 0;
      let daysAdvanced = 0;
      let noticesCreated = 0;
      const advanceOne = async (contractId: string, read: () => Promise<ContractRecord | undefined>): Promise<void> => {
        const tally: Tally = { advanced: false, days: 0, notices: 0, occurrences: noOccurrences() };
        await items.run({ kind: 'lifecycle', contractId, id: 'lifecycle' }, [{ kind: 'lifecycle', contractId }], async () => {
          const contract = await read();
          if (contract !== undefined) await advance(contract, now, tally);
        });
        contractsAdvanced += tally.advanced ? 1 : 0;
        daysAdvanced += tally.days;
        noticesCreated += tally.notices;
        for (const kind of Object.keys(occurrences) as LifecycleOccurrenceKind[]) occurrences[kind] += tally.occurrences[kind];
      };
      for (let offset = 0; offset < due.length; offset += CONTRACTS_PER_READ) {
        const ids = due.slice(offset, offset + CONTRACTS_PER_READ);
        let batch: ContractRecord[] | null;
        try {
          batch = await contracts.readContracts(ids);
        } catch {
          batch = null; // one unreadable contract must not hide the others: each is read on its own
        }
        if (batch === null) {
          await inParallel(ids, CONCURRENT_CONTRACTS, (id) => advanceOne(id, async () => (await contracts.readContracts([id]))[0]));
        } else {
          await inParallel(batch, CONCURRENT_CONTRACTS, (contract) => advanceOne(contract.terms.contractId, () => Promise.resolve(contract)));
        }
      }
      const failed = items.failures.filter((f) => !f.quarantined).map(({ contractId, reason }) => ({ contractId, reason }));
      const quarantined = items.failures.filter((f) => f.quarantined).map(({ contractId, reason }) => ({ contractId, reason }));
      // Loans are looked at after the contracts; a failure here fails the run (retried by the schedule), the contracts stay done.
      const loans = dependencies.loans === undefined ? {} : { loans: await dependencies.loans.run() };
      return { contractsDue: due.length, contractsAdvanced, daysAdvanced, noticesCreated, occurrences, failed, quarantined, ...loans };
    },
  };
}
