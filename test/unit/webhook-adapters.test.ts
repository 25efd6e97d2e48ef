/**
 * The helpdesk adapters on payloads in their vendors' documented shapes (docs/design.md#13-integrations): every
 * mapped transition, unknown statuses and missing contracts refused with the field at fault, and event ids
 * that come from the helpdesk's own ids, so a retried delivery maps to the same events.
 */
import { describe, expect, it } from 'vitest';
import { UnmappablePayloadError } from '#adapters/adapter.ts';
import { mapPayload } from '#adapters/adapters.ts';
import { parseWebhookSources, type JiraMapping, type ZendeskMapping } from '#adapters/mapping.ts';
import { parseEventObject } from '#events/parse.ts';
import {
  jiraCommentCreated,
  jiraIssueCreated,
  jiraIssueUpdated,
  zendeskTriggerPayload,
} from '#test/support/factories/webhook-payloads.ts';

const { sources } = parseWebhookSources({
  sources: {
    zendesk: { adapter: 'zendesk', onSiteField: '360001', replacementField: '360002' },
    'zendesk-by-field': { adapter: 'zendesk', contract: { from: 'field', field: '360003' } },
    jira: { adapter: 'jira', contractField: 'customfield_10050', onSiteField: 'customfield_10060' },
    generic: { adapter: 'generic' },
  },
});
const zendesk = sources.zendesk as ZendeskMapping;
const zendeskByField = sources['zendesk-by-field'] as ZendeskMapping;
const jira = sources.jira as JiraMapping;

function mapped(mapping: typeof zendesk | typeof jira, body: string) {
  const result = mapPayload(mapping, JSON.parse(body));
  // Every event an adapter makes is a valid v1 event.
  for (const event of result.events) expect(parseEventObject(event)).toMatchObject({ ok: true });
  return result;
}

function refusal(mapping: (typeof sources)[string], body: unknown): UnmappablePayloadError {
  try {
    mapPayload(mapping, body);
  } catch (error) {
    if (error instanceof UnmappablePayloadError) return error;
    throw error;
  }
  throw new Error('expected the payload to be refused');
}

