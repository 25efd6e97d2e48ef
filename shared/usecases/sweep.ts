/**
 * Sweep use case (every minute): keep notice delivery going, declare breaches of clocks past deadline +
 * grace (and past the lateness of the sources that feed them), raise warnings, report, re-apply and
 * expire parked events. Each case and each parked group is
 * processed on its own (item-retry.ts): one that fails is retried, then quarantined, never stopping the
 * others. Idempotent for the same minute: a case is written only when its evaluation changed something,
 * and an evaluated case leaves the due range of the attention index.
 */
import type { Catalog } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import type { CaseRecord, CaseRef, CaseRepository } from '#store/case-repository.ts';
import type { ContractRecord } from '#store/contract-repository.ts';
import type { ParkedRecord } from '#store/parked-event-repository.ts';
import type { RetriedItemRef } from '#store/retried-items.ts';
import type { AttentionEntry } from '#store/store.ts';
import type { ItemFailureRepository } from '#store/item-failures.ts';
import { DAY_MS } from '#store/keys.ts';
import type { NoticeRepository } from '#store/notice-repository.ts';
import type { SourceLagRepository } from '#store/source-lag-repository.ts';
import { reasonOf } from '../outcomes.ts';
import { makeArrivalTracking, type ArrivalLags } from './arrival-lags.ts';
import { creditsBookedMinor, progressCase } from './case-progress.ts';
import { retryOnConflict } from './conflict-retry.ts';
import { makeEventApplier, type EventApplicationStore } from './event-application.ts';
import type { SuppressionRepository } from '#store/delivery-feedback-repository.ts';
import { inParallel } from './in-parallel.ts';
import { makeItemRetry, type ItemRetry } from './item-retry.ts';
import { parkedEventsNotice } from './notice-factory.ts';
import { makeNoticeUpkeep } from './notice-upkeep.ts';
import { parkedGroups, type ParkedGroup } from './parked-groups.ts';
import type { Clock, SweepReport } from './ports.ts';
import { catalogRuntime } from './runtime.ts';

