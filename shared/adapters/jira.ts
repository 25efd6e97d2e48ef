/**
 * Jira Service Management → v1 case events (docs/design.md#13-integrations), from the admin webhooks of
 * Jira Cloud (System → WebHooks, with a secret): `jira:issue_created`, `jira:issue_updated` (transitions in
 * `changelog.items`, comments in `comment`) and `comment_created`, mapped through the source's status map.
 *
 * Sources (read 2026-12):
 * - https://developer.atlassian.com/cloud/jira/platform/webhooks/ (payload: `timestamp` in epoch ms,
 *   `webhookEvent`, `issue`, `changelog`, `comment`; "secure admin webhooks": `X-Hub-Signature`)
 * - https://confluence.atlassian.com/adminjiraserver/managing-webhooks-938846912.html (the HMAC header)
 *
 * | Jira                                             | becomes                                                |
 * |--------------------------------------------------|--------------------------------------------------------|
 * | jira:issue_created                               | case.opened (priority by name; flags from fields)      |
 * | a transition (changelog item `status`)           | by `statuses` on the new status: waiting for customer → |
 * |                                                  | case.paused; waiting for support, in progress →        |
 * |                                                  | case.resumed; resolved, done, closed → case.resolved;   |
 * |                                                  | canceled → case.cancelled                              |
 * | the on-site / replacement field set to true      | case.onsite_requested / case.replacement_requested     |
 * | a public comment by an agent (`jsdPublic` not    | case.responded (each one; only the first stops a clock) |
 * | false, author not a portal `customer`)           |                                                        |
 *
 * What Jira cannot tell: a technician's arrival and a delivered replacement (the field-service tool sends
 * `case.technician_arrived` / `case.replacement_delivered` through the generic adapter) and a force-majeure
 * pause. Comment webhooks (`comment_created`) carry only a few issue fields in Cloud; subscribe to "Issue
 * updated" (which carries comments with the whole issue) so the contract field is there.
 */
import type { CaseEventV1 } from '#events/schemas.ts';
import { eventIdOf, isObject, isTruthyFieldValue, objectAt, optionalTextAt, textAt, UnmappablePayloadError, type JsonObject, type Mapped } from './adapter.ts';
import type { JiraMapping } from './mapping.ts';
import { epochMillisAt, isoInstantAt } from './timestamps.ts';

type Priority = NonNullable<Extract<CaseEventV1, { type: 'case.opened' }>['priority']>;

export function mapJiraPayload(payload: unknown, mapping: JiraMapping): Mapped {
  const body = objectAt(payload, '$');
  const webhookEvent = textAt(body.webhookEvent, 'webhookEvent');
  const issue = objectAt(body.issue, 'issue');
  const issueId = textAt(issue.id, 'issue.id');
  const fields = objectAt(issue.fields, 'issue.fields');
  const envelope = { contractId: contractIdOf(fields, mapping), caseId: textAt(issue.key, 'issue.key') };

  if (webhookEvent === 'jira:issue_created') {
    const opened: CaseEventV1 = {
      ...envelope,
      eventId: eventIdOf('issue', issueId, 'opened'),
      type: 'case.opened',
      occurredAt: fields.created === undefined ? epochMillisAt(body.timestamp, 'timestamp') : isoInstantAt(fields.created, 'issue.fields.created'),
      priority: priorityOf(fields.priority, mapping),
      ...flagsOf(fields, mapping),
    };
    return { events: [opened] };
  }
  if (webhookEvent === 'comment_created') return commentEvents(body, issueId, envelope);
  if (webhookEvent !== 'jira:issue_updated') {
    return { events: [], ignored: `webhook event "${webhookEvent}" maps to nothing (subscribe to issue created and issue updated)` };
  }

  const events: CaseEventV1[] = [];
  const changelog = isObject(body.changelog) ? body.changelog : undefined;
  const items = Array.isArray(changelog?.items) ? changelog.items.filter(isObject) : [];
  if (items.length > 0) {
    const changeId = textAt(changelog?.id, 'changelog.id');
    const at = { ...envelope, occurredAt: epochMillisAt(body.timestamp, 'timestamp') };
    for (const item of items) {
      const event = changeEvent(item, mapping, at, (what) => eventIdOf('issue', issueId, 'change', changeId, what));
      if (event !== null) events.push(event);
    }
  }
  events.push(...commentEvents(body, issueId, envelope).events);
  return events.length > 0 ? { events } : { events, ignored: 'no transition, flag or public agent comment in this update' };
}

