/**
 * The integration an event came from (docs/design.md#6-the-event-contract-v1): identity is (source, eventId) together, so two
 * integrations that use the same id scheme never collide. Kept free of zod so every bundle may use it.
 */
import { DEFAULT_EVENT_SOURCE } from '#domain/model.ts';

export const DEFAULT_SOURCE = DEFAULT_EVENT_SOURCE;

export function sourceOf(event: { readonly source?: string | undefined }): string {
  return event.source ?? DEFAULT_SOURCE;
}

/** What identifies an event: the same identity is the same event (applied at most once). */
export interface EventIdentity {
  readonly source: string;
  readonly eventId: string;
}

export function identityOf(event: { readonly source?: string | undefined; readonly eventId: string }): EventIdentity {
  return { source: sourceOf(event), eventId: event.eventId };
}

/** `<source>#<eventId>` for logs and messages: a source never holds `#`, so the first one ends it. */
export function describeIdentity(identity: EventIdentity): string {
  return `${identity.source}#${identity.eventId}`;
}
