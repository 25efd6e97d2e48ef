/**
 * Operations notices to the operator address. English only, whatever locale they are rendered in:
 * they are read by the team running the service, and their facts are identifiers, not prose.
 */
import type { Kpi } from '#domain/model.ts';
import type { NoticeBlock, NoticeDocument } from '../document.ts';
import { facts, paragraph, unbreakable } from '../document.ts';
import { formatCount, formatInstant, formatPercent, kpiName } from '../format.ts';
import type { OperationsNoticeType } from '../types.ts';
import type { PayloadOf } from './writer.ts';

/** The event an integration sends to stop each clock (docs/design.md#5-cases-clocks-breaches-credits). */
const STOPPED_BY: Readonly<Record<Kpi, string>> = {
  firstResponse: 'case.responded',
  onSite: 'case.technician_arrived',
  replacement: 'case.replacement_delivered',
  resolution: 'case.resolved',
};

interface OperationsParts {
  readonly type: OperationsNoticeType;
  readonly subject: string;
  readonly heading: string;
  readonly blocks: readonly NoticeBlock[];
}

function operationsDocument(brand: string, parts: OperationsParts): NoticeDocument {
  return {
    lang: 'en',
    subject: `[${brand}] ${parts.subject}`,
    brand: `${brand} operations`,
    heading: parts.heading,
    blocks: parts.blocks,
    closing: [`${brand} (automated operations notice)`],
    footer: `Notice type ${parts.type}. Sent to the operator address configured for this deployment.`,
  };
}

export function breachWarning(notice: PayloadOf<'ops.breach_warning'>, brand: string, timeZone: string): NoticeDocument {
  const kpi = kpiName(notice.kpi, 'en');
  const used = unbreakable(formatPercent(notice.percent, 'en'));
  const deadline = unbreakable(formatInstant(notice.deadline, timeZone, 'en'));
  return operationsDocument(brand, {
    type: notice.type,
    subject: `Breach warning: case ${notice.caseId} at ${used} of ${kpi} target (contract ${notice.contractId})`,
    heading: 'A service target is about to be breached',
    blocks: [
      paragraph(
        `Case ${notice.caseId} on contract ${notice.contractId} has used ${used} of its ${kpi} target. ` +
          `Unless the clock is stopped, the target is breached at ${deadline}.`,
      ),
      facts([
        { label: 'Contract', value: notice.contractId },
        { label: 'Case', value: notice.caseId },
        { label: 'Service target', value: kpi },
        { label: 'Target used', value: used },
        { label: 'Deadline', value: deadline, emphasis: true },
      ]),
      paragraph(
        `A breach earns the customer a service credit. Make sure the case is handled before the deadline and that the ` +
          `integration reports it with ${STOPPED_BY[notice.kpi]}.`,
      ),
    ],
  });
}

export function eventRejected(notice: PayloadOf<'ops.event_rejected'>, brand: string): NoticeDocument {
  return operationsDocument(brand, {
    type: notice.type,
    subject: `Event rejected: ${notice.eventType} ${notice.eventId} (contract ${notice.contractId})`,
    heading: 'An event was refused by the contract rules',
    blocks: [
      paragraph(`The event ${notice.eventId} (${notice.eventType}) for contract ${notice.contractId} was valid, but the contract rules refused it.`),
      facts([
        { label: 'Contract', value: notice.contractId },
        ...(notice.source === undefined ? [] : [{ label: 'Source', value: notice.source }]),
        { label: 'Event', value: notice.eventId },
        { label: 'Event type', value: notice.eventType },
        { label: 'Reason', value: notice.reason, emphasis: true },
      ]),
      paragraph(
        'It is recorded as rejected and shown in the contract statement; it will not be applied. Check with the sending ' +
          'integration or the customer whether the request should be sent again in a form the rules accept.',
      ),
    ],
  });
}

export function parkedEvents(notice: PayloadOf<'ops.parked_events'>, brand: string, timeZone: string): NoticeDocument {
  const count = formatCount(notice.count, 'en');
  const events = notice.count === 1 ? `${count} case event has` : `${count} case events have`;
  const oldest = unbreakable(formatInstant(notice.oldestReceivedAt, timeZone, 'en'));
  const { expired } = notice;
  const expiredCount = expired === undefined ? '' : formatCount(expired.count, 'en');
  const expiredBlocks: NoticeBlock[] =
    expired === undefined || expired.count === 0
      ? []
      : [
          paragraph(
            `${expired.count === 1 ? `${expiredCount} parked event was not applied: its` : `${expiredCount} parked events were not applied: their`} ` +
              `contract was not registered within ${formatCount(expired.retentionDays, 'en')} days. They are recorded as ` +
              'rejected with that reason and shown in the statements of these contracts; they will not be applied.',
          ),
          { kind: 'list', caption: 'Contracts whose parked events expired', items: expired.contractIds },
        ];
  const waitingBlocks: NoticeBlock[] =
    notice.count === 0
      ? []
      : [
          paragraph(`${events} waited for more than a day for their contract to be registered. The oldest was received at ${oldest}.`),
          facts([
            { label: 'Parked events', value: count, emphasis: true },
            { label: 'Oldest received', value: oldest },
            { label: 'Contracts', value: formatCount(notice.contractIds.length, 'en') },
            ...(expired === undefined ? [] : [{ label: 'Expired today', value: expiredCount }]),
          ]),
          { kind: 'list', caption: 'Contracts waiting for contract.registered', items: notice.contractIds },
          paragraph(
            'They are applied as soon as a contract.registered event arrives for their contract. Check whether these ' +
              'contracts are missing from the CRM integration, or whether the events carry a wrong contract id.',
          ),
        ];
  const waitingSubject = `${notice.count === 1 ? `${count} case event` : `${count} case events`} parked for more than a day`;
  const expiredSubject = expired === undefined || expired.count === 0 ? '' : `${expiredCount} expired`;
  return operationsDocument(brand, {
    type: notice.type,
    subject: notice.count === 0 ? `Parked case events expired: ${expiredCount}` : [waitingSubject, expiredSubject].filter((part) => part !== '').join(', '),
    heading: notice.count === 0 ? 'Parked case events expired unapplied' : 'Case events are waiting for unregistered contracts',
    blocks: [...waitingBlocks, ...expiredBlocks],
  });
}

