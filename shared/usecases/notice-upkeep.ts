/**
 * The sweep's share of notice delivery: a notice still `sending` after its lease ran out is marked
 * `unknown` and alerted (the invocation died after SES may have accepted it: never resend blindly); a
 * notice still `pending` past its re-drive time is touched so the table's stream delivers it again.
 * Idempotent: every change is conditional, and each moves the notice's attention instant forward.
 */
import type { Instant } from '#domain/time.ts';
import type { NoticeRepository, StoredNotice } from '#store/notice-repository.ts';
import { deliveryAlert } from './delivery-alerts.ts';
import { REDRIVE_AFTER_MS } from './notice-timing.ts';

export interface NoticeUpkeepReport {
  readonly noticesRedriven: number;
  readonly noticesUnknown: number;
}

export interface NoticeUpkeep {
  run(now: Instant): Promise<NoticeUpkeepReport>;
}

const LEASE_EXPIRED = 'the lease ran out before the send outcome was recorded';

/** A notice never released nor re-driven is due two minutes after it was created. */
export function redriveDueAt(notice: StoredNotice): Instant {
  return notice.redriveAt ?? notice.createdAt + REDRIVE_AFTER_MS;
}

export function makeNoticeUpkeep(dependencies: { readonly notices: NoticeRepository }): NoticeUpkeep {
  const { notices } = dependencies;

  async function lookAt(notice: StoredNotice, now: Instant): Promise<'redriven' | 'unknown' | 'untouched'> {
    const ref = { contractId: notice.contractId, id: notice.id };
    if (notice.state === 'sending' && notice.leaseUntil !== null && notice.leaseUntil <= now) {
      const alert = deliveryAlert('ops.notice_unknown', notice, LEASE_EXPIRED, now);
      return (await notices.expireLease({ ref, attempt: notice.attempts }, now, LEASE_EXPIRED, alert)) ? 'unknown' : 'untouched';
    }
    if (notice.state === 'pending' && redriveDueAt(notice) <= now) {
      return (await notices.touch(ref, now + REDRIVE_AFTER_MS)) ? 'redriven' : 'untouched';
    }
    return 'untouched';
  }

  return {
    async run(now) {
      const refs = await notices.needingAttention(now);
      let noticesRedriven = 0;
      let noticesUnknown = 0;
      for (const notice of refs.length === 0 ? [] : await notices.read(refs)) {
        const result = await lookAt(notice, now);
        if (result === 'redriven') noticesRedriven += 1;
        if (result === 'unknown') noticesUnknown += 1;
      }
      return { noticesRedriven, noticesUnknown };
    },
  };
}
