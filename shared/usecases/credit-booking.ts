/**
 * Books a change of one contract year's breaches: recomputes the year's credits from its breaches,
 * books the difference per breach in the append-only ledger and writes the notices it warrants. The
 * credit notices wait until the year has settled (`settleMs` after this change) and are checked again
 * when they are sent (credit-notice-check.ts).
 */
import {
  breachKey,
  compareBreaches,
  creditYear,
  percentOfMinor,
  terminationWindowEnd,
  type BreachRecord,
  type CreditedBreach,
  type CreditYearInput,
  type TerminationRight,
  type YearCredits,
} from '#domain/credits.ts';
import { feeOfYear } from '#domain/terms.ts';
import type { Kpi, ServiceLevel } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import type { ContractRecord, LedgerReason, LedgerRecord, NoticeRecord, YearBreach, YearRecord } from '#store/store.ts';
import { carryBreachesBound, carryNoticedBound } from '#store/transaction-bounds.ts';
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

/**
 * A breach's identity as a pair: the same as comparing `breachKey`s (no KPI holds a `#`). The KPI first:
 * KPIs are a few shared strings, compared at once, where case ids of one length are compared by their characters.
 */
const sameBreach = (a: { caseId: string; kpi: Kpi }, b: { caseId: string; kpi: Kpi }): boolean => a.kpi === b.kpi && a.caseId === b.caseId;

/**
 * What a booking computed about the year it wrote, kept for the next booking of that year: the credits
 * in accrual order, their keys and the notified keys as sets. Keyed by the written record's `breaches` array and
 * valid only while the record read back holds the same `booked` and `creditNoticesIssued` (the memory
 * store hands its records out as written); used once, since the next booking takes over its set. A
 * booking without it (another store, another fee) computes the year afresh, with the same result.
 */
interface BookedYearState {
  readonly booked: Readonly<Record<string, number>>;
  readonly noticed: readonly string[];
  readonly noticedSet: Set<string>;
  /** The keys of `credits.breaches`. */
  readonly creditedKeys: Set<string>;
  /** The accrual positions of the breaches credited more than 0 (the keys of `booked`, in its order). */
  readonly bookedAt: readonly number[];
  readonly feeMinor: number;
  readonly capPercent: number;
  readonly terminationWindowDays: number;
  readonly timeZone: string;
  readonly credits: YearCredits;
  /** The accrual position at which the termination right opened, or -1. */
  readonly rightAt: number;
}

const bookedYears = new WeakMap<readonly YearBreach[], BookedYearState>();

/** The year's credits, from `from` on in accrual order the only ones that may differ from the year's booking. */
interface RecomputedCredits {
  readonly credits: YearCredits;
  readonly rightAt: number;
  /** Credited breaches before this accrual position are as the year's previous booking credited them. */
  readonly from: number;
  /** Booked keys no longer credited, in sort order (the withdrawn ones). */
  readonly uncredited: readonly string[];
  /** Credit per credited breach key, in accrual order; none for a breach credited 0. */
  readonly booked: Readonly<Record<string, number>>;
  readonly noticedSet: Set<string>;
  readonly creditedKeys: Set<string>;
  readonly bookedAt: readonly number[];
}

/** Where a breach of the year's credits is, in accrual order: found by its stored form, else looked for; -1 when not credited. */
function positionOf(credited: readonly CreditedBreach[], keys: ReadonlySet<string>, forms: readonly YearBreach[]): number {
  const [first] = forms;
  if (first === undefined || !keys.has(breachKey(first.caseId, first.kpi))) return -1;
  for (const form of forms) {
    let low = 0;
    let high = credited.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareBreaches(credited[middle] as CreditedBreach, form) < 0) low = middle + 1;
      else high = middle;
    }
    const found = credited[low];
    if (found !== undefined && sameBreach(found, form)) return low;
  }
  return credited.findIndex((b) => sameBreach(b, first));
}

