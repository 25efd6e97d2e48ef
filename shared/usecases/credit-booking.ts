/**
 * Books a change of one contract year's breaches: recomputes the year's credits from its breaches,
 * books the difference per breach in the append-only ledger and writes the notices it warrants. The
 * credit notices wait until the year has settled (`settleMs` after this change) and are checked again
 * when they are sent (credit-notice-check.ts).
 */
import { breachKey, creditYear } from '#domain/credits.ts';
import { feeOfYear } from '#domain/terms.ts';
import type { Kpi, ServiceLevel } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import type { ContractRecord, LedgerReason, LedgerRecord, NoticeRecord, YearBreach, YearRecord } from '#store/store.ts';
import { capReachedNotice, contractContext, creditAdjustedNotice, creditIssuedNotice } from './notice-factory.ts';

export interface YearChange {
  /** Breaches of this year that are no longer declared (or declared differently). */
  readonly withdrawn: readonly YearBreach[];
  /** Breaches newly declared in this year (or declared differently). */
  readonly declared: readonly YearBreach[];
}

export interface YearBooking {
  readonly year: YearRecord;
  readonly ledger: readonly LedgerRecord[];
  readonly notices: readonly NoticeRecord[];
}

export function emptyYear(contractId: string, yearIndex: number): YearRecord {
  return {
    contractId,
    yearIndex,
    breaches: [],
    booked: {},
    ledgerSeq: 0,
    creditNoticesIssued: [],
    rightsNotified: [],
    changedAt: null,
    version: 0,
  };
}

export function bookYearChange(input: {
  readonly contract: ContractRecord;
  readonly level: ServiceLevel;
  readonly year: YearRecord;
  readonly change: YearChange;
  readonly now: Instant;
  /** How long the year's credit notices wait after this change before they are sent. */
  readonly settleMs: number;
}): YearBooking {
  const { contract, level, year, change, now } = input;
  const sendFrom = now + input.settleMs;
  const withdrawnKeys = new Set(change.withdrawn.map((b) => breachKey(b.caseId, b.kpi)));
  const declaredKeys = new Set(change.declared.map((b) => breachKey(b.caseId, b.kpi)));
  const breaches = [
    ...year.breaches.filter((b) => {
      const key = breachKey(b.caseId, b.kpi);
      return !withdrawnKeys.has(key) && !declaredKeys.has(key);
    }),
    ...change.declared,
  ];
  // The year's own fee and its level's cap (`level` is the year's: docs/design.md#12-contract-changes-and-billing).
  const credits = creditYear({
    feeMinor: feeOfYear(contract.terms, year.yearIndex),
    capPercent: level.creditCapPercent,
    terminationWindowDays: level.terminationWindowDays,
    timeZone: contract.terms.timeZone,
    breaches,
  });

  const identity = new Map<string, { caseId: string; kpi: Kpi; stoppedAt: Instant | null }>();
  for (const b of [...year.breaches, ...breaches]) identity.set(breachKey(b.caseId, b.kpi), b);
  const booked: Record<string, number> = {};
  for (const b of credits.breaches) if (b.creditMinor !== 0) booked[b.key] = b.creditMinor;

  // Credited breaches in accrual order first, then withdrawn ones: a stable, explainable ledger order.
  const keys = [...new Set([...credits.breaches.map((b) => b.key), ...Object.keys(year.booked).sort()])];
  const noticedBefore = new Set(year.creditNoticesIssued);
  const ledger: LedgerRecord[] = [];
  const adjustments: LedgerRecord[] = [];
  let seq = year.ledgerSeq;
  for (const key of keys) {
    const delta = (booked[key] ?? 0) - (year.booked[key] ?? 0);
    const breach = identity.get(key);
    if (delta === 0 || breach === undefined) continue;
    seq += 1;
    const why: LedgerReason = !breaches.some((b) => breachKey(b.caseId, b.kpi) === key)
      ? 'breach_withdrawn'
      : year.booked[key] === undefined && declaredKeys.has(key)
        ? 'breach_declared'
        : 'recomputed';
    const entry: LedgerRecord = {
      contractId: contract.terms.contractId,
      yearIndex: year.yearIndex,
      seq,
      caseId: breach.caseId,
      kpi: breach.kpi,
      amountMinor: delta,
      bookedAt: now,
      why,
    };
    ledger.push(entry);
    if (noticedBefore.has(key) || (booked[key] ?? 0) === 0) adjustments.push(entry);
  }

  const context = contractContext(contract, level);
  const notices: NoticeRecord[] = [];
  const issued: string[] = [];
  for (const b of credits.breaches) {
    if (b.creditMinor <= 0 || noticedBefore.has(b.key)) continue;
    issued.push(b.key);
    notices.push(
      creditIssuedNotice(
        contract,
        {
          type: 'credit.issued',
          contract: context,
          caseId: b.caseId,
          kpi: b.kpi,
          deadline: b.deadline,
          metAt: identity.get(b.key)?.stoppedAt ?? null,
          creditMinor: b.creditMinor,
          yearIndex: year.yearIndex,
          yearTotalMinor: credits.totalMinor,
          capMinor: credits.capMinor,
        },
        now,
      ),
    );
  }
  const firstAdjustment = adjustments[0];
  if (firstAdjustment !== undefined) {
    notices.push(
      creditAdjustedNotice(
        contract,
        {
          type: 'credit.adjusted',
          contract: context,
          yearIndex: year.yearIndex,
          changes: adjustments.map((e) => ({ caseId: e.caseId, kpi: e.kpi, amountMinor: e.amountMinor })),
          previousTotalMinor: Object.values(year.booked).reduce((sum, amount) => sum + amount, 0),
          newTotalMinor: credits.totalMinor,
          capMinor: credits.capMinor,
        },
        now,
      ),
    );
  }
  const right = credits.terminationRight;
  const rightIsNew = right !== null && !year.rightsNotified.includes(right.since);
  if (rightIsNew) {
    notices.push(
      capReachedNotice(
        contract,
        {
          type: 'credit.cap_reached',
          contract: context,
          yearIndex: year.yearIndex,
          capMinor: credits.capMinor,
          rightSince: right.since,
          rightUntil: right.until,
        },
        now,
      ),
    );
  }

  return {
    year: {
      ...year,
      breaches,
      booked,
      ledgerSeq: seq,
      creditNoticesIssued: [...year.creditNoticesIssued, ...issued],
      rightsNotified: rightIsNew ? [...year.rightsNotified, right.since] : year.rightsNotified,
      changedAt: now,
    },
    ledger,
    notices: notices.map((notice) => ({ ...notice, sendFrom })),
  };
}