function changeEvent(
  item: JsonObject,
  mapping: JiraMapping,
  at: { contractId: string; caseId: string; occurredAt: string },
  idOf: (what: string) => string,
): CaseEventV1 | null {
  const field = optionalTextAt(item.fieldId) ?? optionalTextAt(item.field);
  if (field === 'status' || optionalTextAt(item.field) === 'status') {
    const status = textAt(ownField(item, 'toString'), 'changelog.items.toString').toLowerCase();
    const outcome = mapping.statuses[status];
    if (outcome === undefined) {
      throw new UnmappablePayloadError('changelog.items.toString', `unknown status "${status}": map it in the source's statuses (known: ${Object.keys(mapping.statuses).join(', ')})`);
    }
    const eventId = idOf('status');
    switch (outcome) {
      case 'ignore':
        return null;
      case 'paused':
        return { ...at, eventId, type: 'case.paused', reason: 'awaiting_customer' };
      case 'resumed':
        return { ...at, eventId, type: 'case.resumed' };
      case 'resolved':
        return { ...at, eventId, type: 'case.resolved' };
      case 'cancelled':
        return { ...at, eventId, type: 'case.cancelled' };
    }
  }
  const setTrue = isTruthyFieldValue(ownField(item, 'toString'), mapping.truthy) || isTruthyFieldValue(item.to, mapping.truthy);
  if (field !== undefined && field === mapping.onSiteField && setTrue) return { ...at, eventId: idOf('onsite'), type: 'case.onsite_requested' };
  if (field !== undefined && field === mapping.replacementField && setTrue) {
    return { ...at, eventId: idOf('replacement'), type: 'case.replacement_requested' };
  }
  return null;
}

/** A changelog item's own field (`toString` would otherwise be Object's method when absent). */
function ownField(item: JsonObject, name: string): unknown {
  return Object.hasOwn(item, name) ? item[name] : undefined;
}

/** A public comment by an agent is a response; internal notes and the customer's own comments are not. */
function commentEvents(body: JsonObject, issueId: string, envelope: { contractId: string; caseId: string }): Mapped {
  if (!isObject(body.comment)) return { events: [], ignored: 'no comment in this webhook' };
  const comment = body.comment;
  if (comment.jsdPublic === false) return { events: [], ignored: 'an internal comment is not a response' };
  const author = isObject(comment.author) ? comment.author : {};
  if (author.accountType === 'customer') return { events: [], ignored: "the customer's own comment is not a response" };
  // The same comment arrives in `comment_created` and in `jira:issue_updated`: both give this id and body.
  const responded: CaseEventV1 = {
    ...envelope,
    eventId: eventIdOf('issue', issueId, 'comment', textAt(comment.id, 'comment.id')),
    type: 'case.responded',
    occurredAt: isoInstantAt(comment.created, 'comment.created'),
  };
  return { events: [responded] };
}

function contractIdOf(fields: JsonObject, mapping: JiraMapping): string {
  const value = fields[mapping.contractField];
  // A text field, a select option ({ value }) or an Organizations field ([{ name }]): the first one.
  const first: unknown = Array.isArray(value) ? value[0] : value;
  const id = isObject(first) ? (optionalTextAt(first.value) ?? optionalTextAt(first.name)) : optionalTextAt(first);
  if (id === undefined) {
    throw new UnmappablePayloadError(`issue.fields.${mapping.contractField}`, 'no contract: the contract field is empty or missing on this issue');
  }
  return id;
}

function priorityOf(value: unknown, mapping: JiraMapping): Priority {
  const name = isObject(value) ? optionalTextAt(value.name)?.toLowerCase() : undefined;
  if (name === undefined) return 'normal';
  const priority = mapping.priorities[name];
  if (priority === undefined) {
    throw new UnmappablePayloadError('issue.fields.priority.name', `unknown priority "${name}": map it in the source's priorities (known: ${Object.keys(mapping.priorities).join(', ')})`);
  }
  return priority;
}

function flagsOf(fields: JsonObject, mapping: JiraMapping): { onSiteRequired?: boolean; replacementRequired?: boolean } {
  return {
    ...(mapping.onSiteField === undefined ? {} : { onSiteRequired: isTruthyFieldValue(fields[mapping.onSiteField], mapping.truthy) }),
    ...(mapping.replacementField === undefined ? {} : { replacementRequired: isTruthyFieldValue(fields[mapping.replacementField], mapping.truthy) }),
  };
}
