/**
 * Who an event belongs to: a contract (contract and case events) or a pool (pool and loan events,
 * docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). Kept free of zod (type imports only) so every bundle may use it.
 */
import type { AftercareEventV1, ContractBoundEventV1, PoolEventV1 } from './schemas.ts';

export function isPoolEvent(event: AftercareEventV1): event is PoolEventV1 {
  return event.type.startsWith('pool.') || event.type.startsWith('loan.');
}

export function isContractBound(event: AftercareEventV1): event is ContractBoundEventV1 {
  return !isPoolEvent(event);
}

/** The contract an event names, if any: every contract and case event, a loan drawn for a contract, an exclusive pool. */
export function contractIdOfEvent(event: AftercareEventV1): string | null {
  if (!isPoolEvent(event)) return event.contractId;
  return event.type === 'pool.registered' || event.type === 'loan.started' ? (event.contractId ?? null) : null;
}