/**
 * Credit per credited breach key, in accrual order (none for a breach credited 0), and the positions of
 * those breaches. Before `from` the credits are the ones at `bookedBefore`: only those are looked at there.
 */
function bookedOf(
  credited: readonly CreditedBreach[],
  from = 0,
  bookedBefore: readonly number[] = [],
): { booked: Record<string, number>; bookedAt: number[] } {
  const booked: Record<string, number> = {};
  const bookedAt: number[] = [];
  for (const at of bookedBefore) {
    if (at >= from) break;
    const b = credited[at] as CreditedBreach;
    booked[b.key] = b.creditMinor;
    bookedAt.push(at);
  }
  for (let i = from; i < credited.length; i += 1) {
    const b = credited[i] as CreditedBreach;
    if (b.creditMinor === 0) continue;
    booked[b.key] = b.creditMinor;
    bookedAt.push(i);
  }
  return { booked, bookedAt };
}

/** Whether no credit at or after `from` was booked (`bookedBefore`, in order) nor is (`credited`): the booking is the same. */
function noneBookedFrom(credited: readonly CreditedBreach[], from: number, bookedBefore: readonly number[]): boolean {
  const last = bookedBefore[bookedBefore.length - 1];
  if (last !== undefined && last >= from) return false;
  for (let i = from; i < credited.length; i += 1) if ((credited[i] as CreditedBreach).creditMinor !== 0) return false;
  return true;
}

/**
 * A year's credits being accrued in accrual order from some position on: the credited breaches, their
 * total under the cap and where the termination right opened. Module functions over it, not closures:
 * every booking accrues (and closures created per call cost more than their work here).
 */
interface Accrual {
  readonly feeMinor: number;
  readonly capMinor: number;
  readonly terminationWindowDays: number;
  readonly timeZone: string;
  /** The full credit per credit percent (before the cap), computed once per booking. */
  readonly fullCredits: Map<number, number>;
  readonly credited: CreditedBreach[];
  totalMinor: number;
  right: TerminationRight | null;
  rightAt: number;
}

/** The breach's credit under what is left of the cap. */
function creditUnderCap(accrual: Accrual, breach: BreachRecord): number {
  let amount = accrual.fullCredits.get(breach.creditPercent);
  if (amount === undefined) {
    amount = percentOfMinor(accrual.feeMinor, breach.creditPercent);
    accrual.fullCredits.set(breach.creditPercent, amount);
  }
  return Math.min(amount, accrual.capMinor - accrual.totalMinor);
}

/** Credits the next breach in accrual order; `reuse`: its previous credited form, kept when its credit is unchanged. */
function accrue(accrual: Accrual, breach: CreditedBreach | YearBreach, reuse: CreditedBreach | null): void {
  const creditMinor = creditUnderCap(accrual, breach);
  accrual.totalMinor += creditMinor;
  if (accrual.right === null && accrual.capMinor > 0 && accrual.totalMinor === accrual.capMinor) {
    accrual.right = { since: breach.deadline, until: terminationWindowEnd(breach.deadline, accrual.terminationWindowDays, accrual.timeZone) };
    accrual.rightAt = accrual.credited.length;
  }
  accrual.credited.push(
    reuse !== null && reuse.creditMinor === creditMinor ? reuse : creditedAs(breach, reuse?.key ?? breachKey(breach.caseId, breach.kpi), creditMinor),
  );
}

/** A credited breach built field by field: a spread of the breach and more fields costs several times as much (a new shape each time). */
const creditedAs = (breach: BreachRecord, key: string, creditMinor: number): CreditedBreach => ({
  caseId: breach.caseId,
  kpi: breach.kpi,
  deadline: breach.deadline,
  creditPercent: breach.creditPercent,
  key,
  creditMinor,
});

