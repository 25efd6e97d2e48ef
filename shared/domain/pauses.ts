/**
 * The paused time of a case as the clocks saw it (docs/design.md#5-cases-clocks-breaches-credits): every pause with its reason, from and to, so a
 * dispute about force majeure (a closed border, a storm that grounded the flights) is settled from the
 * statement. The same fold as the clocks: nothing before the opening or after the close counts, a pause
 * while paused and a resume while running change nothing, and a close or the contract's end ends a pause.
 */
import { distinctInCaseOrder } from './clock-runs.ts';
import type { CaseEvent, PauseReason } from './model.ts';
import type { Instant } from './time.ts';

export interface CasePause {
  readonly reason: PauseReason;
  readonly from: Instant;
  /** Null while the case is still paused as of the statement. */
  readonly to: Instant | null;
}

export interface CasePausedTime {
  readonly caseId: string;
  readonly pauses: readonly CasePause[];
  /** Paused time up to `to`, or up to `asOf` for a pause still open. */
  readonly forceMajeureMs: number;
  readonly awaitingCustomerMs: number;
}

export function casePausedTime(caseId: string, events: readonly CaseEvent[], asOf: Instant, contractEndsAt: Instant | null): CasePausedTime {
  const pauses: CasePause[] = [];
  let opened = false;
  let open: { reason: PauseReason; from: Instant } | null = null;
  const close = (at: Instant | null): void => {
    if (open !== null) pauses.push({ reason: open.reason, from: open.from, to: at });
    open = null;
  };
  for (const event of distinctInCaseOrder(events)) {
    if (event.occurredAt > asOf) break;
    if (contractEndsAt !== null && event.occurredAt > contractEndsAt) break;
    if (event.type === 'case.opened') {
      opened = true;
      continue;
    }
    if (!opened) continue;
    if (event.type === 'case.paused' && open === null) open = { reason: event.reason, from: event.occurredAt };
    else if (event.type === 'case.resumed') close(event.occurredAt);
    else if (event.type === 'case.resolved' || event.type === 'case.cancelled') {
      close(event.occurredAt);
      break;
    }
  }
  const openEnd = contractEndsAt !== null && contractEndsAt <= asOf ? contractEndsAt : null;
  close(openEnd);
  const lasting = (reason: PauseReason): number =>
    pauses.filter((p) => p.reason === reason).reduce((sum, p) => sum + Math.max(0, (p.to ?? asOf) - p.from), 0);
  return { caseId, pauses, forceMajeureMs: lasting('force_majeure'), awaitingCustomerMs: lasting('awaiting_customer') };
}
