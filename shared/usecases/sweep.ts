/**
 * Sweep use case (every minute): declare breaches of clocks past deadline + grace (and past the
 * lateness of the sources that feed them), raise warnings, report and re-apply parked events. Idempotent for the same minute: a case is written only when its
 * evaluation changed something, and an evaluated case leaves the due range of the attention index.
 */
import type { Catalog } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import type { AftercareEventV1 } from '#events/schemas.ts';
import { ATTENTION_SHARDS } from '#store/table-definition.ts';
import type { CaseRecord, CaseRef, ContractRecord, ParkedRecord, Store } from '#store/store.ts';
import type { NoticeRepository } from '#store/notice-repository.ts';
import type { SourceLagRepository } from '#store/source-lag-repository.ts';
import { makeArrivalTracking, type ArrivalLags } from './arrival-lags.ts';
import { creditsBookedMinor, progressCase } from './case-progress.ts';
import { retryOnConflict } from './conflict-retry.ts';
import { makeEventApplier } from './event-application.ts';
import { parkedEventsNotice } from './notice-factory.ts';
import { makeNoticeUpkeep } from './notice-upkeep.ts';
import type { Clock, SweepReport } from './ports.ts';
import { catalogRuntime } from './runtime.ts';

export interface SweepDependencies {
  readonly store: Store;
  readonly catalog: Catalog;
  readonly clock: Clock;
  /**
   * The notice outbox: stuck notices are re-driven, expired leases settled as unknown (notice-upkeep.ts).
   * Without it the sweep leaves notices alone; every deployed or local sweep should pass it.
   */
  readonly notices?: NoticeRepository;
  /**
   * Per-source lateness, read once per run: running clocks of cases fed by a late source stay
   * undecided. Without it nothing is held; every deployed or local sweep should pass it.
   */
  readonly sourceLags?: SourceLagRepository;
}

/** Cases read per BatchGetItem (two keys each: the case and its contract; the limit is 100 keys). */
const CASES_PER_READ = 50;
/** Cases progressed at the same time: bounded so a backlog does not throttle the table. */
const CONCURRENT_CASES = 8;

interface CaseTally {
  readonly breaches: number;
  readonly warnings: number;
  readonly creditsMinor: number;
}

const shards = (count: number): number[] => Array.from({ length: count }, (_, shard) => shard);

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function makeSweep(dependencies: SweepDependencies): { run(): Promise<SweepReport> } {
  const { store, catalog, clock } = dependencies;
  const runtime = catalogRuntime(catalog);
  const applier = makeEventApplier({ store, runtime, clock });
  const noticeUpkeep = dependencies.notices === undefined ? null : makeNoticeUpkeep({ notices: dependencies.notices });
  const arrivals = makeArrivalTracking({ sources: dependencies.sourceLags, catalog, clock });

  /** Brings one due case up to `now`; the first attempt uses the batch read, retries re-read it. */
  async function progressDue(first: { contract: ContractRecord; case: CaseRecord }, now: Instant, lags: ArrivalLags): Promise<CaseTally> {
    let current: { contract: ContractRecord; case: CaseRecord } | undefined = first;
    return retryOnConflict<CaseTally>(`case ${first.case.contractId}/${first.case.caseId}`, async () => {
      current ??= (await store.readCases([{ contractId: first.case.contractId, caseId: first.case.caseId }]))[0];
      if (current === undefined) return { kind: 'done', value: { breaches: 0, warnings: 0, creditsMinor: 0 } };
      const progress = await progressCase(store, runtime, {
        contract: current.contract,
        caseRecord: current.case,
        now,
        eventAdded: false,
        lags,
      });
      current = undefined;
      const result = progress.changed ? await store.commit(progress.writes) : 'committed';
      if (result === 'conflict') return { kind: 'conflict' };
      return {
        kind: 'done',
        value: { breaches: progress.breachesDeclared, warnings: progress.warningsRaised, creditsMinor: creditsBookedMinor(progress.writes) },
      };
    });
  }

  async function sweepCases(now: Instant, lags: ArrivalLags): Promise<Pick<SweepReport, 'casesExamined' | 'breachesDeclared' | 'creditsBookedMinor' | 'warningsRaised'>> {
    const refs: CaseRef[] = (await Promise.all(shards(ATTENTION_SHARDS.case).map((s) => store.dueCases(s, now)))).flat();
    let breachesDeclared = 0;
    let warningsRaised = 0;
    let creditsMinor = 0;
    let casesExamined = 0;
    for (let offset = 0; offset < refs.length; offset += CASES_PER_READ) {
      const cases = await store.readCases(refs.slice(offset, offset + CASES_PER_READ));
      casesExamined += cases.length;
      await inParallel(cases, CONCURRENT_CASES, async (due) => {
        const { breaches, warnings, creditsMinor: booked } = await progressDue(due, now, lags);
        breachesDeclared += breaches;
        creditsMinor += booked;
        warningsRaised += warnings;
      });
    }
    return { casesExamined, breachesDeclared, creditsBookedMinor: creditsMinor, warningsRaised };
  }

  async function sweepParked(now: Instant, lags: ArrivalLags): Promise<Pick<SweepReport, 'parkedOverdue' | 'parkedApplied'>> {
    const refs = (await Promise.all(shards(ATTENTION_SHARDS.parked).map((s) => store.overdueParked(s, now)))).flat();
    const overdue = refs.length === 0 ? [] : await store.readParked(refs);
    const waiting: ParkedRecord[] = [];
    let parkedApplied = 0;
    for (const parked of overdue.sort((a, b) => a.occurredAt - b.occurredAt)) {
      const outcome = await applier.apply(parked.event as AftercareEventV1, parked, lags);
      if (outcome.kind === 'parked') waiting.push(parked);
      else parkedApplied += 1;
    }
    if (waiting.length > 0) {
      const notice = parkedEventsNotice(
        {
          count: waiting.length,
          oldestReceivedAt: Math.min(...waiting.map((p) => p.receivedAt)),
          contractIds: [...new Set(waiting.map((p) => p.contractId))].sort(),
        },
        now,
      );
      await store.createNoticeOnce(notice);
    }
    return { parkedOverdue: waiting.length, parkedApplied };
  }

  return {
    async run() {
      const now = clock.now();
      const lags = await arrivals.current();
      const cases = await sweepCases(now, lags);
      const parked = await sweepParked(now, lags);
      const notices = noticeUpkeep === null ? {} : await noticeUpkeep.run(now);
      return { ...cases, ...parked, ...notices };
    },
  };
}
