/**
 * Where replay's memory engine sends notices: SES's part in memory. The notifier renders each notice as
 * it would for SES (the same templates, HTML and text) and hands it here; the mailbox counts what it was
 * given and keeps the emails only when asked (a portfolio's year is hundreds of thousands of them). It
 * reads an email's HTML and text only to keep it: a notice's layout is done when first read (render.ts).
 */
import { hasBody } from '#notices/render.ts';
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
  readonly kept: MailedNotice[] = [];

  constructor(private readonly keep = false) {}

  send(notice: OutgoingNotice): Promise<string> {
    this.sent += 1;
    const { content } = notice;
    if (content.subject === '' || !hasBody(content)) throw new Error('BadRequestException: an email needs a subject and a body');
    const messageId = `memory-mail-${this.sent}`;
    if (this.keep) {
      const { subject, html, text } = content;
      this.kept.push({ messageId, to: notice.to, noticeType: notice.noticeType, contractId: notice.contractId, subject, html, text });
    }
    return Promise.resolve(messageId);
  }
}
