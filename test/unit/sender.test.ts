import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AccountSuspendedException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SendEmailCommand,
  SendingPausedException,
  SESv2Client,
  SESv2ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { classifySendFailure, messageTagValue, NOTICE_TYPE_TAG, sesNoticeSender, type OutgoingNotice } from '#notices/sender.ts';
import { renderNotice } from '#notices/render.ts';
import { aContractContext, aNotice } from '#test/support/factories/notices.ts';

const FROM = 'varsler@aftercare.example';
const CONFIGURATION_SET = 'aftercare-notices';

function anOutgoingNotice(overrides: Partial<OutgoingNotice> = {}): OutgoingNotice {
  return {
    to: 'innkjop@fjellvik-bygg.example',
    content: renderNotice(aNotice('credit.issued', aContractContext()), 'nb'),
    noticeType: 'credit.issued',
    contractId: 'C-1',
    ...overrides,
  };
}

function senderWithMock() {
  const ses = mockClient(SESv2Client);
  const client = new SESv2Client({ region: 'eu-north-1' });
  const sender = sesNoticeSender({ client, from: FROM, configurationSetName: CONFIGURATION_SET });
  return { ses, sender };
}

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('SES sender', () => {
  it('sends Simple content with subject, HTML and text in UTF-8, from the sender identity, through the configuration set', async () => {
    // Prepare
    const { ses, sender } = senderWithMock();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const notice = anOutgoingNotice();

    // Act
    const messageId = await sender.send(notice);

    // Assess
    expect(messageId).toBe('ses-1');
    const [call] = ses.commandCalls(SendEmailCommand);
    expect(call?.args[0].input).toEqual({
      FromEmailAddress: FROM,
      Destination: { ToAddresses: [notice.to] },
      Content: {
        Simple: {
          Subject: { Data: notice.content.subject, Charset: 'UTF-8' },
          Body: {
            Html: { Data: notice.content.html, Charset: 'UTF-8' },
            Text: { Data: notice.content.text, Charset: 'UTF-8' },
          },
        },
      },
      ConfigurationSetName: CONFIGURATION_SET,
      EmailTags: [
        { Name: 'noticeType', Value: 'credit_issued' },
        { Name: 'contractId', Value: 'C-1' },
      ],
    });
  });

  it('tags an operations notice without a contract as contract "none"', async () => {
    // Prepare
    const { ses, sender } = senderWithMock();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });

    // Act
    await sender.send(anOutgoingNotice({ noticeType: 'ops.parked_events', contractId: null }));

    // Assess
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.EmailTags).toEqual([
      { Name: 'noticeType', Value: 'ops_parked_events' },
      { Name: 'contractId', Value: 'none' },
    ]);
  });

  it('treats an acceptance without a message id as an outcome it cannot vouch for', async () => {
    // Prepare
    const { ses, sender } = senderWithMock();
    ses.on(SendEmailCommand).resolves({});

    // Act
    const sending = sender.send(anOutgoingNotice());

    // Assess
    await expect(sending).rejects.toThrow(/without a message id/);
    expect(classifySendFailure(await sending.catch((error: unknown) => error)).kind).toBe('unknown');
  });

  it('tags emails with the tag name the configuration set groups its CloudWatch events by', async () => {
    // Prepare
    const { SES_NOTICE_TYPE_TAG } = await import('#infra/constructs/notices.ts');

    // Act
    const tagName = NOTICE_TYPE_TAG;

    // Assess
    expect(tagName).toBe(SES_NOTICE_TYPE_TAG);
  });
});

describe('message tag values', () => {
  it('only ever hold SES tag characters, 1 to 256 of them, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (value) => {
        expect(messageTagValue(value)).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
      }),
      { numRuns: 1_000 },
    );
  });

  it('keep letters, digits, underscores and dashes as they are', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,256}$/), (value) => {
        expect(messageTagValue(value)).toBe(value);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('classifying what SES answered', () => {
  const serviceError = (name: string, message: string, status: number): SESv2ServiceException =>
    new SESv2ServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', ...meta(status) });
  const socketError = (code: string, name = 'Error'): Error => Object.assign(new Error(`socket: ${code}`), { code, name });

  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ message: 'Too many requests', ...meta(429) })],
    ['LimitExceededException', new LimitExceededException({ message: 'Limit exceeded', ...meta(400) })],
    ['"Maximum sending rate exceeded"', serviceError('Unknown', 'Maximum sending rate exceeded.', 400)],
  ])('%s is throttling: retried', (_label, error) => {
    expect(classifySendFailure(error).kind).toBe('throttled');
  });

  it.each([500, 502, 503])('an HTTP %i is transient: retried', (status) => {
    expect(classifySendFailure(serviceError('InternalFailure', 'internal error', status)).kind).toBe('transient');
  });

  it.each([
    ['MessageRejected', new MessageRejected({ message: 'Email address is not verified.', ...meta(400) })],
    ['MailFromDomainNotVerifiedException', new MailFromDomainNotVerifiedException({ message: 'not verified', ...meta(400) })],
    ['AccountSuspendedException', new AccountSuspendedException({ message: 'suspended', ...meta(400) })],
    ['another 4xx', serviceError('BadRequestException', 'bad request', 400)],
  ])('%s is a permanent refusal: failed', (_label, error) => {
    expect(classifySendFailure(error).kind).toBe('permanent');
  });

  it('SendingPausedException waits for an operator to resume sending: deferred, not failed', () => {
    expect(classifySendFailure(new SendingPausedException({ message: 'paused', ...meta(400) })).kind).toBe('paused');
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('a connection that never opened (%s) is transient', (code) => {
    expect(classifySendFailure(socketError(code)).kind).toBe('transient');
  });

  it.each([
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['a reset connection', socketError('ECONNRESET')],
    ['anything else without an answer', new Error('socket hang up')],
  ])('%s after the request left may have been sent: unknown', (_label, error) => {
    expect(classifySendFailure(error).kind).toBe('unknown');
  });

  it('names the error and status, never the SES message (it may quote the recipient)', () => {
    // Prepare
    const error = new MessageRejected({ message: 'Email address is not verified: innkjop@fjellvik-bygg.example', ...meta(400) });

    // Act
    const failure = classifySendFailure(error);

    // Assess
    expect(failure.reason).toBe('MessageRejected (HTTP 400)');
  });
});