/** What was set aside, as the operator would say it; `short` is for the subject line. */
function quarantinedItem(notice: PayloadOf<'ops.item_quarantined'>): { readonly short: string; readonly long: string } {
  const on = `on contract ${notice.contractId}`;
  switch (notice.item) {
    case 'case':
      return { short: `case ${notice.itemId}`, long: `the due case ${notice.itemId} ${on}` };
    case 'parked': {
      const [scope = '', id = ''] = notice.itemId.split(/:(.*)/s);
      return scope === 'case'
        ? { short: `parked events of case ${id}`, long: `the parked events of case ${id} ${on}` }
        : { short: `parked event ${id}`, long: `the parked event ${id} ${on}` };
    }
    case 'lifecycle':
      return { short: 'lifecycle', long: `the daily lifecycle of contract ${notice.contractId}` };
  }
}

export function itemQuarantined(notice: PayloadOf<'ops.item_quarantined'>, brand: string): NoticeDocument {
  const what = quarantinedItem(notice);
  const attempts = formatCount(notice.attempts, 'en');
  return operationsDocument(brand, {
    type: notice.type,
    subject: `Quarantined: ${what.short} (contract ${notice.contractId})`,
    heading: 'An item kept failing and was set aside',
    blocks: [
      paragraph(
        `Processing ${what.long} failed ${notice.attempts === 1 ? 'in a way retrying cannot fix' : `${attempts} times in a row`}. It is no longer retried, ` +
          'so it does not hold up the rest of the service; everything else goes on.',
      ),
      facts([
        { label: 'Contract', value: notice.contractId },
        { label: 'Item', value: `${notice.item} ${notice.itemId}` },
        { label: 'Failures', value: attempts },
        { label: 'Reason', value: notice.reason, emphasis: true },
      ]),
      paragraph(
        'Until it is re-driven its clocks, credits or lifecycle notices stand still. The contract statement lists it under ' +
          'quarantined items. Fix the cause (often a deployment or catalog change), then re-drive it as the runbook in ' +
          'README “Operate” describes; a new event for the case re-drives it too.',
      ),
    ],
  });
}

export function noticeUndelivered(notice: PayloadOf<'ops.notice_unknown' | 'ops.notice_failed'>, brand: string): NoticeDocument {
  const unknown = notice.type === 'ops.notice_unknown';
  return operationsDocument(brand, {
    type: notice.type,
    subject: unknown
      ? `Notice delivery unknown: ${notice.noticeId} (contract ${notice.contractId})`
      : `Notice could not be sent: ${notice.noticeId} (contract ${notice.contractId})`,
    heading: unknown ? 'A notice may or may not have been sent' : 'A notice could not be sent',
    blocks: [
      paragraph(
        unknown
          ? `The notice ${notice.noticeId} (${notice.noticeType}) for contract ${notice.contractId} was handed to SES, but its outcome was not recorded.`
          : `The notice ${notice.noticeId} (${notice.noticeType}) for contract ${notice.contractId} could not be sent and is marked failed.`,
      ),
      facts([
        { label: 'Notice', value: notice.noticeId },
        { label: 'Notice type', value: notice.noticeType },
        { label: 'Contract', value: notice.contractId },
        { label: 'Reason', value: notice.reason, emphasis: true },
      ]),
      paragraph(
        unknown
          ? 'SES may have accepted it. To avoid sending it twice it was not resent automatically. Check the SES sending ' +
              'events or ask the recipient, and resend it only if it did not arrive.'
          : 'Fix the cause (for example the customer’s email address or the SES sender identity) and resend the notice.',
      ),
    ],
  });
}

export function noticeFeedback(notice: PayloadOf<'ops.notice_bounced' | 'ops.notice_complained'>, brand: string): NoticeDocument {
  const bounced = notice.type === 'ops.notice_bounced';
  return operationsDocument(brand, {
    type: notice.type,
    subject: bounced
      ? `Notice bounced: ${notice.noticeId} (contract ${notice.contractId})`
      : `Notice marked as spam: ${notice.noticeId} (contract ${notice.contractId})`,
    heading: bounced ? 'A notice bounced: the customer’s address is suppressed' : 'A customer complained about a notice: the address is suppressed',
    blocks: [
      paragraph(
        bounced
          ? `SES accepted the notice ${notice.noticeId} (${notice.noticeType}) for contract ${notice.contractId}, but the ` +
              'recipient’s mail server refused it for good. The notice is marked bounced.'
          : `The recipient of the notice ${notice.noticeId} (${notice.noticeType}) for contract ${notice.contractId} reported ` +
              'it as spam. The notice is marked complained.',
      ),
      facts([
        { label: 'Notice', value: notice.noticeId },
        { label: 'Notice type', value: notice.noticeType },
        { label: 'Contract', value: notice.contractId },
        { label: bounced ? 'Bounce' : 'Complaint', value: notice.reason, emphasis: true },
      ]),
      paragraph(
        'No further notice is sent to this address: each one ends failed and is listed in the contract statement. ' +
          'Confirm the contact with the customer and amend the contract’s contact (contract.amended); that lifts the ' +
          'suppression. The notices refused meanwhile raise no alert of their own.',
      ),
    ],
  });
}