/** creditYear over the booked credits with the change's breaches taken out and put in: the same credits. */
function recredited(
  state: BookedYearState,
  removed: readonly YearBreach[],
  declared: readonly YearBreach[],
  booked: Readonly<Record<string, number>>,
): RecomputedCredits {
  const previous = state.credits.breaches;
  const { feeMinor, capMinor } = state.credits;
  // The credited breaches the change takes out, found by the forms the change gives them (withdrawn first).
  const removedAt = new Set<number>();
  for (const r of removed) {
    const at = positionOf(previous, state.creditedKeys, removed.filter((other) => sameBreach(other, r)));
    if (at >= 0) removedAt.add(at);
  }
  let from = previous.length;
  for (const at of removedAt) from = Math.min(from, at);
  const added = [...declared].sort(compareBreaches);
  for (const d of added) {
    let low = 0;
    let high = Math.min(from, previous.length);
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareBreaches(previous[middle] as CreditedBreach, d) <= 0) low = middle + 1;
      else high = middle;
    }
    from = Math.min(from, low);
  }
  let totalMinor = state.credits.totalMinor;
  for (let i = from; i < previous.length; i += 1) totalMinor -= (previous[i] as CreditedBreach).creditMinor;
  const right = state.rightAt >= 0 && state.rightAt < from ? state.credits.terminationRight : null;
  const accrual: Accrual = {
    feeMinor,
    capMinor,
    terminationWindowDays: state.terminationWindowDays,
    timeZone: state.timeZone,
    fullCredits: new Map(),
    credited: previous.slice(0, from),
    totalMinor,
    right,
    rightAt: right === null ? -1 : state.rightAt,
  };
  let next = 0;
  for (let i = from; i < previous.length; i += 1) {
    const b = previous[i] as CreditedBreach;
    if (removedAt.has(i)) continue;
    while (next < added.length && compareBreaches(added[next] as YearBreach, b) < 0) accrue(accrual, added[next++] as YearBreach, null);
    accrue(accrual, b, b);
  }
  while (next < added.length) accrue(accrual, added[next++] as YearBreach, null);
  const { credited, rightAt } = accrual;
  totalMinor = accrual.totalMinor;
  const uncredited = [
    ...new Set(removed.filter((r) => !declared.some((d) => sameBreach(d, r))).map((r) => breachKey(r.caseId, r.kpi))),
  ]
    .filter((key) => booked[key] !== undefined)
    .sort();
  const terminationRight: TerminationRight | null = accrual.right;
  // The year's booking as it was when nothing from `from` on is booked, before or now (a year at its cap):
  // else built afresh, since a copy of a record of many keys, less some, costs more (V8 keeps such objects as dictionaries).
  const { booked: rebooked, bookedAt } = noneBookedFrom(credited, from, state.bookedAt)
    ? { booked, bookedAt: state.bookedAt }
    : bookedOf(credited, from, state.bookedAt);
  const { creditedKeys } = state;
  for (const r of removed) creditedKeys.delete(breachKey(r.caseId, r.kpi));
  for (const d of declared) creditedKeys.add(breachKey(d.caseId, d.kpi));
  return {
    credits: { feeMinor, capMinor, totalMinor, capReached: terminationRight !== null, breaches: credited, terminationRight },
    rightAt,
    from,
    uncredited,
    booked: rebooked,
    creditedKeys,
    noticedSet: state.noticedSet,
    bookedAt,
  };
}

/** Whether no two of the breaches are the same breach (a change declares a few, one per KPI of a case). */
function distinct(breaches: readonly YearBreach[]): boolean {
  for (let i = 1; i < breaches.length; i += 1) {
    for (let j = 0; j < i; j += 1) if (sameBreach(breaches[i] as YearBreach, breaches[j] as YearBreach)) return false;
  }
  return true;
}

/**
 * The year's breaches after a change: those the change does not take out, in their order, then the declared ones.
 * Loops like this one live in small functions of their own: the optimizing compiler takes them, as it may not a long one.
 */
