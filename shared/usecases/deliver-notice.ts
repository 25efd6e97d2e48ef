/**
 * Delivers one outbox notice (docs/design.md#7-notices): lease it, check a credit notice against its contract year
 * again (credit-notice-check.ts), render it in the recipient's locale, check the address, send it
 * through SES, and settle it — sent with the SES message id, deferred while its year settles,
 * superseded when it no longer tells what happened, released for a later pass when SES throttles,
 * failed when SES refuses it or the address is suppressed after a bounce or a complaint, unknown when
 * the send may or may not have happened.
 */
import type { Catalog, Locale } from '#domain/model.ts';
import type { Instant } from '#domain/time.ts';
import { isDeliverableAddress } from '#notices/address.ts';
import { renderNotice, type RenderOptions } from '#notices/render.ts';
import { classifySendFailure, type NoticeSender, type SendFailure } from '#notices/sender.ts';
import type { NoticeType, RenderedNotice } from '#notices/types.ts';
import type { CreditStateRepository } from '#store/credit-state.ts';
import type { SuppressionRepository } from '#store/delivery-feedback-repository.ts';
import type { NoticeLease, NoticeRef, NoticeRepository, StoredNotice } from '#store/notice-repository.ts';
import { isCreditPayload, makeCreditNoticeCheck } from './credit-notice-check.ts';
import { deliveryAlert } from './delivery-alerts.ts';
import { LEASE_MS, MAX_NOTICE_LEASES, nextAttemptAt, retryDelayMs, SEND_TRIES } from './notice-timing.ts';
import type { Clock } from './ports.ts';

