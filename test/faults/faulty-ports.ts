/**
 * Ports that die at step boundaries (dependencies passed in, never module mocks): the store dies around
 * its transaction, the SES sender around the send, the billing bus around the put. Every call checks the
 * process is still alive. The
 * notice ports also remember which notice each SES send was for, so a double send cannot hide.
 */
import type { BillingEventBus } from '#events/billing-bus.ts';
import type { NoticeSender } from '#notices/sender.ts';
import type { BillingOutboxRepository } from '#store/billing-outbox-repository.ts';
import type { CreditStateRepository } from '#store/credit-state.ts';
import type { LifecycleRepository } from '#store/lifecycle-repository.ts';
import type { NoticeRepository } from '#store/notice-repository.ts';
import type { Store } from '#store/store.ts';
import type { Crasher } from './crash.ts';

export function faultyStore(store: Store, crasher: Crasher): Store {
  const alive = <T>(call: () => Promise<T>): Promise<T> => {
    crasher.assertAlive();
    return call();
  };
  return {
    readEventContext: (request) => alive(() => store.readEventContext(request)),
    readYears: (contractId, indexes) => alive(() => store.readYears(contractId, indexes)),
    readCases: (refs) => alive(() => store.readCases(refs)),
    readParkedOf: (contractId) => alive(() => store.readParkedOf(contractId)),
    readParked: (refs) => alive(() => store.readParked(refs)),
    dueCases: (now) => alive(() => store.dueCases(now)),
    overdueParked: (now) => alive(() => store.overdueParked(now)),
    readContractPartition: (contractId) => alive(() => store.readContractPartition(contractId)),
    async commit(writes) {
      crasher.reach('before-commit');
      const result = await store.commit(writes);
      if (result === 'committed') crasher.reach('after-commit');
      return result;
    },
    async createNoticeOnce(notice) {
      crasher.reach('before-commit');
      const created = await store.createNoticeOnce(notice);
      if (created) crasher.reach('after-commit');
      return created;
    },
  };
}

export function faultyLifecycleRepository(contracts: LifecycleRepository, crasher: Crasher): LifecycleRepository {
  const alive = <T>(call: () => Promise<T>): Promise<T> => {
    crasher.assertAlive();
    return call();
  };
  return {
    dueContracts: (date) => alive(() => contracts.dueContracts(date)),
    readContracts: (ids) => alive(() => contracts.readContracts(ids)),
    readCasesOf: (contractId) => alive(() => contracts.readCasesOf(contractId)),
  };
}

/** SES sends per notice id, as the sender really made them. */
export class SendLog {
  private leased: string | null = null;
  readonly sends = new Map<string, number>();

  leasing(noticeId: string): void {
    this.leased = noticeId;
  }

  sent(): void {
    const id = this.leased ?? '(no lease)';
    this.sends.set(id, (this.sends.get(id) ?? 0) + 1);
  }
}

export function faultyNoticeRepository(notices: NoticeRepository, crasher: Crasher, log: SendLog): NoticeRepository {
  const alive = <T>(call: () => Promise<T>): Promise<T> => {
    crasher.assertAlive();
    return call();
  };
  return {
    async lease(ref, now, leaseUntil) {
      const notice = await alive(() => notices.lease(ref, now, leaseUntil));
      if (notice !== null) log.leasing(notice.id);
      return notice;
    },
    markSent: (lease, messageId, at) => alive(() => notices.markSent(lease, messageId, at)),
    release: (lease, notBefore, reason) => alive(() => notices.release(lease, notBefore, reason)),
    defer: (lease, notBefore, reason) => alive(() => notices.defer(lease, notBefore, reason)),
    markSuperseded: (lease, reason, at) => alive(() => notices.markSuperseded(lease, reason, at)),
    restate: (lease, payload) => alive(() => notices.restate(lease, payload)),
    markFailed: (lease, reason, at, alert) => alive(() => notices.markFailed(lease, reason, at, alert)),
    markUnknown: (lease, reason, at, alert) => alive(() => notices.markUnknown(lease, reason, at, alert)),
    expireLease: (lease, now, reason, alert) => alive(() => notices.expireLease(lease, now, reason, alert)),
    touch: (ref, next) => alive(() => notices.touch(ref, next)),
    needingAttention: (now) => alive(() => notices.needingAttention(now)),
    read: (refs) => alive(() => notices.read(refs)),
  };
}

export function faultyCreditState(credits: CreditStateRepository, crasher: Crasher): CreditStateRepository {
  return {
    creditState(contractId, yearIndex) {
      crasher.assertAlive();
      return credits.creditState(contractId, yearIndex);
    },
    clockDecided(contractId, caseId, kpi) {
      crasher.assertAlive();
      return credits.clockDecided(contractId, caseId, kpi);
    },
  };
}

export function faultySender(sender: NoticeSender, crasher: Crasher, log: SendLog): NoticeSender {
  return {
    async send(notice) {
      crasher.reach('before-send');
      const messageId = await sender.send(notice);
      log.sent();
      crasher.reach('after-send');
      return messageId;
    },
  };
}

export function faultyBillingOutbox(outbox: BillingOutboxRepository, crasher: Crasher): BillingOutboxRepository {
  return {
    pending(ref) {
      crasher.assertAlive();
      return outbox.pending(ref);
    },
    markPublished(ref, at) {
      crasher.assertAlive();
      return outbox.markPublished(ref, at);
    },
  };
}

/** Dies before PutEvents, or after the bus accepted the entries (before the outbox item is marked published). */
export function faultyBillingBus(bus: BillingEventBus, crasher: Crasher): BillingEventBus {
  return {
    async put(events) {
      crasher.reach('before-put');
      const refused = await bus.put(events);
      crasher.reach('after-put');
      return refused;
    },
  };
}
