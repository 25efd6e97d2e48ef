/**
 * Where replay's memory engine sends notices: SES's part in memory. The notifier renders each notice as
 * it would for SES (the same templates, HTML and text) and hands it here; the mailbox counts what it was
 * given and keeps the emails only when asked (a portfolio's year is hundreds of thousands of them).
 */
import type { NoticeSender, OutgoingNotice } from '#notices/sender.ts';

export interface MailedNotice {
  readonly messageId: string;
  readonly to: string;
  readonly noticeType: string;
  readonly contractId: string | null;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export class MemoryMailbox implements NoticeSender {
  /** Emails accepted. */
  sent = 0;
  /** UTF-8 bytes of the rendered HTML and text of every email accepted. */
  bytes = 0;
  readonly kept: MailedNotice[] = [];

  constructor(private readonly keep = false) {}

  send(notice: OutgoingNotice): Promise<string> {
    this.sent += 1;
    const { subject, html, text } = notice.content;
    if (subject === '' || (html === '' && text === '')) throw new Error('BadRequestException: an email needs a subject and a body');
    this.bytes += Buffer.byteLength(html, 'utf8') + Buffer.byteLength(text, 'utf8');
    const messageId = `memory-mail-${this.sent}`;
    if (this.keep) {
      this.kept.push({ messageId, to: notice.to, noticeType: notice.noticeType, contractId: notice.contractId, subject, html, text });
    }
    return Promise.resolve(messageId);
  }
}
