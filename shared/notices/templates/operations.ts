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

/** The event an integration sends to stop each clock (DESIGN §5). */
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
  return operationsDocument(brand, {
    type: notice.type,
    subject: `${notice.count === 1 ? `${count} case event` : `${count} case events`} parked for more than a day`,
    heading: 'Case events are waiting for unregistered contracts',
    blocks: [
      paragraph(`${events} waited for more than a day for their contract to be registered. The oldest was received at ${oldest}.`),
      facts([
        { label: 'Parked events', value: count, emphasis: true },
        { label: 'Oldest received', value: oldest },
        { label: 'Contracts', value: formatCount(notice.contractIds.length, 'en') },
      ]),
      { kind: 'list', caption: 'Contracts waiting for contract.registered', items: notice.contractIds },
      paragraph(
        'They are applied as soon as a contract.registered event arrives for their contract. Check whether these ' +
          'contracts are missing from the CRM integration, or whether the events carry a wrong contract id.',
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
