/**
 * An in-memory notice outbox with the DynamoDB repository's conditions: a lease only from pending and
 * not deferred, every settlement only for the lease that is held, alerts created with the settlement.
 */
import type { Instant } from '#domain/time.ts';
import { attentionShards, shardOf } from '#store/keys.ts';
import type { NoticeLease, NoticeRef, NoticeRepository, NoticeState, StoredNotice } from '#store/notice-repository.ts';
import type { NoticePayload } from '#notices/types.ts';
import type { NoticeRecord } from '#store/store.ts';

interface Entry {
  notice: StoredNotice;
  /** The attention index sort instant; null once the notice left the index. */
  attentionAt: Instant | null;
}

const keyOf = (ref: NoticeRef): string => `${ref.contractId ?? 'OPS'}\u0000${ref.id}`;

export class MemoryNoticeRepository implements NoticeRepository {
  private readonly entries = new Map<string, Entry>();
  /** Every touch, as the stream would see it: the ref of a pending notice rewritten. */
  readonly touched: NoticeRef[] = [];
  /** SES message id → notice, the pointer markSent writes with the settlement (for SES feedback). */
  readonly messages = new Map<string, NoticeRef>();

  /** Creates a pending notice, as the outbox transaction does: one with `sendFrom` is deferred until then. */
  add(notice: NoticeRecord): void {
    const { sendFrom, ...record } = structuredClone(notice);
    this.entries.set(keyOf({ contractId: notice.contractId, id: notice.id }), {
      notice: {
        ...record,
        state: 'pending',
        attempts: 0,
        leaseUntil: null,
        notBefore: sendFrom ?? null,
        redriveAt: sendFrom ?? null,
        messageId: null,
        outcomeReason: null,
      },
      attentionAt: sendFrom ?? notice.createdAt,
    });
  }

  get(ref: NoticeRef): StoredNotice | undefined {
    return this.entries.get(keyOf(ref))?.notice;
  }

  all(): StoredNotice[] {
    return [...this.entries.values()].map((entry) => entry.notice);
  }

  lease(ref: NoticeRef, now: Instant, leaseUntil: Instant): Promise<StoredNotice | null> {
    const entry = this.entries.get(keyOf(ref));
    if (entry?.notice.state !== 'pending' || (entry.notice.notBefore !== null && entry.notice.notBefore > now)) {
      return Promise.resolve(null);
    }
    entry.notice = { ...entry.notice, state: 'sending', attempts: entry.notice.attempts + 1, leaseUntil };
    entry.attentionAt = leaseUntil;
    return Promise.resolve(structuredClone(entry.notice));
  }

  markSent(lease: NoticeLease, messageId: string): Promise<boolean> {
    const settled = this.settle(lease, 'sent', { messageId }, null);
    if (settled) this.messages.set(messageId, lease.ref);
    return Promise.resolve(settled);
  }

  /** Rewrites a settled notice in place (SES feedback on a sent notice); false when it does not exist. */
  replace(notice: StoredNotice): boolean {
    const entry = this.entries.get(keyOf({ contractId: notice.contractId, id: notice.id }));
    if (entry === undefined) return false;
    entry.notice = structuredClone(notice);
    return true;
  }

  release(lease: NoticeLease, notBefore: Instant, reason: string): Promise<boolean> {
    const entry = this.held(lease);
    if (entry === undefined) return Promise.resolve(false);
    entry.notice = { ...entry.notice, state: 'pending', notBefore, redriveAt: notBefore, leaseUntil: null, outcomeReason: reason };
    entry.attentionAt = notBefore;
    return Promise.resolve(true);
  }

  defer(lease: NoticeLease, notBefore: Instant, reason: string): Promise<boolean> {
    const entry = this.held(lease);
    if (entry === undefined) return Promise.resolve(false);
    entry.notice = {
      ...entry.notice,
      state: 'pending',
      attempts: entry.notice.attempts - 1,
      notBefore,
      redriveAt: notBefore,
      leaseUntil: null,
      outcomeReason: reason,
    };
    entry.attentionAt = notBefore;
    return Promise.resolve(true);
  }

  markSuperseded(lease: NoticeLease, reason: string): Promise<boolean> {
    return Promise.resolve(this.settle(lease, 'superseded', { outcomeReason: reason }, null));
  }

  restate(lease: NoticeLease, payload: NoticePayload): Promise<boolean> {
    const entry = this.held(lease);
    if (entry === undefined) return Promise.resolve(false);
    entry.notice = { ...entry.notice, payload: structuredClone(payload) };
    return Promise.resolve(true);
  }

  markFailed(lease: NoticeLease, reason: string, _at: Instant, alert: NoticeRecord | null): Promise<boolean> {
    return Promise.resolve(this.settle(lease, 'failed', { outcomeReason: reason }, alert));
  }

  markUnknown(lease: NoticeLease, reason: string, _at: Instant, alert: NoticeRecord | null): Promise<boolean> {
    return Promise.resolve(this.settle(lease, 'unknown', { outcomeReason: reason }, alert));
  }

  expireLease(lease: NoticeLease, now: Instant, reason: string, alert: NoticeRecord | null): Promise<boolean> {
    const leaseUntil = this.held(lease)?.notice.leaseUntil;
    if (leaseUntil === undefined || leaseUntil === null || leaseUntil > now) return Promise.resolve(false);
    return Promise.resolve(this.settle(lease, 'unknown', { outcomeReason: reason }, alert));
  }

  touch(ref: NoticeRef, nextRedriveAt: Instant): Promise<boolean> {
    const entry = this.entries.get(keyOf(ref));
    if (entry?.notice.state !== 'pending') return Promise.resolve(false);
    entry.notice = { ...entry.notice, redriveAt: nextRedriveAt };
    entry.attentionAt = nextRedriveAt;
    this.touched.push(ref);
    return Promise.resolve(true);
  }

  /** Shard by shard, as the DynamoDB repository's Queries return them. */
  needingAttention(now: Instant): Promise<NoticeRef[]> {
    const refs = attentionShards('notice').flatMap((shard) =>
      [...this.entries.values()]
        .filter((entry) => entry.attentionAt !== null && entry.attentionAt <= now && shardOf('notice', entry.notice.id) === shard)
        .map((entry) => ({ contractId: entry.notice.contractId, id: entry.notice.id })),
    );
    return Promise.resolve(refs);
  }

  read(refs: readonly NoticeRef[]): Promise<StoredNotice[]> {
    const found = refs.flatMap((ref) => {
      const entry = this.entries.get(keyOf(ref));
      return entry === undefined ? [] : [structuredClone(entry.notice)];
    });
    return Promise.resolve(found);
  }

  private held(lease: NoticeLease): Entry | undefined {
    const entry = this.entries.get(keyOf(lease.ref));
    return entry?.notice.state === 'sending' && entry.notice.attempts === lease.attempt ? entry : undefined;
  }

  private settle(
    lease: NoticeLease,
    state: Extract<NoticeState, 'sent' | 'failed' | 'unknown' | 'superseded'>,
    fields: Partial<StoredNotice>,
    alert: NoticeRecord | null,
  ): boolean {
    const entry = this.held(lease);
    if (entry === undefined) return false;
    entry.notice = { ...entry.notice, ...fields, state, leaseUntil: null, notBefore: null, redriveAt: null };
    entry.attentionAt = null;
    if (alert !== null && this.get({ contractId: alert.contractId, id: alert.id }) === undefined) this.add(alert);
    return true;
  }
}
