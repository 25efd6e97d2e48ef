/**
 * What the sweep and the lifecycle retry and may set aside (docs/design.md#order-and-duplicates), and the quarantine record of an
 * item set aside. Quarantines are written through the transaction and read with the contract's partition.
 */
import type { Instant } from '#domain/time.ts';

/**
 * A due case (`id` = caseId), the parked events of one case or one parked request (`id` = `case:<caseId>`
 * or `event:<source>#<eventId>`), or a contract's lifecycle (`id` = `lifecycle`).
 */
export type RetriedKind = 'case' | 'parked' | 'lifecycle';

export interface RetriedItemRef {
  readonly kind: RetriedKind;
  readonly contractId: string;
  readonly id: string;
}

/** An item set aside after failing too often: out of the attention index, with the reason, in its contract's partition. */
export interface QuarantineRecord extends RetriedItemRef {
  readonly reason: string;
  /** Failures counted before it was set aside. */
  readonly attempts: number;
  readonly at: Instant;
}
