/**
 * What must hold after any run, faults or not, each returned as a list of findings (empty = holds) so a
 * failing test names every contract and notice at fault: statements equal to the oracle's, every credit
 * booked once, every notice settled and sent at most once, unknown ones alerted, poison dead-lettered,
 * and (with the billing publisher) billing told every credit and billing notice.
 */
import { ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Catalog } from '#domain/model.ts';
import { evaluatePortfolio } from '#test/support/oracle/portfolio.ts';
import type { ContractStatement } from '#domain/statement.ts';
import { parseEvent } from '#events/parse.ts';
import { describeIdentity, identityOf } from '#events/source.ts';
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { readLocalBillingEvents } from '#cli/local/billing-sink.ts';
import { creditEvent, noticeBillingEvent } from '#events/billing.ts';
import { BILLING_NOTICE_TYPES, BILLING_OUTBOX } from '#store/billing-outbox-repository.ts';
import { billingItemKey } from '#store/dynamo-billing-outbox-repository.ts';
import { storedNoticeFromItem } from '#store/dynamo-notice-repository.ts';
import { eventKey, identityOfSegment, OPS_PARTITION } from '#store/keys.ts';
import type { StoredNotice } from '#store/notice-repository.ts';
import { readStatement } from '#usecases/statement.ts';
import { catalogRuntime } from '#usecases/runtime.ts';
import type { StoredEmail } from '#cli/local/emulators.ts';
import { portfolioEventsOf } from '#test/support/generators/portfolio-events.ts';
import type { SoakScenario } from '#test/support/generators/soak-events.ts';
import type { LocalStack } from './local-stack.ts';

/** The part of a statement the oracle knows: everything but the ledger, notices and parked events. */
function comparable(statement: ContractStatement): unknown {
  // pausedTime is read straight from the stored case events (shared/domain/pauses.ts, unit-tested there); the
  // oracle models clocks and credits, not the list of pauses, so it is left out of the comparison.
  const { ledger: _ledger, notices: _notices, parked: _parked, pausedTime: _pausedTime, rejected, ...rest } = statement;
  // Rejection reasons are worded by each side; which events were rejected must agree.
  return { ...rest, rejected: rejected.map(({ eventId, type }) => `${type} ${eventId}`).sort() };
}

export async function statementsAgainstOracle(stack: LocalStack, scenario: SoakScenario, catalog: Catalog): Promise<string[]> {
  const expected = evaluatePortfolio({
    catalog,
    calendars: catalogRuntime(catalog).calendars,
    events: portfolioEventsOf(scenario.events),
    asOf: scenario.asOf,
  });
  const findings: string[] = [];
  for (const oracle of expected) {
    const actual = await readStatement(stack.store, catalog, oracle.contractId, scenario.asOf);
    if (actual === null) findings.push(`${oracle.contractId}: not registered in the store`);
    else if (JSON.stringify(comparable(actual)) !== JSON.stringify(comparable(oracle))) {
      findings.push(`${oracle.contractId}: statement differs\n  store:  ${JSON.stringify(comparable(actual))}\n  oracle: ${JSON.stringify(comparable(oracle))}`);
    }
  }
  return findings;
}

