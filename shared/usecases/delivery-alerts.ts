/**
 * Operations alerts about a notice that could not be delivered, or that SES's feedback says bounced or
 * drew a complaint: created in the same transaction as the notice's final state, with an id derived from
 * the notice so there is at most one of each.
 */
import type { Instant } from '#domain/time.ts';
import type { NoticeRecord } from '#store/store.ts';

export type DeliveryAlertType = 'ops.notice_failed' | 'ops.notice_unknown' | 'ops.notice_bounced' | 'ops.notice_complained';

/**
 * Null for an operations notice: its alert would go to the same operator address through the same SES
 * account and could fail the same way, one alert about the next. The NoticesFailed / NoticesUnknown /
 * NoticesBounced / NoticesComplained alarms reach the operator through SNS instead.
 */
export function deliveryAlert(type: DeliveryAlertType, notice: NoticeRecord, reason: string, createdAt: Instant): NoticeRecord | null {
  if (notice.audience === 'operations') return null;
  return {
    id: `${type}#${notice.id}`,
    contractId: notice.contractId,
    type,
    audience: 'operations',
    to: null,
    locale: null,
    payload: { type, noticeId: notice.id, noticeType: notice.type, contractId: notice.contractId ?? 'none', reason },
    createdAt,
  };
}
