/**
 * Turns a notice payload into the email that is sent: subject, HTML and plain text, in the recipient's locale.
 * Customer notices are written in nb or en; operations notices are English whatever the locale.
 */
import type { Locale, Provider } from '#domain/model.ts';
import type { NoticeDocument } from './document.ts';
import { subjectLine } from './escape.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import { creditAdjusted, creditCapReached, creditIssued } from './templates/credits.ts';
import { breachWarning, eventRejected, itemQuarantined, noticeFeedback, noticeUndelivered, parkedEvents } from './templates/operations.ts';
import { contractEnded, yearStatement } from './templates/statements.ts';
import { renewalReminder, termExpiryReminder, terminationConfirmed } from './templates/terms.ts';
import { writerFor, type NoticeVoice, type NoticeWriter } from './templates/writer.ts';
import { loanOverdue, loanReturnReminder, poolExhausted, poolRisk } from './templates/pools.ts';
import type { NoticePayload, RenderedNotice } from './types.ts';

export interface RenderOptions {
  /** The provider's name as customers know it, when no `provider` is given. @default "Aftercare" */
  readonly brand?: string;
  /** The catalog's provider: its name in the banner, its contact line and signature in customer notices. */
  readonly provider?: Provider;
  /** Zone for the instants in operations notices, which belong to no contract. @default "UTC" */
  readonly operationsTimeZone?: string;
}

export const DEFAULT_BRAND = 'Aftercare';

function documentOf(payload: NoticePayload, locale: Locale, voice: NoticeVoice, operationsTimeZone: string): NoticeDocument {
  const { brand } = voice;
  switch (payload.type) {
    case 'credit.issued':
    case 'credit.adjusted':
    case 'credit.cap_reached':
    case 'renewal.reminder':
    case 'term.expiry_reminder':
    case 'termination.confirmed':
    case 'year.statement':
    case 'contract.ended':
      return customerDocumentOf(payload, locale, voice);
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
      return loanReturnReminder(payload, cachedWriter(locale, voice, 'NOK', payload.timeZone));
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
  voice: NoticeVoice,
): NoticeDocument {
  const writer = cachedWriter(locale, voice, payload.contract.currency, payload.contract.timeZone);
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

/** Without a provider, notices say `Aftercare` and use the built-in contact line and sign-off. */
export function voiceOf(options: RenderOptions, locale: Locale): NoticeVoice {
  const { provider } = options;
  if (provider === undefined) return { brand: options.brand ?? DEFAULT_BRAND };
  return { brand: provider.name, contactLine: provider.contactLine[locale], signature: provider.signature[locale] };
}

/** The voices of the options a caller renders with again and again (the notifier's own, made once). */
const voices = new WeakMap<RenderOptions, Partial<Record<Locale, NoticeVoice>>>();
/** The writers of a voice, per locale, currency and zone: a contract's notices share one. */
const writers = new WeakMap<NoticeVoice, Map<string, NoticeWriter>>();

function cachedVoice(options: RenderOptions, locale: Locale): NoticeVoice {
  let ofOptions = voices.get(options);
  if (ofOptions === undefined) {
    ofOptions = {};
    voices.set(options, ofOptions);
  }
  return (ofOptions[locale] ??= voiceOf(options, locale));
}

function cachedWriter(locale: Locale, voice: NoticeVoice, currency: string, timeZone: string): NoticeWriter {
  let ofVoice = writers.get(voice);
  if (ofVoice === undefined) {
    ofVoice = new Map();
    writers.set(voice, ofVoice);
  }
  const key = `${locale}|${currency}|${timeZone}`;
  let writer = ofVoice.get(key);
  if (writer === undefined) {
    writer = writerFor(locale, voice, currency, timeZone);
    ofVoice.set(key, writer);
  }
  return writer;
}

/** Marks the emails renderNotice lays out when read (a hidden property: a WeakSet would cost the GC on every email). */
const LAID_OUT = Symbol('laid out when read');

/**
 * Whether an email has a body, without laying it out: the HTML page renderNotice lays out is never empty.
 * For any other content, whether its HTML or its text holds anything.
 */
export function hasBody(content: RenderedNotice): boolean {
  return LAID_OUT in content || content.html !== '' || content.text !== '';
}

/**
 * The email of a notice. The template runs at once (it formats with Intl and may throw on a bad payload);
 * the HTML and text are laid out when read (an SES send reads both). Laying out only escapes, wraps,
 * pads and joins the document's strings, so it cannot fail later; a replay's mailbox, which reads
 * neither, does not pay for them.
 */
export function renderNotice(payload: NoticePayload, locale: Locale, options: RenderOptions = {}): RenderedNotice {
  const document = documentOf(payload, locale, cachedVoice(options, locale), options.operationsTimeZone ?? 'UTC');
  const subject = subjectLine(document.subject);
  let html: string | undefined;
  let text: string | undefined;
  // Getters are own, enumerable properties: spreads, JSON and equality see a plain { subject, html, text }.
  const notice: RenderedNotice = {
    subject,
    get html() {
      return (html ??= renderHtml({ ...document, subject }));
    },
    get text() {
      return (text ??= renderText(document));
    },
  };
  return Object.defineProperty(notice, LAID_OUT, { value: true });
}