/** Every valid event has its idempotency record (read 100 keys at a time): none was lost on the way. */
export async function unprocessedEvents(stack: LocalStack, scenario: SoakScenario): Promise<string[]> {
  const identities = new Map(scenario.events.flatMap((body) => {
    const parsed = parseEvent(body);
    return parsed.ok ? [[describeIdentity(identityOf(parsed.event)), identityOf(parsed.event)] as const] : [];
  }));
  const eventIds = [...identities.keys()];
  const processed = new Set<string>();
  for (let offset = 0; offset < eventIds.length; offset += 100) {
    let keys: Record<string, unknown>[] = eventIds.slice(offset, offset + 100).map((id) => {
      const { source, eventId } = identities.get(id) ?? identityOfSegment(id);
      return { ...eventKey(source, eventId) };
    });
    while (keys.length > 0) {
      const output = await stack.clients.documents.send(
        new BatchGetCommand({ RequestItems: { [stack.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of output.Responses?.[stack.tableName] ?? []) processed.add(String(item.pk).slice('EVENT#'.length));
      keys = output.UnprocessedKeys?.[stack.tableName]?.Keys ?? [];
    }
  }
  const lost = eventIds.filter((eventId) => !processed.has(eventId)).map((eventId) => `${eventId}: never processed`);
  return [...lost, ...stack.redrivenBySqs.map((body) => `redriven by SQS without a reason: ${body}`)];
}

/** Per contract year, the ledger adds up to the credits of the year: nothing booked twice or lost. */
export async function ledgerMismatches(stack: LocalStack, scenario: SoakScenario, catalog: Catalog): Promise<string[]> {
  const findings: string[] = [];
  for (const contractId of scenario.customers.keys()) {
    const statement = await readStatement(stack.store, catalog, contractId, scenario.asOf);
    if (statement === null) continue;
    for (const year of statement.years) {
      const booked = statement.ledger.filter((entry) => entry.yearIndex === year.index).reduce((sum, entry) => sum + entry.amountMinor, 0);
      if (booked !== year.creditsMinor) findings.push(`${contractId} year ${year.index}: ledger ${booked} ≠ credits ${year.creditsMinor}`);
    }
  }
  return findings;
}

/**
 * Every notice settled (sent, unknown, or superseded at send time); SES saw each sent notice exactly
 * once, each unknown one at most once and no superseded one; every unknown customer notice has its ops.notice_unknown alert; the SES emulator holds as
 * many emails per customer as the notices sent to them.
 */
export async function noticeFindings(stack: LocalStack, scenario: SoakScenario, emails: readonly StoredEmail[]): Promise<string[]> {
  const findings: string[] = [];
  const partitions = [...scenario.customers.keys(), null];
  for (const contractId of partitions) {
    const notices: readonly { id: string; state: string; audience: string }[] =
      contractId === null ? await opsNotices(stack) : (await stack.store.readContractPartition(contractId)).notices;
    const ids = new Set(notices.map((notice) => notice.id));
    let sentToCustomer = 0;
    for (const notice of notices) {
      const sends = stack.sendLog.sends.get(notice.id) ?? 0;
      if (notice.state === 'sent' && sends !== 1) findings.push(`${notice.id}: sent, but SES saw it ${sends} times`);
      else if (notice.state === 'unknown') {
        if (sends > 1) findings.push(`${notice.id}: unknown, but SES saw it ${sends} times`);
        if (notice.audience === 'customer' && !ids.has(`ops.notice_unknown#${notice.id}`)) findings.push(`${notice.id}: unknown without an alert`);
      } else if (notice.state === 'superseded') {
        if (sends > 0) findings.push(`${notice.id}: superseded, but SES saw it ${sends} times`);
      } else if (notice.state !== 'sent') findings.push(`${notice.id}: left ${notice.state}`);
      if (notice.audience === 'customer') sentToCustomer += sends;
    }
    const address = contractId === null ? undefined : scenario.customers.get(contractId);
    if (address !== undefined) {
      const received = emails.filter((email) => email.destination.to.includes(address)).length;
      if (received !== sentToCustomer) findings.push(`${address}: ${received} emails for ${sentToCustomer} sends`);
    }
  }
  return findings;
}

async function opsNotices(stack: LocalStack): Promise<StoredNotice[]> {
  const notices: StoredNotice[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const output = await stack.clients.documents.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': OPS_PARTITION },
        ConsistentRead: true,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    notices.push(...(output.Items ?? []).map(storedNoticeFromItem));
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
  return notices;
}

/** Every poison body is in the DLQ with a reason; nothing else is. */
export async function deadLetterFindings(stack: LocalStack, scenario: SoakScenario): Promise<string[]> {
  const reasons = new Map<string, string>();
  for (;;) {
    const { Messages = [] } = await stack.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues.deadLetterQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) reasons.set(message.Body ?? '', message.MessageAttributes?.errorMessage?.StringValue ?? '');
    await stack.clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: stack.queues.deadLetterQueueUrl,
        Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
      }),
    );
  }
  const findings = scenario.poison.flatMap((body) => {
    const reason = reasons.get(body);
    return reason === undefined ? [`poison not dead-lettered: ${body}`] : reason === '' ? [`dead-lettered without a reason: ${body}`] : [];
  });
  const poison = new Set(scenario.poison);
  return [...findings, ...[...reasons.keys()].filter((body) => !poison.has(body)).map((body) => `dead-lettered but valid: ${body}`)];
}

/**
 * What billing was told, against what the table holds (docs/design.md#12-contract-changes-and-billing): the bus
 * cannot take part in the table's transaction, so the promise is at least once with stable ids — every
 * ledger entry and billing notice reached the bus, nothing else did, a duplicate (an event put again
 * after a crash between the put and the mark) is the same event with the same `detail.id` (consumers
 * dedupe on it), and every outbox item ends `published`. `duplicates`: puts beyond the first, per id.
 */
export async function billingFindings(stack: LocalStack, scenario: SoakScenario): Promise<{ findings: string[]; events: number; duplicates: number }> {
  const expected = new Map<string, string>();
  for (const contractId of scenario.customers.keys()) {
    const partition = await stack.store.readContractPartition(contractId);
    const currency = partition.contract?.terms.annualFee.currency;
    if (currency === undefined) continue;
    for (const entry of partition.ledger) {
      const event = creditEvent(entry, currency);
      expected.set(event.detail.id, JSON.stringify([event.detailType, event.detail]));
    }
    for (const notice of partition.notices.filter((n) => BILLING_NOTICE_TYPES.has(n.type))) {
      const event = noticeBillingEvent(notice);
      if (event !== null) expected.set(event.detail.id, JSON.stringify([event.detailType, event.detail]));
    }
  }
  const told = new Map<string, string[]>();
  for (const event of await readLocalBillingEvents(stack.clients.documents, stack.tableName)) {
    told.set(event.detail.id, [...(told.get(event.detail.id) ?? []), JSON.stringify([event.detailType, event.detail])]);
  }
  const findings: string[] = [];
  for (const [id, event] of expected) {
    const copies = told.get(id) ?? [];
    if (copies.length === 0) findings.push(`${id}: never told to billing`);
    else if (copies.some((copy) => copy !== event)) findings.push(`${id}: told differently\n  bus:   ${copies.join('\n         ')}\n  table: ${event}`);
  }
  for (const id of told.keys()) if (!expected.has(id)) findings.push(`${id}: told to billing, but no ledger entry or notice has that id`);
  for (const [sourceId, ref] of stack.billingSources) {
    const { Item } = await stack.clients.documents.send(new GetCommand({ TableName: stack.tableName, Key: billingItemKey(ref), ConsistentRead: true }));
    if (Item?.[BILLING_OUTBOX.attribute] !== BILLING_OUTBOX.published) findings.push(`${sourceId}: outbox item left ${String(Item?.[BILLING_OUTBOX.attribute])}`);
  }
  const duplicates = [...told.values()].reduce((sum, copies) => sum + copies.length - 1, 0);
  return { findings, events: expected.size, duplicates };
}
