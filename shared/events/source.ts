/**
 * The integration an event came from (DESIGN §6): identity is (source, eventId) together, so two
 * integrations that use the same id scheme never collide. Kept free of zod so every bundle may use it.
 */

export const DEFAULT_SOURCE = 'default';

export function sourceOf(event: { readonly source?: string | undefined }): string {
  return event.source ?? DEFAULT_SOURCE;
}
