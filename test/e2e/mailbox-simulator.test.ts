/**
 * SES feedback on the embedded local stack, which behaves like SES's mailbox simulator: a notice sent to
 * bounce@simulator.amazonses.com bounces and one sent to complaint@simulator.amazonses.com draws a
 * complaint. Events go through the real queue and intake, notices through the notifier and the SES
 * emulator, the feedback through the feedback handler: the notice ends bounced / complained, operations
 * get one alert, and the next notice to that address is not sent.
 */
import { queueOf } from '#events/queues.ts';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_BOUNCE, SIMULATOR_COMPLAINT } from '#cli/local/mailbox-simulator.ts';
import { LOCAL_OPERATOR, startLocalStack, type LocalStack } from '#cli/local/stack.ts';
import type { AftercareEventV1 } from '#events/v1.ts';
import { readStatement } from '#usecases/statement.ts';
import { aLambdaContext } from '#test/support/factories/sqs.ts';
import { aCaseEvent, aRegistration, defaultCatalog, MINUTE, TestClock } from '#test/support/factories/events.ts';

const OPENED = Date.parse('2026-02-09T09:00:00+01:00');
const catalog = defaultCatalog();
const clock = new TestClock(OPENED + 60 * MINUTE);
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ catalog, clock, virtualTime: true, name: 'aftercare-simulator' });
}, 120_000);

afterAll(async () => {
  await stack.stop();
});

async function send(event: AftercareEventV1): Promise<void> {
  await stack.sqs.send(new SendMessageCommand({ QueueUrl: queueOf(event.type) === 'contracts' ? stack.queues.contractsQueueUrl : stack.queues.casesQueueUrl, MessageBody: JSON.stringify(event) }));
  await stack.poller.pollOnce();
  await stack.notices.deliverCreated();
}

/**
 * A late first response on premium: a credit.issued notice to the contract's customer. The events arrive
 * an hour late, so the breach waits until the source's lateness lapses (sourceIdleMinutes), and its
 * notice until the year has settled (noticeSettleMinutes): the sweep then decides it and re-drives it.
 */
async function aLateResponse(contractId: string, caseId: string, openedAt: number): Promise<void> {
  await send(aCaseEvent('case.opened', { contractId, caseId, at: new Date(openedAt).toISOString() }));
  await send(aCaseEvent('case.responded', { contractId, caseId, at: new Date(openedAt + 20 * MINUTE).toISOString() }));
  for (const minutes of [catalog.sourceIdleMinutes + 1, catalog.noticeSettleMinutes + 1]) {
    clock.at += minutes * MINUTE;
    await stack.sweep({}, aLambdaContext('sweep'));
    await stack.notices.deliverDue(clock.now());
  }
}

async function noticeStates(contractId: string): Promise<Record<string, string>> {
  const statement = await readStatement(stack.store, catalog, contractId, clock.now());
  return Object.fromEntries((statement?.notices ?? []).map((notice) => [notice.id, notice.state]));
}

async function emailsTo(address: string) {
  return (await stack.emulators.sesStore()).filter((email) => email.destination.to.includes(address));
}

describe("the local stack as SES's mailbox simulator", () => {
  it.each([
    ['bounce', SIMULATOR_BOUNCE, 'bounced', 'Notice bounced'],
    ['complaint', SIMULATOR_COMPLAINT, 'complained', 'Notice marked as spam'],
  ])(
    'a notice to the %s simulator (%s) ends %s, alerts operations once, and the next notice to that address is not sent',
    async (kind, address, state, alertSubject) => {
      // Prepare
      const contractId = `C-SIM-${kind}`;
      await send(aRegistration({ contractId, customer: { name: 'Fjellvik Bygg AS', email: address, locale: 'nb' } }));

      // Act
      await aLateResponse(contractId, 'K-1', OPENED);
      const afterFirst = await noticeStates(contractId);
      await aLateResponse(contractId, 'K-2', OPENED + 30 * MINUTE);

      // Assess
      expect(afterFirst).toEqual({ [`credit.issued#${contractId}#1#K-1#firstResponse`]: state });
      expect(await noticeStates(contractId)).toEqual({
        [`credit.issued#${contractId}#1#K-1#firstResponse`]: state,
        [`credit.issued#${contractId}#1#K-2#firstResponse`]: 'failed',
      });
      expect(await emailsTo(address)).toHaveLength(1);
      const alerts = (await emailsTo(LOCAL_OPERATOR)).filter((email) => email.subject.includes(contractId));
      expect(alerts.map((email) => email.subject)).toEqual([expect.stringContaining(alertSubject)]);
      expect(alerts[0]?.body.text).not.toContain(address);
    },
    120_000,
  );
});
