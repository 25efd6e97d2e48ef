/**
 * Turns a notice payload into the email that is sent: subject, HTML and plain text, in the recipient's locale.
 * Customer notices are written in nb or en; operations notices are English whatever the locale.
 */
import type { Locale } from '#domain/model.ts';
import type { NoticeDocument } from './document.ts';
import { subjectLine } from './escape.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import { creditAdjusted, creditCapReached, creditIssued } from './templates/credits.ts';
import { breachWarning, eventRejected, itemQuarantined, noticeFeedback, noticeUndelivered, parkedEvents } from './templates/operations.ts';
import { contractEnded, yearStatement } from './templates/statements.ts';
import { renewalReminder, termExpiryReminder, terminationConfirmed } from './templates/terms.ts';
import { writerFor } from './templates/writer.ts';
import { loanOverdue, loanReturnReminder, poolExhausted, poolRisk } from './templates/pools.ts';
import type { NoticePayload, RenderedNotice } from './types.ts';

export interface RenderOptions {
  /** The provider's name as customers know it. @default "Aftercare" */
  readonly brand?: string;
  /** Zone for the instants in operations notices, which belong to no contract. @default "UTC" */
  readonly operationsTimeZone?: string;
}

export const DEFAULT_BRAND = 'Aftercare';

function documentOf(payload: NoticePayload, locale: Locale, brand: string, operationsTimeZone: string): NoticeDocument {
  switch (payload.type) {
    case 'credit.issued':
    case 'credit.adjusted':
    case 'credit.cap_reached':
    case 'renewal.reminder':
    case 'term.expiry_reminder':
    case 'termination.confirmed':
    case 'year.statement':
    case 'contract.ended':
      return customerDocumentOf(payload, locale, brand);
    case 'ops.breach_warning':
      return breachWarning(payload, brand, operationsTimeZone);
    case 'ops.event_rejected':
      return eventRejected(payload, brand);
    case 'ops.parked_events':
      return parkedEvents(payload, brand, operationsTimeZone);
    case 'ops.notice_unknown':
    case 'ops.notice_failed':
      return noticeUndelivered(payload, brand);
    case 'ops.item_quarantined':
      return itemQuarantined(payload, brand);
    case 'ops.notice_bounced':
    case 'ops.notice_complained':
      return noticeFeedback(payload, brand);
    case 'loan.return_reminder':
      return loanReturnReminder(payload, writerFor(locale, brand, 'NOK', payload.timeZone));
    case 'ops.pool_exhausted':
      return poolExhausted(payload, brand, operationsTimeZone);
    case 'ops.loan_overdue':
      return loanOverdue(payload, brand);
    case 'ops.pool_risk':
      return poolRisk(payload, brand);
  }
}

function customerDocumentOf(
  payload: Extract<NoticePayload, { readonly contract: unknown }>,
  locale: Locale,
  brand: string,
): NoticeDocument {
  const writer = writerFor(locale, brand, payload.contract.currency, payload.contract.timeZone);
  switch (payload.type) {
    case 'credit.issued':
      return creditIssued(payload, writer);
    case 'credit.adjusted':
      return creditAdjusted(payload, writer);
    case 'credit.cap_reached':
      return creditCapReached(payload, writer);
    case 'renewal.reminder':
      return renewalReminder(payload, writer);
    case 'term.expiry_reminder':
      return termExpiryReminder(payload, writer);
    case 'termination.confirmed':
      return terminationConfirmed(payload, writer);
    case 'year.statement':
      return yearStatement(payload, writer);
    case 'contract.ended':
      return contractEnded(payload, writer);
  }
}

export function renderNotice(payload: NoticePayload, locale: Locale, options: RenderOptions = {}): RenderedNotice {
  const document = documentOf(payload, locale, options.brand ?? DEFAULT_BRAND, options.operationsTimeZone ?? 'UTC');
  const subject = subjectLine(document.subject);
  return { subject, html: renderHtml({ ...document, subject }), text: renderText(document) };
}