function withChange(stored: readonly YearBreach[], removed: readonly YearBreach[], declared: readonly YearBreach[]): YearBreach[] {
  const breaches: YearBreach[] = [];
  for (let i = 0; i < stored.length; i += 1) {
    const b = stored[i] as YearBreach;
    let kept = true;
    for (let j = 0; j < removed.length; j += 1) {
      const r = removed[j] as YearBreach;
      if (sameBreach(r, b)) kept = false;
    }
    if (kept) breaches.push(b);
  }
  for (const d of declared) breaches.push(d);
  return breaches;
}

/**
 * Whether none of the breaches is in the year: `storedKeys` holds the keys of the year's breaches (a
 * booked year's `creditedKeys`, before this change takes its breaches out and puts them in). Then the
 * change takes nothing out, and the year's breaches after it are the stored ones and the declared ones.
 */
function noneStored(storedKeys: ReadonlySet<string>, removed: readonly YearBreach[]): boolean {
  for (const r of removed) if (storedKeys.has(breachKey(r.caseId, r.kpi))) return false;
  return true;
}

/** The last stored form of a breach: the change's (in `breaches`), else the year's. */
function lastFormOf(breaches: readonly YearBreach[], stored: readonly YearBreach[], caseId: string, kpi: Kpi): YearBreach | undefined {
  for (let i = breaches.length - 1; i >= 0; i -= 1) {
    const b = breaches[i] as YearBreach;
    if (b.kpi === kpi && b.caseId === caseId) return b;
  }
  for (let i = stored.length - 1; i >= 0; i -= 1) {
    const b = stored[i] as YearBreach;
    if (b.kpi === kpi && b.caseId === caseId) return b;
  }
  return undefined;
}

/**
 * Where the year holds the one breach a change re-declares with only what does not count for credits
 * changed (its `stoppedAt`: a late breach's clock met), or -1 for any other change. Its credits stay as
 * booked (the same breaches, deadlines and percents in accrual order); only its stored form moves to the end.
 * Only for a year holding each breach key once (as many credited keys as breaches): the form found is its only one.
 */
function movedAt(state: BookedYearState, stored: readonly YearBreach[], change: YearChange): number {
  const { withdrawn, declared } = change;
  if (withdrawn.length !== 1 || declared.length !== 1 || state.creditedKeys.size !== stored.length) return -1;
  const d = declared[0] as YearBreach;
  if (!sameBreach(withdrawn[0] as YearBreach, d)) return -1;
  // Changes come mostly to the breaches declared last: looked for from the end.
  for (let i = stored.length - 1; i >= 0; i -= 1) {
    const b = stored[i] as YearBreach;
    if (sameBreach(b, d)) return b.deadline === d.deadline && b.creditPercent === d.creditPercent ? i : -1;
  }
  return -1;
}

/** The year's breaches with the one at `at` taken out and its new form put last, as `withChange` orders them. */
function movedToEnd(stored: readonly YearBreach[], at: number, form: YearBreach): YearBreach[] {
  const breaches = stored.slice(0, at);
  for (let i = at + 1; i < stored.length; i += 1) breaches.push(stored[i] as YearBreach);
  breaches.push(form);
  return breaches;
}

/**
 * The booked year's credits unchanged: nothing to compare from any position on (`from` is past the last).
 * No credit is left to tell of either: every booking tells of each credit above 0 it makes.
 */
function creditedAsBooked(state: BookedYearState, booked: Readonly<Record<string, number>>): RecomputedCredits {
  return {
    credits: state.credits,
    rightAt: state.rightAt,
    from: state.credits.breaches.length,
    uncredited: [],
    booked,
    noticedSet: state.noticedSet,
    creditedKeys: state.creditedKeys,
    bookedAt: state.bookedAt,
  };
}

/** The ledger entries of a booking being drawn up: the difference per breach between the year's booking and the new one. */
interface LedgerDraft {
  readonly contractId: string;
  readonly year: YearRecord;
  /** The year's breaches after the change. */
  readonly breaches: readonly YearBreach[];
  /** The change's declared breaches. */
  readonly declared: readonly YearBreach[];
  readonly noticedSet: ReadonlySet<string>;
  readonly now: Instant;
  seq: number;
  readonly ledger: LedgerRecord[];
  /** The entries a `credit.adjusted` tells: of a breach already told of, or one now credited 0. */
  readonly adjustments: LedgerRecord[];
}

