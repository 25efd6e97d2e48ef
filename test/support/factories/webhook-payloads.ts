/**
 * Helpdesk webhook payloads in the shapes their vendors document: Zendesk trigger bodies rendered the way
 * Zendesk fills in the placeholders of `zendeskTriggerBody` (minute-precision `*_with_timestamp`, capitalised
 * statuses and priorities), and Jira Cloud admin webhooks (`timestamp` in epoch ms, `issue`, `changelog`,
 * `comment`), trimmed of the fields no adapter reads (avatars, self links).
 */
import { zendeskTriggerBody, type ZendeskChange } from '#adapters/zendesk-trigger-body.ts';
import type { ZendeskMapping } from '#adapters/mapping.ts';

export interface ZendeskTicketState {
  readonly id?: string;
  readonly status?: string;
  readonly priority?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly organizationExternalId?: string;
  readonly fields?: Readonly<Record<string, string>>;
  readonly commentId?: string;
}

/** The body Zendesk sends for `change`: the trigger's template with the ticket's values filled in. */
export function zendeskTriggerPayload(change: ZendeskChange, mapping: ZendeskMapping, ticket: ZendeskTicketState = {}): string {
  const values: Record<string, string> = {
    'ticket.id': ticket.id ?? '4711',
    'ticket.status': ticket.status ?? 'Open',
    'ticket.priority': ticket.priority ?? 'High',
    'ticket.created_at_with_timestamp': ticket.createdAt ?? '2026-02-09T08:00Z',
    'ticket.updated_at_with_timestamp': ticket.updatedAt ?? ticket.createdAt ?? '2026-02-09T08:00Z',
    'ticket.organization.external_id': ticket.organizationExternalId ?? 'C-DEMO-1',
    'ticket.latest_comment.id': ticket.commentId ?? '90210',
  };
  for (const [id, value] of Object.entries(ticket.fields ?? {})) values[`ticket.ticket_field_${id}`] = value;
  // Zendesk renders an unknown or empty placeholder as an empty string.
  return zendeskTriggerBody(change, mapping).replace(/\{\{([^}]+)\}\}/g, (_, name: string) => values[name] ?? '');
}

const JIRA_TIMESTAMP = Date.parse('2026-02-09T08:00:00Z');

export interface JiraIssueState {
  readonly id?: string;
  readonly key?: string;
  readonly created?: string;
  readonly priority?: string | null;
  readonly status?: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

function jiraIssue(issue: JiraIssueState) {
  return {
    id: issue.id ?? '10042',
    self: 'https://provider.atlassian.net/rest/api/2/issue/10042',
    key: issue.key ?? 'SUP-42',
    fields: {
      summary: 'Printer jammed',
      created: issue.created ?? '2026-02-09T09:00:00.000+0100',
      priority: issue.priority === null ? null : { id: '2', name: issue.priority ?? 'High' },
      status: { id: '10001', name: issue.status ?? 'Waiting for support' },
      issuetype: { id: '10002', name: 'Service request' },
      customfield_10050: 'C-DEMO-1',
      ...issue.fields,
    },
  };
}

const JIRA_USER = { accountId: '5b10a2844c20165700ede21g', accountType: 'atlassian', displayName: 'Agent A' };

export function jiraIssueCreated(issue: JiraIssueState = {}, timestamp = JIRA_TIMESTAMP): string {
  return JSON.stringify({
    timestamp,
    webhookEvent: 'jira:issue_created',
    issue_event_type_name: 'issue_created',
    user: JIRA_USER,
    issue: jiraIssue(issue),
  });
}

export interface JiraChangeItem {
  readonly field: string;
  readonly fieldId?: string;
  readonly fromString?: string | null;
  readonly toString?: string | null;
  readonly to?: string | null;
}

export function jiraIssueUpdated(
  change: { readonly id?: string; readonly items: readonly JiraChangeItem[] } | null,
  issue: JiraIssueState = {},
  options: { readonly timestamp?: number; readonly comment?: JiraComment } = {},
): string {
  return JSON.stringify({
    timestamp: options.timestamp ?? JIRA_TIMESTAMP + 600_000,
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: options.comment === undefined ? 'issue_generic' : 'issue_commented',
    user: JIRA_USER,
    issue: jiraIssue(issue),
    ...(change === null
      ? {}
      : {
          changelog: {
            id: change.id ?? '10400',
            items: change.items.map((item) => ({ fieldtype: item.field === 'status' ? 'jira' : 'custom', from: null, ...item })),
          },
        }),
    ...(options.comment === undefined ? {} : { comment: jiraComment(options.comment) }),
  });
}

export interface JiraComment {
  readonly id?: string;
  readonly created?: string;
  readonly jsdPublic?: boolean;
  readonly authorType?: 'atlassian' | 'customer' | 'app';
}

function jiraComment(comment: JiraComment) {
  return {
    id: comment.id ?? '10500',
    author: { accountId: '5b10a2844c20165700ede21g', accountType: comment.authorType ?? 'atlassian', displayName: 'Agent A' },
    body: 'We are looking into it.',
    created: comment.created ?? '2026-02-09T09:10:31.417+0100',
    updated: comment.created ?? '2026-02-09T09:10:31.417+0100',
    jsdPublic: comment.jsdPublic ?? true,
  };
}

export function jiraCommentCreated(comment: JiraComment = {}, issue: JiraIssueState = {}): string {
  return JSON.stringify({
    timestamp: JIRA_TIMESTAMP + 630_000,
    webhookEvent: 'comment_created',
    comment: jiraComment(comment),
    issue: jiraIssue(issue),
  });
}
