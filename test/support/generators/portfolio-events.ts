/**
 * From event bodies to the oracle's input: the same zod parse the intake does, then the domain's
 * vocabulary (`PortfolioEvent`), so a differential test feeds both sides exactly the same events.
 */
import type { PortfolioEvent } from '#test/support/oracle/portfolio.ts';
import { parseInstant } from '#domain/time.ts';
import { parseEvent } from '#events/parse.ts';
import { DEFAULT_SOURCE } from '#events/source.ts';
import { isPoolEvent } from '#events/owners.ts';
import { toCaseEvent, toContractTerms, type AftercareEventV1 } from '#events/v1.ts';

export function toPortfolioEvent(event: AftercareEventV1): PortfolioEvent {
  const occurredAt = parseInstant(event.occurredAt);
  const source = event.source === undefined || event.source === DEFAULT_SOURCE ? {} : { source: event.source };
  if (event.type === 'contract.registered') {
    return { ...toContractTerms(event), type: event.type, eventId: event.eventId, ...source, occurredAt };
  }
  if (event.type === 'contract.termination_requested') {
    return {
      type: event.type,
      eventId: event.eventId,
      ...source,
      occurredAt,
      contractId: event.contractId,
      reason: event.reason,
      ...(event.effectiveDate === undefined ? {} : { effectiveDate: event.effectiveDate }),
    };
  }
  // The oracle models no contract changes (docs/design.md#12-contract-changes-and-billing); no generator sends them.
  if (event.type === 'contract.amended') throw new Error(`the portfolio oracle does not model contract.amended (${event.eventId})`);
  if (isPoolEvent(event)) throw new RangeError(`the portfolio oracle knows no pool events (${event.type})`);
  return { ...toCaseEvent(event), contractId: event.contractId };
}

/** Bodies that must be valid (a generator's own events): throws on the first that is not. */
export function portfolioEventsOf(bodies: readonly string[]): PortfolioEvent[] {
  return bodies.map((body) => {
    const parsed = parseEvent(body);
    if (!parsed.ok) throw new Error(`generated event is not valid v1 (${parsed.error.path}: ${parsed.error.message}): ${body}`);
    return toPortfolioEvent(parsed.event);
  });
}
