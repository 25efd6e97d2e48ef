/**
 * SES feedback and suppressions in memory, over a MemoryNoticeRepository, with the DynamoDB adapter's
 * conditions: a settlement only for a notice still `sent` with the message id, its alert created once,
 * a suppression keyed by the trimmed lower-cased address that keeps its first cause.
 */
import type {
  DeliveryFeedbackRepository,
  FeedbackSettlement,
  Suppression,
  SuppressionRepository,
} from '../delivery-feedback-repository.ts';
import { addressHash } from '../feedback-items.ts';
import type { NoticeRef, StoredNotice } from '../notice-repository.ts';
import type { MemoryNoticeRepository } from './memory-notices.ts';

export class MemoryDeliveryFeedback implements DeliveryFeedbackRepository, SuppressionRepository {
  /** Address hash → suppression, as the table holds it (no address). */
  readonly suppressions = new Map<string, Suppression>();

  constructor(private readonly notices: MemoryNoticeRepository) {}

  noticeOfMessage(messageId: string): Promise<StoredNotice | null> {
    const ref = this.notices.messages.get(messageId);
    const notice = ref === undefined ? undefined : this.notices.get(ref);
    return Promise.resolve(notice === undefined ? null : { ...notice });
  }

  settle(settlement: FeedbackSettlement): Promise<boolean> {
    const notice = this.stillSent(settlement.ref, settlement.messageId);
    if (notice === null) return Promise.resolve(false);
    this.notices.replace({ ...notice, state: settlement.state, outcomeReason: settlement.reason });
    const { alert, suppression } = settlement;
    if (alert !== null) this.notices.addOnce(alert);
    if (suppression !== null) {
      const key = addressHash(suppression.address);
      if (!this.suppressions.has(key)) {
        const { address: _address, ...kept } = suppression;
        this.suppressions.set(key, kept);
      }
    }
    return Promise.resolve(true);
  }

  note(ref: NoticeRef, messageId: string, note: string): Promise<boolean> {
    const notice = this.stillSent(ref, messageId);
    if (notice === null) return Promise.resolve(false);
    this.notices.replace({ ...notice, outcomeReason: note });
    return Promise.resolve(true);
  }

  suppressionOf(address: string): Promise<Suppression | null> {
    return Promise.resolve(this.suppressions.get(addressHash(address)) ?? null);
  }

  releaseSuppression(address: string): Promise<boolean> {
    return Promise.resolve(this.suppressions.delete(addressHash(address)));
  }

  private stillSent(ref: NoticeRef, messageId: string): StoredNotice | null {
    const notice = this.notices.get(ref);
    return notice?.state === 'sent' && notice.messageId === messageId ? notice : null;
  }
}
