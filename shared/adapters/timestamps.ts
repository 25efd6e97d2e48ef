/** Helpdesk timestamps read into v1 `occurredAt` (ISO-8601 with seconds and an offset). Pure. */
import { UnmappablePayloadError } from './adapter.ts';

// Zendesk's `*_with_timestamp` placeholders render minute precision ("2013-12-12T05:35Z"); others carry seconds.
const ISO_MINUTES = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

export function isoInstantAt(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new UnmappablePayloadError(path, 'is missing: expected an ISO-8601 timestamp');
  const text = value.trim();
  const minutes = ISO_MINUTES.exec(text);
  // Jira writes offsets without a colon (+0100), which Date.parse does not read everywhere.
  const withColon = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const normalized = minutes !== null ? `${minutes[1] ?? ''}:00${minutes[2] ?? ''}` : ISO_SECONDS.test(text) ? withColon : null;
  if (normalized === null || Number.isNaN(Date.parse(normalized))) {
    throw new UnmappablePayloadError(path, `"${text.slice(0, 40)}" is not an ISO-8601 timestamp (e.g. 2026-02-09T09:15Z)`);
  }
  return isoOf(Date.parse(normalized));
}

/** Epoch milliseconds (Jira's `timestamp`, `created`) as ISO-8601 UTC. */
export function epochMillisAt(value: unknown, path: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UnmappablePayloadError(path, 'is missing: expected epoch milliseconds');
  }
  return isoOf(value);
}

/** UTC, with milliseconds only when there are some. */
function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
