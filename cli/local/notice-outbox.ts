/**
 * The local stack has no DynamoDB Stream to feed the notifier (DynamoDB Local's streams need a client we
 * do not ship), so it watches the outbox instead: every notice a committed transaction created is noted,
 * and the notifier handler gets the same stream event Lambda would build for it (`noticeStreamEvent`).
 * The sweep's re-drive of a pending notice is noted too, as the stream would see it (a credit notice
 * whose year has settled). A scan of the attention index catches what the watch cannot see.
 */
import type { Instant } from '#domain/time.ts';
import type { NotifierHandler } from '#functions/notifier/app.ts';
import { noticeStreamEvent } from '#functions/notifier/stream.ts';
import type { CommitResult, NoticeRecord, Store, StoreWrite } from '#store/store.ts';
import type { NoticeRef, NoticeRepository } from '#store/notice-repository.ts';
import { rejectedWith } from '../../shared/promises.ts';
import { localLambdaContext } from './lambda-context.ts';

/** Notices created since the last delivery, in creation order. */
export class CreatedNotices {
  private refs: NoticeRef[] = [];

  note(notice: Pick<NoticeRecord, 'contractId' | 'id'>): void {
    this.refs.push({ contractId: notice.contractId, id: notice.id });
  }

  take(): NoticeRef[] {
    const taken = this.refs;
    this.refs = [];
    return taken;
  }

  get size(): number {
    return this.refs.length;
  }
}

/** The store, noting the notices of every transaction that committed and telling `onCommit` what it wrote. */
export function watchedStore(store: Store, created: CreatedNotices, onCommit?: (writes: readonly StoreWrite[]) => void): Store {
  return {
    readEventContext: (request) => store.readEventContext(request),
    readYears: (contractId, indexes) => store.readYears(contractId, indexes),
    readCases: (refs) => store.readCases(refs),
    readParkedOf: (contractId) => store.readParkedOf(contractId),
    readParked: (refs) => store.readParked(refs),
    dueCases: (now) => store.dueCases(now),
    overdueParked: (now) => store.overdueParked(now),
    readContractPartition: (contractId) => store.readContractPartition(contractId),
    // Chained, not awaited in an async function: an async frame per commit (one per event) is garbage
    // the replay pays for. The notices are still noted before the caller's await resumes.
    commit(writes) {
      let pending: Promise<CommitResult>;
      try {
        pending = store.commit(writes);
      } catch (error: unknown) {
        return rejectedWith(error);
      }
      return pending.then((result) => {
        if (result === 'committed') {
          for (const write of writes) if (write.kind === 'notice') created.note(write.notice);
          onCommit?.(writes);
        }
        return result;
      });
    },
    async createNoticeOnce(notice) {
      const createdNow = await store.createNoticeOnce(notice);
      if (createdNow) created.note(notice);
      return createdNow;
    },
  };
}

/**
 * The outbox repository, noting the operations alerts a settlement created and the notices the sweep
 * re-drives (a touch is a write of a pending notice: the table's stream hands it to the notifier).
 */
export function watchedNotices(notices: NoticeRepository, created: CreatedNotices): NoticeRepository {
  const noteIf = (settled: boolean, alert: NoticeRecord | null): boolean => {
    if (settled && alert !== null) created.note(alert);
    return settled;
  };
  return {
    lease: (ref, now, leaseUntil) => notices.lease(ref, now, leaseUntil),
    markSent: (lease, messageId, at) => notices.markSent(lease, messageId, at),
    release: (lease, notBefore, reason) => notices.release(lease, notBefore, reason),
    defer: (lease, notBefore, reason) => notices.defer(lease, notBefore, reason),
    markSuperseded: (lease, reason, at) => notices.markSuperseded(lease, reason, at),
    restate: (lease, payload) => notices.restate(lease, payload),
    markFailed: async (lease, reason, at, alert) => noteIf(await notices.markFailed(lease, reason, at, alert), alert),
    markUnknown: async (lease, reason, at, alert) => noteIf(await notices.markUnknown(lease, reason, at, alert), alert),
    expireLease: async (lease, now, reason, alert) => noteIf(await notices.expireLease(lease, now, reason, alert), alert),
    touch: async (ref, next) => {
      const touched = await notices.touch(ref, next);
      if (touched) created.note(ref);
      return touched;
    },
    needingAttention: (now) => notices.needingAttention(now),
    read: (refs) => notices.read(refs),
  };
}

/**
 * The notices to hand over, one contract's at a time (operations notices on their own), each contract's by id.
 * What SES reports back (a bounce suppresses the address) is applied after each invocation, so a batch that mixed
 * contracts would let one contract's notices decide where another's batch ends, and with it whether its second
 * email to a bouncing address is sent or refused. By contract and by id, what a customer's notices meet depends
 * on that contract's notices alone: the same in one replay engine as in a shard of it (docs/design.md#9-running-it).
 */
function batchedByContract(refs: readonly NoticeRef[]): NoticeRef[][] {
  const byContract = new Map<string | null, NoticeRef[]>();
  for (const ref of refs) {
    const ofContract = byContract.get(ref.contractId);
    if (ofContract === undefined) byContract.set(ref.contractId, [ref]);
    else ofContract.push(ref);
  }
  const batches = [...byContract.values()];
  for (const ofContract of batches) if (ofContract.length > 1) ofContract.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return batches;
}

/** Records per invocation: the notifier's event source mapping batch size. */
const STREAM_BATCH_SIZE = 25;
/** Alerts about failed deliveries are notices too; a few rounds deliver them, and nothing loops for ever. */
const MAX_ROUNDS = 5;

export interface NoticeDriver {
  /** Delivers every notice created since the last call (and the alerts that delivery raised); how many were handed over. */
  deliverCreated(): Promise<number>;
  /** Delivers every pending notice the attention index lists as due at `now`. */
  deliverDue(now: Instant): Promise<number>;
}

export function makeNoticeDriver(dependencies: {
  readonly created: CreatedNotices;
  readonly notices: NoticeRepository;
  readonly handler: NotifierHandler;
  /** After each notifier invocation: what SES would report back about its sends (the mailbox simulator). */
  readonly afterInvoke?: () => Promise<unknown>;
}): NoticeDriver {
  const { created, notices, handler, afterInvoke } = dependencies;

  async function invoke(refs: readonly NoticeRef[]): Promise<void> {
    for (const ofContract of batchedByContract(refs)) {
      for (let offset = 0; offset < ofContract.length; offset += STREAM_BATCH_SIZE) {
        await handler(noticeStreamEvent(ofContract.slice(offset, offset + STREAM_BATCH_SIZE)), localLambdaContext('notifier'));
        await afterInvoke?.();
      }
    }
  }

  async function deliverCreated(): Promise<number> {
    let handed = 0;
    for (let round = 0; round < MAX_ROUNDS && created.size > 0; round += 1) {
      const refs = created.take();
      await invoke(refs);
      handed += refs.length;
    }
    return handed;
  }

  return {
    deliverCreated,
    async deliverDue(now) {
      const refs = await notices.needingAttention(now);
      const pending = refs.length === 0 ? [] : (await notices.read(refs)).filter((notice) => notice.state === 'pending');
      await invoke(pending.map((notice) => ({ contractId: notice.contractId, id: notice.id })));
      return pending.length + (await deliverCreated());
    },
  };
}
