/**
 * Zendesk Support → v1 case events (docs/design.md#13-integrations). Zendesk sends ticket activity to a webhook
 * through triggers: the admin pastes the JSON body of README "Connect your helpdesk" into each trigger, with
 * Zendesk placeholders ({{ticket.id}}, {{ticket.status}}, {{ticket.updated_at_with_timestamp}}, …) that
 * Zendesk fills in, and a `change` that names the trigger. Ticket events of Zendesk's event subscriptions
 * carry no custom fields, so the trigger body is the documented way to get the contract and the flags.
 *
 * Sources (read 2026-12):
 * - https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/ (headers, trigger bodies)
 * - https://support.zendesk.com/hc/en-us/articles/4408886858138 (placeholders: `*_with_timestamp` are ISO-8601,
 *   minute precision, e.g. 2013-12-12T05:35Z)
 *
 * | change                 | becomes                                                                        |
 * |------------------------|--------------------------------------------------------------------------------|
 * | created                | case.opened (priority mapped; onSiteRequired / replacementRequired from fields) |
 * | agent_replied          | case.responded (the trigger fires on the first public agent comment only)       |
 * | status_changed         | by `statuses`: pending, on-hold → case.paused (awaiting_customer); open →       |
 * |                        | case.resumed; solved, closed → case.resolved; new → nothing                     |
 * | onsite_requested       | case.onsite_requested                                                           |
 * | replacement_requested  | case.replacement_requested                                                      |
 *
 * What Zendesk cannot tell: a technician's arrival (`case.technician_arrived`) and a delivered loan unit or
 * part (`case.replacement_delivered`) happen in the field-service tool, which sends them itself (the generic
 * adapter); a force-majeure pause is not a Zendesk status (send `case.paused` with `force_majeure`).
 * Timestamps are Zendesk's: whole minutes, so a reply at 09:14:59 counts as 09:14.
 */
import type { CaseEventV1 } from '#events/schemas.ts';
import { eventIdOf, isObject, isTruthyFieldValue, objectAt, optionalTextAt, textAt, UnmappablePayloadError, type JsonObject, type Mapped } from './adapter.ts';
import type { ZendeskMapping } from './mapping.ts';
import { isoInstantAt } from './timestamps.ts';

export const ZENDESK_CHANGES = ['created', 'agent_replied', 'status_changed', 'onsite_requested', 'replacement_requested'] as const;
type ZendeskChange = (typeof ZENDESK_CHANGES)[number];

export function mapZendeskPayload(payload: unknown, mapping: ZendeskMapping): Mapped {
  const body = objectAt(payload, '$');
  const change = changeOf(body.change);
  const ticket = objectAt(body.ticket, 'ticket');
  const ticketId = textAt(ticket.id, 'ticket.id');
  const envelope = { contractId: contractIdOf(ticket, mapping), caseId: ticketId };

  if (change === 'created') {
    const event: CaseEventV1 = {
      ...envelope,
      eventId: eventIdOf('ticket', ticketId, 'opened'),
      type: 'case.opened',
      occurredAt: isoInstantAt(ticket.created_at, 'ticket.created_at'),
      priority: priorityOf(ticket.priority, mapping),
      ...flagsOf(ticket, mapping),
    };
    return { events: [event] };
  }

  const updatedAt = isoInstantAt(ticket.updated_at, 'ticket.updated_at');
  const at = { ...envelope, occurredAt: updatedAt };
  switch (change) {
    case 'agent_replied': {
      const comment = isObject(body.comment) ? optionalTextAt(body.comment.id) : undefined;
      const eventId = comment === undefined ? eventIdOf('ticket', ticketId, 'replied', updatedAt) : eventIdOf('ticket', ticketId, 'comment', comment);
      return { events: [{ ...at, eventId, type: 'case.responded' }] };
    }
    case 'onsite_requested':
      return { events: [{ ...at, eventId: eventIdOf('ticket', ticketId, 'onsite', updatedAt), type: 'case.onsite_requested' }] };
    case 'replacement_requested':
      return { events: [{ ...at, eventId: eventIdOf('ticket', ticketId, 'replacement', updatedAt), type: 'case.replacement_requested' }] };
    case 'status_changed': {
      const status = textAt(ticket.status, 'ticket.status').toLowerCase();
      const outcome = mapping.statuses[status];
      if (outcome === undefined) {
        throw new UnmappablePayloadError('ticket.status', `unknown status "${status}": map it in the source's statuses (known: ${Object.keys(mapping.statuses).join(', ')})`);
      }
      const eventId = eventIdOf('ticket', ticketId, 'status', status, updatedAt);
      switch (outcome) {
        case 'ignore':
          return { events: [], ignored: `status "${status}" changes nothing` };
        case 'paused':
          return { events: [{ ...at, eventId, type: 'case.paused', reason: 'awaiting_customer' }] };
        case 'resumed':
          return { events: [{ ...at, eventId, type: 'case.resumed' }] };
        case 'resolved':
          return { events: [{ ...at, eventId, type: 'case.resolved' }] };
        case 'cancelled':
          return { events: [{ ...at, eventId, type: 'case.cancelled' }] };
      }
    }
  }
}

function changeOf(value: unknown): ZendeskChange {
  const change = ZENDESK_CHANGES.find((known) => known === value);
  if (change === undefined) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : 'missing';
    throw new UnmappablePayloadError('change', `${shown}: must be one of ${ZENDESK_CHANGES.join(', ')} (the trigger's JSON body names it)`);
  }
  return change;
}

function contractIdOf(ticket: JsonObject, mapping: ZendeskMapping): string {
  if (mapping.contract.from === 'organization') {
    const id = optionalTextAt(ticket.organization_external_id);
    if (id === undefined) {
      throw new UnmappablePayloadError(
        'ticket.organization_external_id',
        "no contract: the ticket's organisation has no external id (set it to the contract id in Zendesk, or map a contract field)",
      );
    }
    return id;
  }
  const field = mapping.contract.field;
  const id = optionalTextAt(fieldsOf(ticket)[field]);
  if (id === undefined) throw new UnmappablePayloadError(`ticket.fields.${field}`, 'no contract: the contract field is empty on this ticket');
  return id;
}

function fieldsOf(ticket: JsonObject): JsonObject {
  return isObject(ticket.fields) ? ticket.fields : {};
}

function priorityOf(value: unknown, mapping: ZendeskMapping): NonNullable<Extract<CaseEventV1, { type: 'case.opened' }>['priority']> {
  const text = optionalTextAt(value)?.toLowerCase();
  // An unset priority renders as nothing (or "-").
  if (text === undefined || text === '-') return 'normal';
  const priority = mapping.priorities[text];
  if (priority === undefined) {
    throw new UnmappablePayloadError('ticket.priority', `unknown priority "${text}": map it in the source's priorities (known: ${Object.keys(mapping.priorities).join(', ')})`);
  }
  return priority;
}

function flagsOf(ticket: JsonObject, mapping: ZendeskMapping): { onSiteRequired?: boolean; replacementRequired?: boolean } {
  const fields = fieldsOf(ticket);
  return {
    ...(mapping.onSiteField === undefined ? {} : { onSiteRequired: isTruthyFieldValue(fields[mapping.onSiteField], mapping.truthy) }),
    ...(mapping.replacementField === undefined ? {} : { replacementRequired: isTruthyFieldValue(fields[mapping.replacementField], mapping.truthy) }),
  };
}
