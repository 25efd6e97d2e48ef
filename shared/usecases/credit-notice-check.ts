/**
 * Credit notices checked again when they are sent (docs/design.md#order-and-duplicates "What the customer is told is what
 * happened"): a notice waits until its contract year has settled, then says what the year books now —
 * or nothing, when what it announced no longer holds (it ends `superseded`).
 */
import { breachKey, creditYear, type YearCredits } from '#domain/credits.ts';
import type { Catalog, Kpi, ServiceLevel } from '#domain/model.ts';
import { feeOfYear, levelOfYear } from '#domain/terms.ts';
import { toIso, type Instant } from '#domain/time.ts';
import type { NoticePayload } from '#notices/types.ts';
import { isCreditNoticeType, type CreditStateRepository, type CreditYearState } from '#store/credit-state.ts';
import type { NoticeState, StoredNotice } from '#store/notice-repository.ts';
import type { YearRecord } from '#store/store.ts';
import { catalogRuntime } from './runtime.ts';

export type CreditNoticeVerdict =
  /** Send it, saying `payload` (the figures as the year books them now). */
  | { readonly kind: 'send'; readonly payload: NoticePayload }
  /** The year changed too recently: look again at `settlesAt`. */
  | { readonly kind: 'unsettled'; readonly settlesAt: Instant }
  | { readonly kind: 'superseded'; readonly reason: string };

export type CreditPayload = Extract<NoticePayload, { type: 'credit.issued' | 'credit.adjusted' | 'credit.cap_reached' }>;

export function isCreditPayload(payload: NoticePayload): payload is CreditPayload {
  return isCreditNoticeType(payload.type);
}
type IssuedPayload = Extract<NoticePayload, { type: 'credit.issued' }>;
type AdjustedPayload = Extract<NoticePayload, { type: 'credit.adjusted' }>;
type CapReachedPayload = Extract<NoticePayload, { type: 'credit.cap_reached' }>;

/** States in which SES accepted the notice: what it said is what the customer was told. */
const TOLD_STATES: readonly NoticeState[] = ['sent', 'bounced', 'complained'];
/** States in which a notice may still be sent. */
const OPEN_STATES: readonly NoticeState[] = ['pending', 'sending'];

export interface CreditNoticeCheck {
  /** The verdict on a leased credit notice at `now`, from its contract year read consistently. */
  check(notice: StoredNotice & { readonly payload: CreditPayload }, now: Instant): Promise<CreditNoticeVerdict>;
}

export function makeCreditNoticeCheck(dependencies: { readonly credits: CreditStateRepository; readonly catalog: Catalog }): CreditNoticeCheck {
  const runtime = catalogRuntime(dependencies.catalog);
  return {
    async check(notice, now) {
      const contractId = notice.contractId ?? notice.payload.contract.contractId;
      const state = await dependencies.credits.creditState(contractId, notice.payload.yearIndex);
      if (state === null) return { kind: 'superseded', reason: `contract ${contractId} does not exist` };
      const level = runtime.level(levelOfYear(state.contract.terms, notice.payload.yearIndex));
      return creditNoticeVerdict({ notice, state, level, now, settleMs: runtime.settleMs });
    },
  };
}

/** The send-time rule, pure: what a credit notice may say at `now`, given its year as it is. */
export function creditNoticeVerdict(input: {
  readonly notice: StoredNotice & { readonly payload: CreditPayload };
  readonly state: CreditYearState;
  readonly level: ServiceLevel;
  readonly now: Instant;
  readonly settleMs: number;
}): CreditNoticeVerdict {
  const { notice, state, level, now, settleMs } = input;
  const { year } = state;
  if (year?.changedAt != null && now < year.changedAt + settleMs) return { kind: 'unsettled', settlesAt: year.changedAt + settleMs };
  const credits = creditYear({
    feeMinor: feeOfYear(state.contract.terms, notice.payload.yearIndex),
    capPercent: level.creditCapPercent,
    terminationWindowDays: level.terminationWindowDays,
    timeZone: state.contract.terms.timeZone,
    breaches: year?.breaches ?? [],
  });
  const { payload } = notice;
  switch (payload.type) {
    case 'credit.issued':
      return issuedVerdict(payload, year, credits);
    case 'credit.adjusted':
      return adjustedVerdict(notice, payload, state, credits);
    case 'credit.cap_reached':
      return capReachedVerdict(payload, credits, now);
  }
}

