/**
 * The JSON body an admin pastes into each Zendesk trigger ("Notify by webhook"), made from the source's
 * mapping so the custom field ids in it are the ones the adapter reads. Zendesk fills in the placeholders
 * (https://support.zendesk.com/hc/en-us/articles/4408886858138) when the trigger fires.
 */
import type { ZendeskMapping } from './mapping.ts';
import type { ZENDESK_CHANGES } from './zendesk.ts';

export type ZendeskChange = (typeof ZENDESK_CHANGES)[number];

export function zendeskTriggerBody(change: ZendeskChange, mapping: ZendeskMapping): string {
  const fieldIds = [
    ...(mapping.contract.from === 'field' ? [mapping.contract.field] : []),
    ...(mapping.onSiteField === undefined ? [] : [mapping.onSiteField]),
    ...(mapping.replacementField === undefined ? [] : [mapping.replacementField]),
  ];
  const fields = Object.fromEntries(fieldIds.map((id) => [id, `{{ticket.ticket_field_${id}}}`]));
  const body = {
    change,
    ticket: {
      id: '{{ticket.id}}',
      status: '{{ticket.status}}',
      priority: '{{ticket.priority}}',
      created_at: '{{ticket.created_at_with_timestamp}}',
      updated_at: '{{ticket.updated_at_with_timestamp}}',
      ...(mapping.contract.from === 'organization' ? { organization_external_id: '{{ticket.organization.external_id}}' } : {}),
      ...(fieldIds.length > 0 ? { fields } : {}),
    },
    ...(change === 'agent_replied' ? { comment: { id: '{{ticket.latest_comment.id}}' } } : {}),
  };
  return JSON.stringify(body, null, 2);
}