/** The booking's keys as a set, once per booking object: see `bookedFor`. */
const bookingKeys = new WeakMap<Readonly<Record<string, number>>, ReadonlySet<string>>();

/**
 * The credit a booking holds for a key, if any. Looked up in a set of its keys first: looking up a key an
 * object does not hold costs about a microsecond (V8 looks the string up among all property names), in a set a tenth of it.
 */
function bookedFor(booked: Readonly<Record<string, number>>, key: string): number | undefined {
  let keys = bookingKeys.get(booked);
  if (keys === undefined) {
    keys = new Set(Object.keys(booked));
    bookingKeys.set(booked, keys);
  }
  return keys.has(key) ? booked[key] : undefined;
}

/**
 * The entry of one breach when its booked credit changes (none when it does not). `creditMinor`: what the
 * new booking holds for it, as its credits give it (the booking keeps every credit but 0); null when no longer credited.
 */
function addLedgerEntry(draft: LedgerDraft, key: string, caseId: string, kpi: Kpi, creditMinor: number | null): void {
  const { year } = draft;
  const before = bookedFor(year.booked, key);
  const after = creditMinor ?? 0;
  const delta = after - (before ?? 0);
  if (delta === 0) return;
  const breach = lastFormOf(draft.breaches, year.breaches, caseId, kpi);
  if (breach === undefined) return;
  draft.seq += 1;
  const why: LedgerReason =
    creditMinor === null
      ? 'breach_withdrawn'
      : before === undefined && draft.declared.some((d) => d.kpi === kpi && d.caseId === caseId)
        ? 'breach_declared'
        : 'recomputed';
  const entry: LedgerRecord = {
    contractId: draft.contractId,
    yearIndex: year.yearIndex,
    seq: draft.seq,
    caseId: breach.caseId,
    kpi: breach.kpi,
    amountMinor: delta,
    bookedAt: draft.now,
    why,
  };
  draft.ledger.push(entry);
  if (draft.noticedSet.has(key) || after === 0) draft.adjustments.push(entry);
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
  const removed = [...change.withdrawn, ...change.declared];
  const state = bookedYears.get(year.breaches);
  // The year's own fee and its level's cap (`level` is the year's: docs/design.md#12-contract-changes-and-billing).
  const feeMinor = feeOfYear(contract.terms, year.yearIndex);
  const capPercent = level.creditCapPercent;
  const terminationWindowDays = level.terminationWindowDays;
  const { timeZone } = contract.terms;
  const incremental =
    state !== undefined &&
    state.booked === year.booked &&
    state.noticed === year.creditNoticesIssued &&
    state.feeMinor === feeMinor &&
    state.capPercent === capPercent &&
    state.terminationWindowDays === terminationWindowDays &&
    state.timeZone === timeZone &&
    distinct(change.declared);
  if (state !== undefined) bookedYears.delete(year.breaches);
  const moved = incremental ? movedAt(state, year.breaches, change) : -1;
  // The stored breaches the change takes out, where known: the year's size bound is carried over them.
  const dropped: readonly YearBreach[] | null =
    moved >= 0 ? [year.breaches[moved] as YearBreach] : state !== undefined && noneStored(state.creditedKeys, removed) ? [] : null;
  const breaches =
    moved >= 0
      ? movedToEnd(year.breaches, moved, change.declared[0] as YearBreach)
      : dropped !== null
        ? year.breaches.concat(change.declared)
        : withChange(year.breaches, removed, change.declared);
  if (dropped !== null) carryBreachesBound(breaches, year.breaches, dropped, change.declared);
  const { credits, rightAt, from, uncredited, booked, noticedSet, creditedKeys, bookedAt }: RecomputedCredits =
    moved >= 0
      ? creditedAsBooked(state as BookedYearState, year.booked)
      : incremental
        ? recredited(state, removed, change.declared, year.booked)
        : creditedAfresh({ feeMinor, capPercent, terminationWindowDays, timeZone, breaches }, year);

  // Credited breaches in accrual order first, then withdrawn ones: a stable, explainable ledger order.
  // Credits before `from` are booked as they were: no ledger entry, no notice (each was issued before).
  const entries: LedgerDraft = {
    contractId: contract.terms.contractId,
    year,
    breaches,
    declared: change.declared,
    noticedSet,
    now,
    seq: year.ledgerSeq,
    ledger: [],
    adjustments: [],
  };
  for (let i = from; i < credits.breaches.length; i += 1) {
    const b = credits.breaches[i] as CreditedBreach;
    addLedgerEntry(entries, b.key, b.caseId, b.kpi, b.creditMinor);
  }
  for (const key of uncredited) {
    const at = key.lastIndexOf('#');
    addLedgerEntry(entries, key, key.slice(0, at), key.slice(at + 1) as Kpi, null);
  }
  const { ledger, adjustments, seq } = entries;

  const context = contractContext(contract, level);
  const notices: NoticeRecord[] = [];
  const issued: string[] = [];
  for (let i = from; i < credits.breaches.length; i += 1) {
    const b = credits.breaches[i] as CreditedBreach;
    if (b.creditMinor <= 0 || noticedSet.has(b.key)) continue;
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
          metAt: lastFormOf(breaches, year.breaches, b.caseId, b.kpi)?.stoppedAt ?? null,
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

  const creditNoticesIssued = issued.length === 0 ? year.creditNoticesIssued : [...year.creditNoticesIssued, ...issued];
  if (issued.length > 0) carryNoticedBound(creditNoticesIssued, year.creditNoticesIssued, issued);
  for (const key of issued) noticedSet.add(key);
  bookedYears.set(breaches, {
    booked,
    noticed: creditNoticesIssued,
    noticedSet,
    creditedKeys,
    bookedAt,
    feeMinor,
    capPercent,
    terminationWindowDays,
    timeZone,
    credits,
    rightAt,
  });
  // Field by field, in the stored record's order (items.ts): a spread of the year with fields overridden costs several times as much.
  const next: YearRecord = {
    contractId: year.contractId,
    yearIndex: year.yearIndex,
    breaches,
    booked,
    ledgerSeq: seq,
    creditNoticesIssued,
    rightsNotified: rightIsNew ? [...year.rightsNotified, right.since] : year.rightsNotified,
    changedAt: now,
    version: year.version,
  };
  return {
    year: year.overflow === undefined ? next : { ...next, overflow: year.overflow },
    ledger,
    notices: notices.map((notice) => ({ ...notice, sendFrom })),
  };
}

/** The year's credits computed from all its breaches (creditYear), every one of them to be compared with the booking. */
function creditedAfresh(input: CreditYearInput, year: YearRecord): RecomputedCredits {
  const credits = creditYear(input);
  const creditedKeys = new Set(credits.breaches.map((b) => b.key));
  const { booked, bookedAt } = bookedOf(credits.breaches);
  const right = credits.terminationRight;
  let rightAt = -1;
  if (right !== null) {
    // The first accrual position at which the running total reached the cap.
    let total = 0;
    for (let i = 0; i < credits.breaches.length && rightAt < 0; i += 1) {
      total += (credits.breaches[i] as CreditedBreach).creditMinor;
      if (total === credits.capMinor) rightAt = i;
    }
  }
  return {
    credits,
    rightAt,
    from: 0,
    uncredited: Object.keys(year.booked)
      .sort()
      .filter((key) => !creditedKeys.has(key)),
    booked,
    noticedSet: new Set(year.creditNoticesIssued),
    creditedKeys,
    bookedAt,
  };
}
