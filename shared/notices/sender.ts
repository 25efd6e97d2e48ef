/**
 * The SES v2 sender: one rendered notice becomes one SendEmail (Simple content, UTF-8), and every SES
 * refusal is classified once here so delivery can decide between retry, release, failure and doubt.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { mailbox } from './mailbox.ts';
import type { RenderedNotice } from './types.ts';

/** The tag the configuration set's CloudWatch destination groups SES events by (infra/constructs/notices.ts). */
export const NOTICE_TYPE_TAG = 'noticeType';
export const CONTRACT_ID_TAG = 'contractId';

export interface OutgoingNotice {
  /** Validated with isDeliverableAddress before it gets here. */
  readonly to: string;
  readonly content: RenderedNotice;
  readonly noticeType: string;
  readonly contractId: string | null;
}

export interface NoticeSender {
  /** SES's message id. Throws what SES threw; `classifySendFailure` says what it means. */
  send(notice: OutgoingNotice): Promise<string>;
}

export interface SesSenderOptions {
  readonly client: SESv2Client;
  /** A verified identity (env SENDER_EMAIL). */
  readonly from: string;
  /** The provider's name, shown as the From display name (`"Nordlys Service AS" <from>`). */
  readonly fromName?: string;
  /** Where the customer's replies go: the provider's own address. */
  readonly replyTo?: string;
  /** Env SES_CONFIGURATION_SET: the set that records sends, deliveries and bounces. */
  readonly configurationSetName: string;
}

const MAX_TAG_LENGTH = 256;

/** SES accepts only ASCII letters, digits, `_` and `-` in a tag value, at most 256 of them. */
export function messageTagValue(value: string): string {
  const sanitised = value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_TAG_LENGTH);
  return sanitised === '' ? 'none' : sanitised;
}

export function sesNoticeSender(options: SesSenderOptions): NoticeSender {
  const { client, configurationSetName } = options;
  const from = options.fromName === undefined ? options.from : mailbox(options.fromName, options.from);
  return {
    async send(notice) {
      const utf8 = (data: string): { Data: string; Charset: string } => ({ Data: data, Charset: 'UTF-8' });
      const output = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [notice.to] },
          ...(options.replyTo === undefined ? {} : { ReplyToAddresses: [options.replyTo] }),
          Content: {
            Simple: {
              Subject: utf8(notice.content.subject),
              Body: { Html: utf8(notice.content.html), Text: utf8(notice.content.text) },
            },
          },
          ConfigurationSetName: configurationSetName,
          EmailTags: [
            { Name: NOTICE_TYPE_TAG, Value: messageTagValue(notice.noticeType) },
            { Name: CONTRACT_ID_TAG, Value: messageTagValue(notice.contractId ?? 'none') },
          ],
        }),
      );
      if (output.MessageId === undefined || output.MessageId === '') {
        throw new Error('SES accepted the email without a message id');
      }
      return output.MessageId;
    },
  };
}

/**
 * throttled / transient: SES did not take the email; try again (backoff inside the invocation, then later).
 * paused: sending is paused for the account or configuration set; an operator can resume it, so the notice
 *   waits for a later pass instead of failing.
 * permanent: SES refused this email and will refuse it again; only a person can fix it.
 * unknown: the request may have reached SES (a timeout, a reset connection): never resend blindly.
 */
export type SendFailureKind = 'throttled' | 'transient' | 'paused' | 'permanent' | 'unknown';

export interface SendFailure {
  readonly kind: SendFailureKind;
  /** Error name and status only: SES messages may quote the recipient address. */
  readonly reason: string;
}

const THROTTLING = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException', 'Throttling']);
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'BadRequestException',
  'NotFoundException',
]);
/** Socket errors raised before a byte of the request left: SES cannot have seen it. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

export function classifySendFailure(error: unknown): SendFailure {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const code = typeof shape.code === 'string' ? shape.code : '';
  const message = typeof shape.message === 'string' ? shape.message : '';
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : null;
  const reason = status === null ? name : `${name} (HTTP ${status})`;

  if (THROTTLING.has(name) || /maximum sending rate exceeded/i.test(message) || status === 429) {
    return { kind: 'throttled', reason };
  }
  if (name === 'SendingPausedException') return { kind: 'paused', reason };
  if (PERMANENT.has(name)) return { kind: 'permanent', reason };
  if (status !== null && status >= 500) return { kind: 'transient', reason };
  if (status !== null && status >= 400) return { kind: 'permanent', reason };
  if (NOT_CONNECTED.has(code)) return { kind: 'transient', reason: `${name} (${code})` };
  return { kind: 'unknown', reason: code === '' ? reason : `${name} (${code})` };
}