const bookedTotal = (year: YearRecord | null): number => Object.values(year?.booked ?? {}).reduce((sum, amount) => sum + amount, 0);

function issuedVerdict(payload: IssuedPayload, year: YearRecord | null, credits: YearCredits): CreditNoticeVerdict {
  const key = breachKey(payload.caseId, payload.kpi);
  const booked = year?.booked[key] ?? 0;
  if (booked <= 0) {
    return { kind: 'superseded', reason: `year ${payload.yearIndex} no longer books a credit for ${payload.caseId} ${payload.kpi}` };
  }
  const breach = year?.breaches.find((b) => breachKey(b.caseId, b.kpi) === key);
  return {
    kind: 'send',
    payload: {
      ...payload,
      deadline: breach?.deadline ?? payload.deadline,
      metAt: breach === undefined ? payload.metAt : breach.stoppedAt,
      creditMinor: booked,
      yearTotalMinor: bookedTotal(year),
      capMinor: credits.capMinor,
    },
  };
}

interface Told {
  readonly caseId: string;
  readonly kpi: Kpi;
  amountMinor: number;
}

/**
 * Only what the customer was told differently: per breach, the amount the sent notices told against the
 * amount booked now. A breach whose own credit.issued may still be sent is left to that notice.
 */
function adjustedVerdict(notice: StoredNotice, payload: AdjustedPayload, state: CreditYearState, credits: YearCredits): CreditNoticeVerdict {
  const { year } = state;
  const others = state.notices.filter((other) => other.id !== notice.id);
  const told = new Map<string, Told>();
  const tell = (caseId: string, kpi: Kpi, amountMinor: number): void => {
    const key = breachKey(caseId, kpi);
    const entry = told.get(key) ?? { caseId, kpi, amountMinor: 0 };
    entry.amountMinor += amountMinor;
    told.set(key, entry);
  };
  const issueOpen = new Set<string>();
  for (const other of others) {
    const said = other.payload;
    if (said.type === 'credit.issued' && OPEN_STATES.includes(other.state)) issueOpen.add(breachKey(said.caseId, said.kpi));
    if (!TOLD_STATES.includes(other.state)) continue;
    if (said.type === 'credit.issued') tell(said.caseId, said.kpi, said.creditMinor);
    if (said.type === 'credit.adjusted') for (const change of said.changes) tell(change.caseId, change.kpi, change.amountMinor);
  }

  const booked = year?.booked ?? {};
  const identity = new Map<string, { caseId: string; kpi: Kpi }>(told);
  for (const b of year?.breaches ?? []) identity.set(breachKey(b.caseId, b.kpi), b);
  // Credited breaches in accrual order first, then the rest: the ledger's order.
  const keys = [...new Set([...credits.breaches.map((b) => b.key), ...[...told.keys(), ...Object.keys(booked)].sort()])];
  const changes: { caseId: string; kpi: Kpi; amountMinor: number }[] = [];
  for (const key of keys) {
    const who = identity.get(key);
    const toldMinor = told.get(key)?.amountMinor;
    const bookedMinor = booked[key] ?? 0;
    if (who === undefined || (toldMinor === undefined && (bookedMinor === 0 || issueOpen.has(key)))) continue;
    const amountMinor = bookedMinor - (toldMinor ?? 0);
    if (amountMinor !== 0) changes.push({ caseId: who.caseId, kpi: who.kpi, amountMinor });
  }
  if (changes.length === 0) {
    return { kind: 'superseded', reason: `year ${payload.yearIndex}: nothing differs from what the customer was told` };
  }
  const previousTotalMinor = [...told.values()].reduce((sum, entry) => sum + entry.amountMinor, 0);
  return {
    kind: 'send',
    payload: { ...payload, changes, previousTotalMinor, newTotalMinor: bookedTotal(year), capMinor: credits.capMinor },
  };
}

function capReachedVerdict(payload: CapReachedPayload, credits: YearCredits, now: Instant): CreditNoticeVerdict {
  const right = credits.terminationRight;
  const since = toIso(payload.rightSince);
  if (right?.since !== payload.rightSince) {
    return { kind: 'superseded', reason: `the termination right since ${since} was withdrawn` };
  }
  if (right.until <= now) return { kind: 'superseded', reason: `the termination right since ${since} expired at ${toIso(right.until)}` };
  return { kind: 'send', payload: { ...payload, capMinor: credits.capMinor, rightUntil: right.until } };
}
