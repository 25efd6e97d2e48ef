import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeSweepHandler } from '#functions/sweep/app.ts';
import { makeSweep } from '#usecases/sweep.ts';
import { makeLogger, makeMetrics } from '../../shared/observability.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { defaultCatalog } from '#test/support/factories/events.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import { makeNoticeUpkeep } from '#usecases/notice-upkeep.ts';
import { LEASE_MS, REDRIVE_AFTER_MS } from '#usecases/notice-timing.ts';
import { MemoryNoticeRepository } from '#test/support/memory-notices.ts';
import { aBreachWarningRecord, aCreditIssuedRecord, CREATED_AT } from '#test/support/factories/notices.ts';

const MINUTE = 60_000;

function upkeepWith(...records: ReturnType<typeof aCreditIssuedRecord>[]) {
  const notices = new MemoryNoticeRepository();
  for (const record of records) notices.add(record);
  return { notices, upkeep: makeNoticeUpkeep({ notices }) };
}

describe('the sweep re-drives stuck notices', () => {
  it(`touches a notice still pending ${REDRIVE_AFTER_MS / MINUTE} minutes after it was created, so the stream delivers it again`, async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { notices, upkeep } = upkeepWith(notice);

    // Act
    const report = await upkeep.run(CREATED_AT + REDRIVE_AFTER_MS);

    // Assess
    expect(report).toEqual({ noticesRedriven: 1, noticesUnknown: 0 });
    expect(notices.touched).toEqual([{ contractId: 'C-1', id: notice.id }]);
    expect(notices.get({ contractId: 'C-1', id: notice.id })?.state).toBe('pending');
  });

  it('leaves a notice the stream is still expected to deliver alone', async () => {
    // Prepare
    const { notices, upkeep } = upkeepWith(aCreditIssuedRecord());

    // Act
    const report = await upkeep.run(CREATED_AT + REDRIVE_AFTER_MS - 1);

    // Assess
    expect(report.noticesRedriven).toBe(0);
    expect(notices.touched).toEqual([]);
  });

  it('is idempotent: a second run in the same minute touches nothing more', async () => {
    // Prepare
    const { notices, upkeep } = upkeepWith(aCreditIssuedRecord(), aBreachWarningRecord());
    const now = CREATED_AT + 5 * MINUTE;
    await upkeep.run(now);

    // Act
    const second = await upkeep.run(now + 30_000);

    // Assess
    expect(second).toEqual({ noticesRedriven: 0, noticesUnknown: 0 });
    expect(notices.touched).toHaveLength(2);
  });

  it('re-drives a deferred notice only once its next attempt is due', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { notices, upkeep } = upkeepWith(notice);
    const ref = { contractId: 'C-1', id: notice.id };
    await notices.lease(ref, CREATED_AT, CREATED_AT + LEASE_MS);
    await notices.release({ ref, attempt: 1 }, CREATED_AT + 10 * MINUTE, 'throttled: TooManyRequestsException');

    // Act
    const early = await upkeep.run(CREATED_AT + 10 * MINUTE - 1);
    const due = await upkeep.run(CREATED_AT + 10 * MINUTE);

    // Assess
    expect(early.noticesRedriven).toBe(0);
    expect(due.noticesRedriven).toBe(1);
  });
});

describe('the sweep settles notices whose lease ran out', () => {
  it('marks a notice unknown, with an operations alert in the same write, once its lease has run out', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { notices, upkeep } = upkeepWith(notice);
    const ref = { contractId: 'C-1', id: notice.id };
    await notices.lease(ref, CREATED_AT, CREATED_AT + LEASE_MS);

    // Act
    const whileLeased = await upkeep.run(CREATED_AT + LEASE_MS - 1);
    const expired = await upkeep.run(CREATED_AT + LEASE_MS);
    const again = await upkeep.run(CREATED_AT + LEASE_MS + MINUTE);

    // Assess
    expect(whileLeased.noticesUnknown).toBe(0);
    expect(expired.noticesUnknown).toBe(1);
    expect(again.noticesUnknown).toBe(0);
    expect(notices.get(ref)).toMatchObject({ state: 'unknown', outcomeReason: 'the lease ran out before the send outcome was recorded' });
    expect(notices.get({ contractId: 'C-1', id: `ops.notice_unknown#${notice.id}` })).toMatchObject({
      state: 'pending',
      payload: { type: 'ops.notice_unknown', noticeId: notice.id, noticeType: 'credit.issued' },
    });
  });

  it('never re-drives a notice that is being sent', async () => {
    // Prepare
    const notice = aCreditIssuedRecord();
    const { notices, upkeep } = upkeepWith(notice);
    await notices.lease({ contractId: 'C-1', id: notice.id }, CREATED_AT + 3 * MINUTE, CREATED_AT + 3 * MINUTE + LEASE_MS);

    // Act
    const report = await upkeep.run(CREATED_AT + 4 * MINUTE);

    // Assess
    expect(report).toEqual({ noticesRedriven: 0, noticesUnknown: 0 });
    expect(notices.touched).toEqual([]);
  });
});

describe('the sweep function', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('runs the notice upkeep each minute and publishes NoticesUnknown and NoticesRedriven', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const stuck = aCreditIssuedRecord();
    const leased = aCreditIssuedRecord({ id: 'credit.issued#C-1#CASE-2#onSite' });
    const { notices } = upkeepWith(stuck, leased);
    await notices.lease({ contractId: 'C-1', id: leased.id }, CREATED_AT, CREATED_AT + LEASE_MS);
    const clock = { now: () => CREATED_AT + 5 * MINUTE };
    const logger = makeLogger('sweep');
    const metrics = makeMetrics('AftercareTest', 'sweep', logger);
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const handler = makeSweepHandler({
      sweep: makeSweep({ store: new MemoryStore(), catalog: defaultCatalog(), clock, notices }),
      logger,
      metrics,
    });

    // Act
    const report = await handler({}, aLambdaContext('aftercare-sweep'));

    // Assess
    expect(report).toMatchObject({ noticesRedriven: 1, noticesUnknown: 1 });
    expect(addMetric).toHaveBeenCalledWith('NoticesUnknown', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('NoticesRedriven', 'Count', 1);
  });
});