describe('the Zendesk adapter', () => {
  it('maps a created ticket to case.opened with the priority, the flags and the organisation as contract', () => {
    // Act
    const { events } = mapped(zendesk, zendeskTriggerPayload('created', zendesk, { priority: 'Urgent', fields: { '360001': 'true', '360002': 'false' } }));

    // Assess
    expect(events).toEqual([
      {
        eventId: 'ticket:4711:opened',
        type: 'case.opened',
        occurredAt: '2026-02-09T08:00:00Z',
        contractId: 'C-DEMO-1',
        caseId: '4711',
        priority: 'critical',
        onSiteRequired: true,
        replacementRequired: false,
      },
    ]);
  });

  it('treats an unset priority as normal', () => {
    const { events } = mapped(zendesk, zendeskTriggerPayload('created', zendesk, { priority: '' }));
    expect(events[0]).toMatchObject({ priority: 'normal' });
  });

  it('maps the first public agent reply to case.responded, identified by the comment', () => {
    const { events } = mapped(zendesk, zendeskTriggerPayload('agent_replied', zendesk, { updatedAt: '2026-02-09T08:09Z', commentId: '777' }));
    expect(events).toEqual([
      { eventId: 'ticket:4711:comment:777', type: 'case.responded', occurredAt: '2026-02-09T08:09:00Z', contractId: 'C-DEMO-1', caseId: '4711' },
    ]);
  });

  it.each([
    ['Pending', { type: 'case.paused', reason: 'awaiting_customer' }],
    ['On-hold', { type: 'case.paused', reason: 'awaiting_customer' }],
    ['hold', { type: 'case.paused', reason: 'awaiting_customer' }],
    ['Open', { type: 'case.resumed' }],
    ['Solved', { type: 'case.resolved' }],
    ['Closed', { type: 'case.resolved' }],
  ])('maps status %s to %o', (status, expected) => {
    const { events } = mapped(zendesk, zendeskTriggerPayload('status_changed', zendesk, { status, updatedAt: '2026-02-09T09:30Z' }));
    expect(events).toEqual([
      { eventId: `ticket:4711:status:${status.toLowerCase()}:2026-02-09T09:30:00Z`, occurredAt: '2026-02-09T09:30:00Z', contractId: 'C-DEMO-1', caseId: '4711', ...expected },
    ]);
  });

  it('maps status New to nothing, saying why', () => {
    expect(mapped(zendesk, zendeskTriggerPayload('status_changed', zendesk, { status: 'New' }))).toEqual({ events: [], ignored: 'status "new" changes nothing' });
  });

  it('maps on-site and replacement requests', () => {
    expect(mapped(zendesk, zendeskTriggerPayload('onsite_requested', zendesk)).events[0]).toMatchObject({ type: 'case.onsite_requested' });
    expect(mapped(zendesk, zendeskTriggerPayload('replacement_requested', zendesk)).events[0]).toMatchObject({ type: 'case.replacement_requested' });
  });

  it('maps a retried delivery (the same body) to the same events', () => {
    const body = zendeskTriggerPayload('status_changed', zendesk, { status: 'Pending' });
    expect(mapped(zendesk, body)).toEqual(mapped(zendesk, body));
  });

  it('refuses an unknown status, naming it and the known ones', () => {
    const error = refusal(zendesk, JSON.parse(zendeskTriggerPayload('status_changed', zendesk, { status: 'Escalated' })));
    expect(error.path).toBe('ticket.status');
    expect(error.reason).toMatch(/^unknown status "escalated": map it in the source's statuses \(known: new, open, pending/);
  });

  it('refuses a ticket whose organisation has no external id (no contract)', () => {
    const error = refusal(zendesk, JSON.parse(zendeskTriggerPayload('created', zendesk, { organizationExternalId: '' })));
    expect(error.path).toBe('ticket.organization_external_id');
    expect(error.reason).toMatch(/no contract/);
  });

  it('reads the contract from a custom field when the mapping says so', () => {
    const { events } = mapped(zendeskByField, zendeskTriggerPayload('created', zendeskByField, { fields: { '360003': 'C-77' } }));
    expect(events[0]).toMatchObject({ contractId: 'C-77' });
    expect(refusal(zendeskByField, JSON.parse(zendeskTriggerPayload('created', zendeskByField))).path).toBe('ticket.fields.360003');
  });

  it('refuses an unknown change, a bad timestamp and an unknown priority', () => {
    expect(refusal(zendesk, { change: 'deleted', ticket: {} }).path).toBe('change');
    expect(refusal(zendesk, JSON.parse(zendeskTriggerPayload('created', zendesk, { createdAt: 'May18' }))).path).toBe('ticket.created_at');
    expect(refusal(zendesk, JSON.parse(zendeskTriggerPayload('created', zendesk, { priority: 'Blocker' }))).path).toBe('ticket.priority');
    expect(refusal(zendesk, []).path).toBe('$');
  });
});

describe('the Jira Service Management adapter', () => {
  it('maps issue created to case.opened with the contract field, priority and flags', () => {
    const { events } = mapped(jira, jiraIssueCreated({ priority: 'Highest', fields: { customfield_10060: [{ value: 'Yes' }] } }));
    expect(events).toEqual([
      {
        eventId: 'issue:10042:opened',
        type: 'case.opened',
        occurredAt: '2026-02-09T08:00:00Z',
        contractId: 'C-DEMO-1',
        caseId: 'SUP-42',
        priority: 'critical',
        onSiteRequired: true,
      },
    ]);
  });

  it.each([
    ['Waiting for customer', { type: 'case.paused', reason: 'awaiting_customer' }],
    ['Pending', { type: 'case.paused', reason: 'awaiting_customer' }],
    ['Waiting for support', { type: 'case.resumed' }],
    ['In Progress', { type: 'case.resumed' }],
    ['Work in progress', { type: 'case.resumed' }],
    ['Resolved', { type: 'case.resolved' }],
    ['Done', { type: 'case.resolved' }],
    ['Closed', { type: 'case.resolved' }],
    ['Canceled', { type: 'case.cancelled' }],
    ['Cancelled', { type: 'case.cancelled' }],
  ])('maps a transition to %s to %o, identified by the changelog', (status, expected) => {
    const { events } = mapped(jira, jiraIssueUpdated({ id: '10401', items: [{ field: 'status', fieldId: 'status', fromString: 'Open', toString: status }] }));
    expect(events).toEqual([
      { eventId: 'issue:10042:change:10401:status', occurredAt: '2026-02-09T08:10:00Z', contractId: 'C-DEMO-1', caseId: 'SUP-42', ...expected },
    ]);
  });

  it('maps a public agent comment to case.responded, the same from comment_created and issue_updated', () => {
    const fromComment = mapped(jira, jiraCommentCreated({ id: '10500' }));
    const fromUpdate = mapped(jira, jiraIssueUpdated(null, {}, { comment: { id: '10500' } }));
    expect(fromComment.events).toEqual([
      { eventId: 'issue:10042:comment:10500', type: 'case.responded', occurredAt: '2026-02-09T08:10:31.417Z', contractId: 'C-DEMO-1', caseId: 'SUP-42' },
    ]);
    expect(fromUpdate.events).toEqual(fromComment.events);
  });

  it('ignores internal notes and the customer’s own comments', () => {
    expect(mapped(jira, jiraCommentCreated({ jsdPublic: false })).events).toEqual([]);
    expect(mapped(jira, jiraCommentCreated({ authorType: 'customer' })).events).toEqual([]);
  });

  it('maps the on-site field set to Yes to case.onsite_requested', () => {
    const { events } = mapped(jira, jiraIssueUpdated({ items: [{ field: 'On-site', fieldId: 'customfield_10060', toString: 'Yes' }] }));
    expect(events).toEqual([expect.objectContaining({ type: 'case.onsite_requested', eventId: 'issue:10042:change:10400:onsite' })]);
  });

  it('reads an Organizations field as the contract', () => {
    const { events } = mapped(jira, jiraIssueCreated({ fields: { customfield_10050: [{ id: '3', name: 'C-ORG-9' }] } }));
    expect(events[0]).toMatchObject({ contractId: 'C-ORG-9' });
  });

  it('refuses an unknown status and an issue without the contract field', () => {
    const unknown = refusal(jira, JSON.parse(jiraIssueUpdated({ items: [{ field: 'status', toString: 'Escalated' }] })));
    expect(unknown.path).toBe('changelog.items.toString');
    expect(unknown.reason).toMatch(/unknown status "escalated"/);
    const noContract = refusal(jira, JSON.parse(jiraIssueCreated({ fields: { customfield_10050: null } })));
    expect(noContract.path).toBe('issue.fields.customfield_10050');
    expect(noContract.reason).toMatch(/no contract/);
  });

  it('maps a transition to Open to nothing, saying why (README: "transition to Open | nothing")', () => {
    const result = mapped(jira, jiraIssueUpdated({ id: '10402', items: [{ field: 'status', fieldId: 'status', fromString: 'Waiting for support', toString: 'Open' }] }));
    expect(result.events).toEqual([]);
    expect(result.ignored).toBe('no transition, flag or public agent comment in this update');
  });

  it('maps other webhook events and changes of other fields to nothing, saying why', () => {
    expect(mapped(jira, jiraIssueUpdated({ items: [{ field: 'summary', toString: 'New title' }] })).ignored).toMatch(/no transition/);
    expect(mapPayload(jira, { webhookEvent: 'jira:issue_deleted', issue: (JSON.parse(jiraIssueCreated()) as { issue: unknown }).issue }).ignored).toMatch(/maps to nothing/);
  });
});

describe('the generic adapter', () => {
  const generic = sources.generic!;
  const event = { eventId: 'ft-1', type: 'case.technician_arrived', occurredAt: '2026-02-09T12:00:00Z', contractId: 'C-DEMO-1', caseId: '4711' };

  it('passes one event or an array of events through', () => {
    expect(mapPayload(generic, event).events).toEqual([event]);
    expect(mapPayload(generic, [event, { ...event, eventId: 'ft-2' }]).events).toHaveLength(2);
  });

  it('refuses contract events and empty arrays', () => {
    expect(refusal(generic, { ...event, type: 'contract.registered' }).reason).toMatch(/contract event: a webhook source sends case events only/);
    expect(refusal(generic, [event, { ...event, type: 'contract.amended' }]).path).toBe('1.type');
    expect(refusal(generic, []).path).toBe('$');
  });
});

describe('the webhook sources configuration', () => {
  it('names the path of a bad field', () => {
    expect(() => parseWebhookSources({ sources: { jira: { adapter: 'jira' } } })).toThrow(/sources\.jira\.contractField/);
    expect(() => parseWebhookSources({ sources: { 'Bad Name': { adapter: 'generic' } } })).toThrow(/a-z0-9/);
    expect(() => parseWebhookSources({ sources: { zendesk: { adapter: 'zendesk', statuses: { pending: 'sleep' } } } })).toThrow(/statuses\.pending/);
  });
});
