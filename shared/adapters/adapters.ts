/** The adapter of a source's mapping: one entry point for the endpoint (docs/design.md#13-integrations). Pure. */
import type { Mapped } from './adapter.ts';
import { mapGenericPayload } from './generic.ts';
import { mapJiraPayload } from './jira.ts';
import type { SourceMapping } from './mapping.ts';
import { mapZendeskPayload } from './zendesk.ts';

export function mapPayload(mapping: SourceMapping, payload: unknown): Mapped {
  switch (mapping.adapter) {
    case 'zendesk':
      return mapZendeskPayload(payload, mapping);
    case 'jira':
      return mapJiraPayload(payload, mapping);
    case 'generic':
      return mapGenericPayload(payload);
  }
}
