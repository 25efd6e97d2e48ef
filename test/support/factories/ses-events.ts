/**
 * SES configuration-set events as EventBridge delivers them: the envelope (`source` aws.ses, the
 * `detail-type`) around the event record in SES's documented format, with the fields SES sends that the
 * feedback function does not read (headers, tags, diagnostic codes quoting the address).
 * https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-examples.html
 */
export const SES_MESSAGE_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';

interface SesEventOptions {
  readonly messageId?: string;
  readonly recipient?: string;
  readonly timestamp?: string;
}

function mailOf(options: SesEventOptions) {
  const recipient = options.recipient ?? 'recipient@example.com';
  return {
    timestamp: '2026-11-28T09:00:05.012Z',
    source: 'Aftercare <notices@aftercare.example>',
    sourceArn: 'arn:aws:ses:eu-north-1:123456789012:identity/notices@aftercare.example',
    sendingAccountId: '123456789012',
    messageId: options.messageId ?? SES_MESSAGE_ID,
    destination: [recipient],
    headersTruncated: false,
    headers: [
      { name: 'From', value: 'Aftercare <notices@aftercare.example>' },
      { name: 'To', value: recipient },
      { name: 'Subject', value: 'Servicekreditt' },
    ],
    commonHeaders: { from: ['Aftercare <notices@aftercare.example>'], to: [recipient], messageId: options.messageId ?? SES_MESSAGE_ID, subject: 'Servicekreditt' },
    tags: {
      'ses:configuration-set': ['AftercareNoticesConfigurationSet'],
      'ses:source-ip': ['192.0.2.0'],
      'ses:from-domain': ['aftercare.example'],
      'ses:caller-identity': ['notifier'],
      noticeType: ['credit_issued'],
      contractId: ['C-1'],
    },
  };
}

function envelope(detailType: string, detail: Record<string, unknown>) {
  return {
    version: '0',
    id: '1a2b3c4d-0000-4000-8000-000000000001',
    'detail-type': detailType,
    source: 'aws.ses',
    account: '123456789012',
    time: '2026-11-28T09:00:06Z',
    region: 'eu-north-1',
    resources: ['arn:aws:ses:eu-north-1:123456789012:configuration-set/AftercareNoticesConfigurationSet'],
    detail,
  };
}

export function anSesBounceEvent(
  options: SesEventOptions & { readonly bounceType?: string; readonly bounceSubType?: string; readonly status?: string } = {},
) {
  const recipient = options.recipient ?? 'recipient@example.com';
  return envelope('Email Bounced', {
    eventType: 'Bounce',
    bounce: {
      bounceType: options.bounceType ?? 'Permanent',
      bounceSubType: options.bounceSubType ?? 'General',
      bouncedRecipients: [
        { emailAddress: recipient, action: 'failed', status: options.status ?? '5.1.1', diagnosticCode: `smtp; 550 5.1.1 <${recipient}> user unknown` },
      ],
      timestamp: options.timestamp ?? '2026-11-28T09:00:06.669Z',
      feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      reportingMTA: 'dsn; mta.example.com',
    },
    mail: mailOf(options),
  });
}

export function anSesComplaintEvent(options: SesEventOptions & { readonly feedbackType?: string | null } = {}) {
  const recipient = options.recipient ?? 'recipient@example.com';
  return envelope('Email Complaint Received', {
    eventType: 'Complaint',
    complaint: {
      complainedRecipients: [{ emailAddress: recipient }],
      timestamp: options.timestamp ?? '2026-11-28T10:12:00.000Z',
      feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000001',
      userAgent: 'Mozilla/5.0',
      ...(options.feedbackType === null ? {} : { complaintFeedbackType: options.feedbackType ?? 'abuse' }),
      arrivalDate: '2026-11-28T10:11:59.000Z',
    },
    mail: mailOf(options),
  });
}