export interface SweepDependencies {
  /** Due cases, overdue parked events, and what applying an event reads and writes. */
  readonly store: CaseRepository & EventApplicationStore;
  readonly catalog: Catalog;
  readonly clock: Clock;
  /**
   * The notice outbox: stuck notices are re-driven, expired leases settled as unknown (notice-upkeep.ts).
   * Without it the sweep leaves notices alone; every deployed or local sweep should pass it.
   */
  readonly notices?: NoticeRepository;
  /**
   * Failure counts of cases and parked groups (item-failures.ts): without it a failing item is retried
   * every run and quarantined only when it can never succeed. Every deployed or local sweep passes it.
   */
  readonly failures?: ItemFailureRepository;
  /**
   * Per-source lateness, read once per run: running clocks of cases fed by a late source stay
   * undecided. Without it nothing is held; every deployed or local sweep should pass it.
   */
  readonly sourceLags?: SourceLagRepository;
  /** A parked `contract.amended` applied here lifts its email's suppression, as at intake (docs/design.md#12-contract-changes-and-billing). */
  readonly suppressions?: Pick<SuppressionRepository, 'releaseSuppression'>;
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

export function makeSweep(dependencies: SweepDependencies): { run(): Promise<SweepReport> } {
  const { store, catalog, clock } = dependencies;
  const runtime = catalogRuntime(catalog);
  const { suppressions } = dependencies;
  const applier = makeEventApplier({ store, runtime, clock, ...(suppressions === undefined ? {} : { suppressions }) });
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
        timeDecisions: 'here',
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

  /** One due case inside its own isolation, added to the run's tally unless it failed. */
  async function progressOne(
    tally: CasesTally,
    ref: CaseRef,
    read: () => Promise<{ contract: ContractRecord; case: CaseRecord } | undefined>,
    now: Instant,
    lags: ArrivalLags,
    items: ItemRetry,
  ): Promise<void> {
    const progress = await items.run(caseItem(ref), [{ kind: 'case', ...ref }], async () => {
      const due = await read();
      return due === undefined ? null : progressDue(due, now, lags);
    });
    if (progress === null) return;
    tally.casesExamined += 1;
    tally.breachesDeclared += progress.breaches;
    tally.creditsBookedMinor += progress.creditsMinor;
    tally.warningsRaised += progress.warnings;
  }

  async function sweepCases(now: Instant, lags: ArrivalLags, items: ItemRetry): Promise<CasesTally> {
    const refs = await store.dueCases(now);
    const tally: CasesTally = { casesExamined: 0, breachesDeclared: 0, creditsBookedMinor: 0, warningsRaised: 0 };
    for (let offset = 0; offset < refs.length; offset += CASES_PER_READ) {
      const batch = refs.length <= CASES_PER_READ ? refs : refs.slice(offset, offset + CASES_PER_READ);
      let cases: { contract: ContractRecord; case: CaseRecord }[] | null;
      try {
        cases = await store.readCases(batch);
      } catch {
        // One unreadable case must not hide the others: read each on its own, inside its own isolation.
        cases = null;
      }
      if (cases === null) {
        await inParallel(batch, CONCURRENT_CASES, (ref) => progressOne(tally, ref, async () => (await store.readCases([ref]))[0], now, lags, items));
      } else {
        await inParallel(cases, CONCURRENT_CASES, (due) =>
          progressOne(tally, { contractId: due.case.contractId, caseId: due.case.caseId }, () => Promise.resolve(due), now, lags, items),
        );
      }
    }
    return tally;
  }

  /**
   * Overdue parked events: a registered contract's parked events are applied, each case's together; a
   * contract still absent is reported (daily notice), and its events older than `parkedRetentionDays`
   * at the start of the UTC day expire — all of a day's expiries fall in its first run, with its notice.
   */
  async function sweepParked(now: Instant, lags: ArrivalLags, items: ItemRetry): Promise<ParkedTally> {
    const refs = await store.overdueParked(now);
    // Nothing overdue (most runs): nothing to apply, expire or report.
    if (refs.length === 0) return { parkedOverdue: 0, parkedApplied: 0, parkedExpired: 0 };
    const overdue = await store.readParked(refs);
    const byContract = new Map<string, ParkedRecord[]>();
    for (const parked of overdue) byContract.set(parked.contractId, [...(byContract.get(parked.contractId) ?? []), parked]);
    const retentionDays = catalog.parkedRetentionDays;
    const expiresBy = Math.floor(now / DAY_MS) * DAY_MS - retentionDays * DAY_MS;
    const expiryReason = `the contract was not registered within ${retentionDays} days`;
    const waiting: ParkedRecord[] = [];
    const expired: ParkedRecord[] = [];
    let parkedApplied = 0;

    for (const [contractId, ofContract] of byContract) {
      const overdueGroups = parkedGroups(ofContract);
      let all: ParkedRecord[] | null;
      try {
        const first = ofContract[0] as ParkedRecord;
        const { contract } = await store.readEventContext({ source: first.source, eventId: first.eventId, contractId, caseId: null });
        all = contract === null ? null : await store.readParkedOf(contractId);
      } catch (error) {
        for (const group of overdueGroups) await items.fail(parkedItem(group), attentionOf(group), error);
        continue;
      }
      if (all === null) {
        for (const group of overdueGroups) {
          const stale = group.parked.filter((parked) => parked.receivedAt <= expiresBy);
          waiting.push(...group.parked.filter((parked) => parked.receivedAt > expiresBy));
          if (stale.length === 0) continue;
          const done = await items.run(parkedItem(group), attentionOf(group), async () => {
            for (const parked of stale) await applier.expireParked(parked, expiryReason);
            return true;
          });
          if (done === null) waiting.push(...stale);
          else expired.push(...stale);
        }
        continue;
      }
      for (const group of parkedGroups(all)) {
        const outcome = await items.run(parkedItem(group), attentionOf(group), () => applier.applyParkedGroup(group, lags));
        if (outcome === null) continue;
        parkedApplied += outcome.applied + outcome.rejected;
        if (outcome.waiting > 0) waiting.push(...group.parked);
      }
    }
    if (waiting.length > 0 || expired.length > 0) {
      const notice = parkedEventsNotice(
        {
          count: waiting.length,
          oldestReceivedAt: Math.min(...[...waiting, ...expired].map((p) => p.receivedAt)),
          contractIds: contractIdsOf(waiting),
          ...(expired.length === 0 ? {} : { expired: { count: expired.length, retentionDays, contractIds: contractIdsOf(expired) } }),
        },
        now,
      );
      await store.createNoticeOnce(notice);
    }
    return { parkedOverdue: waiting.length, parkedApplied, parkedExpired: expired.length };
  }

  /** A phase that fails as a whole is reported, and the others still run. */
  async function phase<T extends object>(name: SweepPhase, failed: PhaseFailure[], work: () => Promise<T>): Promise<Partial<T>> {
    try {
      return await work();
    } catch (error) {
      failed.push({ phase: name, reason: reasonOf(error) });
      return {};
    }
  }

  return {
    async run() {
      const now = clock.now();
      const phasesFailed: PhaseFailure[] = [];
      // The notice upkeep first and on its own: whatever the cases and parked events do, expired leases
      // become `unknown` and stuck notices are re-driven.
      const notices = noticeUpkeep === null ? {} : await phase('notices', phasesFailed, () => noticeUpkeep.run(now));
      const items = makeItemRetry({ store, failures: dependencies.failures, now });
      // The sources' lateness, once per run, for every case and parked group. Unreadable, neither phase
      // can decide a running clock: both are reported failed (evaluating without the holds could breach).
      let lags: ArrivalLags | null = null;
      try {
        lags = await arrivals.current();
      } catch (error) {
        const reason = `source lateness unreadable: ${reasonOf(error)}`;
        phasesFailed.push({ phase: 'cases', reason }, { phase: 'parked', reason });
      }
      const cases = lags === null ? {} : await phase('cases', phasesFailed, () => sweepCases(now, lags, items));
      const parked = lags === null ? {} : await phase('parked', phasesFailed, () => sweepParked(now, lags, items));
      const failures = items.failures.map(({ kind, contractId, id, reason, quarantined }) => ({ kind, contractId, id, reason, quarantined }));
      return {
        casesExamined: 0,
        breachesDeclared: 0,
        warningsRaised: 0,
        parkedOverdue: 0,
        parkedApplied: 0,
        ...cases,
        ...parked,
        ...notices,
        itemsFailed: failures.filter((f) => !f.quarantined).length,
        itemsQuarantined: failures.filter((f) => f.quarantined).length,
        ...(failures.length === 0 ? {} : { failures }),
        ...(phasesFailed.length === 0 ? {} : { phasesFailed }),
      };
    },
  };
}

type SweepPhase = NonNullable<SweepReport['phasesFailed']>[number]['phase'];
type PhaseFailure = NonNullable<SweepReport['phasesFailed']>[number];
interface CasesTally {
  casesExamined: number;
  breachesDeclared: number;
  creditsBookedMinor: number;
  warningsRaised: number;
}
type ParkedTally = Pick<SweepReport, 'parkedOverdue' | 'parkedApplied' | 'parkedExpired'>;

const contractIdsOf = (parked: readonly ParkedRecord[]): string[] => [...new Set(parked.map((p) => p.contractId))].sort();
const caseItem = (ref: CaseRef): RetriedItemRef => ({ kind: 'case', contractId: ref.contractId, id: ref.caseId });
const parkedItem = (group: ParkedGroup): RetriedItemRef => ({ kind: 'parked', contractId: group.contractId, id: group.id });
const attentionOf = (group: ParkedGroup): AttentionEntry[] =>
  group.parked.map((parked) => ({ kind: 'parked', ref: { contractId: parked.contractId, occurredAt: parked.occurredAt, source: parked.source, eventId: parked.eventId } }));