export interface NoticeDeliveryDependencies {
  readonly notices: NoticeRepository;
  readonly sender: NoticeSender;
  /** Addresses that bounced permanently or complained (SES feedback): no notice is sent to them. */
  readonly suppressions: SuppressionRepository;
  readonly clock: Clock;
  /** What credit notices are checked against at send time: their contract year as it is now. */
  readonly credits: CreditStateRepository;
  /** The catalog: `noticeSettleMinutes` and the service levels a year's credits are computed with. */
  readonly catalog: Catalog;
  /** Where operations notices go (env OPERATOR_EMAIL). */
  readonly operatorEmail: string;
  readonly render?: RenderOptions;
  /** Waits between send tries; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * skipped: not leasable (another invocation holds it, it is settled, or deferred). deferred: a credit
 * notice whose year has not settled, back to pending without using up an attempt. superseded: final, it no
 * longer tells what happened. suppressed: the notice ended failed, unsent, because its address is
 * suppressed; the bounce or complaint was the alert. `recorded` is false when the lease was lost before
 * the outcome could be written (the sweep took over).
 */
export type DeliveryOutcome =
  | { readonly kind: 'skipped' }
  | { readonly kind: 'sent'; readonly messageId: string; readonly recorded: boolean }
  | { readonly kind: 'deferred'; readonly reason: string; readonly notBefore: Instant; readonly recorded: boolean }
  | { readonly kind: 'superseded'; readonly reason: string; readonly recorded: boolean }
  | { readonly kind: 'released'; readonly reason: string; readonly notBefore: Instant; readonly recorded: boolean }
  | { readonly kind: 'failed'; readonly reason: string; readonly alerted: boolean; readonly recorded: boolean }
  | { readonly kind: 'suppressed'; readonly reason: string; readonly recorded: boolean }
  | { readonly kind: 'unknown'; readonly reason: string; readonly alerted: boolean; readonly recorded: boolean };

/** What a delivery did, with identifiers only (never an address or a name): fit for logs. */
export interface DeliveryReport {
  readonly noticeId: string;
  readonly noticeType: NoticeType | null;
  readonly attempt: number | null;
  readonly sendTries: number;
  readonly outcome: DeliveryOutcome;
}

export interface NoticeDelivery {
  /** Throws only when the table fails; every SES outcome is settled on the notice. */
  deliver(ref: NoticeRef): Promise<DeliveryReport>;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const SUPPRESSED_REASON = "the address is suppressed after a bounce/complaint; amend the contract's contact";

type SendResult = { readonly ok: true; readonly messageId: string } | { readonly ok: false; readonly failure: SendFailure };

export function makeNoticeDelivery(dependencies: NoticeDeliveryDependencies): NoticeDelivery {
  const { notices, sender, suppressions, clock, operatorEmail } = dependencies;
  const sleep = dependencies.sleep ?? wait;
  // The catalog's provider speaks unless the caller renders for someone else.
  const { provider } = dependencies.catalog;
  const renderOptions: RenderOptions = { ...(provider === undefined ? {} : { provider }), ...dependencies.render };
  const creditCheck = makeCreditNoticeCheck({ credits: dependencies.credits, catalog: dependencies.catalog });

  /**
   * A credit notice is sent only once its year has settled, and says what the year books then
   * (docs/design.md#order-and-duplicates). Returns the notice to send (its payload restated when the figures changed), or the
   * outcome that settles it without a send.
   */
  async function checkAtSendTime(notice: StoredNotice, lease: NoticeLease): Promise<{ notice: StoredNotice } | { outcome: DeliveryOutcome }> {
    const { payload } = notice;
    if (payload.type === 'ops.breach_warning') {
      // A warning is worth sending only while its clock is still undecided (a stop may have come meanwhile).
      if (!(await dependencies.credits.clockDecided(payload.contractId, payload.caseId, payload.kpi))) return { notice };
      const reason = `the ${payload.kpi} clock of case ${payload.caseId} was decided before the warning could be sent`;
      const recorded = await notices.markSuperseded(lease, reason, clock.now());
      return { outcome: { kind: 'superseded', reason, recorded } };
    }
    if (!isCreditPayload(payload)) return { notice };
    const verdict = await creditCheck.check({ ...notice, payload }, clock.now());
    switch (verdict.kind) {
      case 'unsettled': {
        const reason = `waiting for contract year ${payload.yearIndex} to settle`;
        const recorded = await notices.defer(lease, verdict.settlesAt, reason);
        return { outcome: { kind: 'deferred', reason, notBefore: verdict.settlesAt, recorded } };
      }
      case 'superseded': {
        const recorded = await notices.markSuperseded(lease, verdict.reason, clock.now());
        return { outcome: { kind: 'superseded', reason: verdict.reason, recorded } };
      }
      case 'send': {
        if (JSON.stringify(verdict.payload) === JSON.stringify(payload)) return { notice };
        // The lease was lost (the sweep took over): whoever holds it now sends it, not this invocation.
        if (!(await notices.restate(lease, verdict.payload))) return { outcome: { kind: 'skipped' } };
        return { notice: { ...notice, payload: verdict.payload } };
      }
    }
  }

  function recipientOf(notice: StoredNotice): { to: string | null; locale: Locale } {
    return notice.audience === 'operations'
      ? { to: operatorEmail, locale: 'en' }
      : { to: notice.to, locale: notice.locale ?? 'en' };
  }

  async function sendWithRetries(notice: StoredNotice, to: string, content: RenderedNotice): Promise<{ result: SendResult; tries: number }> {
    for (let tryNumber = 1; ; tryNumber += 1) {
      try {
        const messageId = await sender.send({ to, content, noticeType: notice.type, contractId: notice.contractId });
        return { result: { ok: true, messageId }, tries: tryNumber };
      } catch (error) {
        const failure = classifySendFailure(error);
        const retryable = failure.kind === 'throttled' || failure.kind === 'transient';
        if (!retryable || tryNumber >= SEND_TRIES) return { result: { ok: false, failure }, tries: tryNumber };
        await sleep(retryDelayMs(tryNumber));
      }
    }
  }

  async function fail(notice: StoredNotice, lease: NoticeLease, reason: string): Promise<DeliveryOutcome> {
    const now = clock.now();
    const alert = deliveryAlert('ops.notice_failed', notice, reason, now);
    const recorded = await notices.markFailed(lease, reason, now, alert);
    return { kind: 'failed', reason, alerted: recorded && alert !== null, recorded };
  }

  /**
   * docs/design.md#7-notices: nothing more goes to an address that bounced or complained until the contract's contact is
   * amended. The notice ends failed without an alert of its own: the bounce or complaint raised the one
   * alert, and the failed notices are listed in the statement.
   */
  async function refuseSuppressed(notice: StoredNotice, lease: NoticeLease, to: string): Promise<DeliveryOutcome | null> {
    if (notice.audience !== 'customer' || (await suppressions.suppressionOf(to)) === null) return null;
    const recorded = await notices.markFailed(lease, SUPPRESSED_REASON, clock.now(), null);
    return { kind: 'suppressed', reason: SUPPRESSED_REASON, recorded };
  }

  async function settleFailure(notice: StoredNotice, lease: NoticeLease, failure: SendFailure): Promise<DeliveryOutcome> {
    switch (failure.kind) {
      case 'permanent':
        return fail(notice, lease, `SES refused the email: ${failure.reason}`);
      case 'unknown': {
        const now = clock.now();
        const reason = `the send outcome is unknown: ${failure.reason}`;
        const alert = deliveryAlert('ops.notice_unknown', notice, reason, now);
        const recorded = await notices.markUnknown(lease, reason, now, alert);
        return { kind: 'unknown', reason, alerted: recorded && alert !== null, recorded };
      }
      case 'throttled':
      case 'transient':
      case 'paused': {
        if (lease.attempt >= MAX_NOTICE_LEASES) {
          return fail(notice, lease, `gave up after ${lease.attempt} attempts: ${failure.reason}`);
        }
        const notBefore = nextAttemptAt(clock.now(), lease.attempt);
        const reason = `${failure.kind}: ${failure.reason}`;
        const recorded = await notices.release(lease, notBefore, reason);
        return { kind: 'released', reason, notBefore, recorded };
      }
    }
  }

  async function deliverLeased(notice: StoredNotice, lease: NoticeLease): Promise<{ outcome: DeliveryOutcome; tries: number }> {
    const { to, locale } = recipientOf(notice);
    if (to === null || !isDeliverableAddress(to)) {
      return { outcome: await fail(notice, lease, 'the recipient address is not deliverable'), tries: 0 };
    }
    const suppressed = await refuseSuppressed(notice, lease, to);
    if (suppressed !== null) return { outcome: suppressed, tries: 0 };
    let content: RenderedNotice;
    try {
      content = renderNotice(notice.payload, locale, renderOptions);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { outcome: await fail(notice, lease, `the notice could not be rendered (${name})`), tries: 0 };
    }
    const { result, tries } = await sendWithRetries(notice, to, content);
    if (!result.ok) return { outcome: await settleFailure(notice, lease, result.failure), tries };
    const recorded = await notices.markSent(lease, result.messageId, clock.now());
    return { outcome: { kind: 'sent', messageId: result.messageId, recorded }, tries };
  }

  return {
    async deliver(ref) {
      const now = clock.now();
      const notice = await notices.lease(ref, now, now + LEASE_MS);
      if (notice === null) return { noticeId: ref.id, noticeType: null, attempt: null, sendTries: 0, outcome: { kind: 'skipped' } };
      const lease: NoticeLease = { ref, attempt: notice.attempts };
      const checked = await checkAtSendTime(notice, lease);
      const { outcome, tries } = 'outcome' in checked ? { outcome: checked.outcome, tries: 0 } : await deliverLeased(checked.notice, lease);
      return { noticeId: ref.id, noticeType: notice.type, attempt: notice.attempts, sendTries: tries, outcome };
    },
  };
}
