/**
 * The worst case of one change, in TransactWriteItems items (docs/design.md#order-and-duplicates: no change needs more than 100;
 * a catalog whose worst case passes it is refused at load). docs/data-model.md explains each term.
 *
 * One change = one case event applied (or one sweep pass over a case): its idempotency record and the
 * parked item it replaces, the case item and one overflow leaf, at most one leaf split in the commit,
 * a warning per KPI, and per contract year touched (a KPI's breach before and after the change may lie
 * in two years) the year item, one ledger item (all entries of the year in one item), the credit
 * adjustment and cap-reached notices; then the credit notices: one per newly credited breach, and as
 * many overflow leaves of years that keep their breaches in leaves. The billing outbox adds nothing: its
 * entries ride on the ledger item and on the notices that tell the same thing (docs/data-model.md, "Billing outbox").
 */
import { KPIS, PRIORITIES, type Kpi, type ServiceLevel } from '#domain/model.ts';

export const TRANSACTION_ITEM_LIMIT = 100;

/** Idempotency record, the parked item it replaces, the case item, one changed case leaf. */
const PER_CHANGE = 4;
/** One leaf split in a commit: 4 children written, the parent deleted (shared/store/overflow.ts). */
const LEAF_SPLIT = 5;
/** Year item, ledger item, credit.adjusted, credit.cap_reached. */
const PER_YEAR = 4;

export interface TransactionWorstCase {
  readonly total: number;
  readonly kpis: number;
  readonly yearsTouched: number;
  readonly newlyCredited: number;
  readonly terms: Readonly<Record<string, number>>;
}

/** Every credit percent a KPI can have at this level: its own and each priority's override. */
function creditPercents(level: ServiceLevel): Map<Kpi, number[]> {
  const result = new Map<Kpi, number[]>();
  for (const kpi of KPIS) {
    const base = level.kpis[kpi]?.creditPercent;
    const percents = base === undefined ? [] : [base];
    for (const priority of PRIORITIES) {
      const override = level.byPriority[priority]?.[kpi];
      if (override === undefined) continue;
      const percent = override.creditPercent ?? base;
      if (percent !== undefined) percents.push(percent);
    }
    if (percents.length > 0) result.set(kpi, percents);
  }
  return result;
}

export function transactionWorstCase(level: ServiceLevel): TransactionWorstCase {
  const percents = creditPercents(level);
  const kpis = percents.size;
  const yearsTouched = 2 * kpis;
  const positive = [...percents.values()].flat().filter((p) => p > 0);
  const smallest = positive.length === 0 ? undefined : Math.min(...positive);
  // Credit a change can free: each KPI's withdrawn (or re-declared) breach gives back at most its largest percent.
  const freed = [...percents.values()].reduce((sum, list) => sum + Math.max(0, ...list), 0);
  // Breaches that newly earn credit from freed room. Credits round half up to a minor unit, so for a
  // small fee the smallest credit can be as little as 1/1.5 of its percent's share: ratio × 1.5, plus
  // half a minor unit per freed credit, plus one partial credit per year with freed room (≤ one per KPI).
  const filled = smallest === undefined ? 0 : Math.floor((1.5 * freed) / smallest + kpis / 2) + kpis;
  const newlyCredited = smallest === undefined ? 0 : kpis + filled;
  const terms = {
    perChange: PER_CHANGE,
    leafSplit: LEAF_SPLIT,
    warnings: kpis,
    perYear: PER_YEAR * yearsTouched,
    breachLeaves: yearsTouched,
    creditNotices: newlyCredited,
    noticedLeaves: newlyCredited,
  };
  const total = Object.values(terms).reduce((sum, n) => sum + n, 0);
  return { total, kpis, yearsTouched, newlyCredited, terms };
}

/** Why this level is refused, or null: its worst-case change needs more than 100 transaction items. */
export function transactionBudgetIssue(level: ServiceLevel): string | null {
  const worst = transactionWorstCase(level);
  if (worst.total <= TRANSACTION_ITEM_LIMIT) return null;
  return (
    `serviceLevels.${level.key}: one change can need ${worst.total} transaction items (DynamoDB allows ${TRANSACTION_ITEM_LIMIT}): ` +
    `a withdrawn breach can free credit for ${worst.newlyCredited} breaches, each with a credit notice; ` +
    'make the smallest creditPercent larger relative to the largest ones (docs/data-model.md, "Transaction limits")'
  );
}
