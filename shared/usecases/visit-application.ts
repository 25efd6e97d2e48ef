/**
 * Whether a reported visit is applied, and at what cost (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): a visit
 * outside the contract's active period is refused, the same visit id again is applied once (another
 * report with other figures is refused), and the cost is priced at the catalog's rates in force now,
 * in the contract's currency; an amount the catalog cannot convert is refused with the reason.
 */
import { contractEndsAt } from '#domain/terms.ts';
import { canonicalJson } from '#events/digest.ts';
import { toVisitFacts } from '#events/mapping.ts';
import type { CaseVisitReportedV1 } from '#events/schemas.ts';
import { parseInstant, toIso } from '#domain/time.ts';
import { noCostRates, visitCost } from '#domain/visit-cost.ts';
import type { StoredCaseEvent } from '#store/case-repository.ts';
import type { ContractRecord } from '#store/contract-repository.ts';
import { contractStartsAt, type CatalogRuntime } from './runtime.ts';

export type VisitDecision =
  | { readonly kind: 'apply'; readonly costMinor: number }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly reason: string };

export function decideVisit(
  event: CaseVisitReportedV1,
  contract: ContractRecord,
  caseEvents: readonly StoredCaseEvent[],
  runtime: CatalogRuntime,
): VisitDecision {
  const { terms, termination } = contract;
  const at = parseInstant(event.occurredAt);
  const endsAt = contractEndsAt(terms, termination);
  if (at < contractStartsAt(terms)) return { kind: 'rejected', reason: `visit ${event.visitId} took place before the contract started (${terms.startDate})` };
  if (endsAt !== null && at >= endsAt) {
    return { kind: 'rejected', reason: `visit ${event.visitId} took place after the contract ended (${toIso(endsAt)})` };
  }
  const facts = toVisitFacts(event);
  const earlier = caseEvents.find((e) => e.type === 'case.visit_reported' && e.visit.visitId === event.visitId);
  if (earlier !== undefined && earlier.type === 'case.visit_reported') {
    const { costMinor: _priced, ...earlierFacts } = earlier.visit;
    if (canonicalJson(earlierFacts) === canonicalJson(facts)) return { kind: 'duplicate' };
    return {
      kind: 'rejected',
      reason: `visit ${event.visitId} was already reported (event ${earlier.eventId}) with other figures: a visit is applied once`,
    };
  }
  const rates = runtime.catalog.costs ?? noCostRates(terms.annualFee.currency);
  const priced = visitCost(facts, rates, terms.annualFee.currency);
  if (priced.kind === 'unpriced') return { kind: 'rejected', reason: `visit ${event.visitId} cannot be priced: ${priced.reason}` };
  return { kind: 'apply', costMinor: priced.costMinor };
}
