/**
 * Webhook signatures per adapter (docs/design.md#13-integrations): which headers carry the signature and the
 * signing time, what is signed, and how it is encoded. Verification is constant-time and tries each secret
 * given (the current one and, during a rotation, the previous one). No I/O, no clock: `now` comes in.
 *
 * - Zendesk: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, timestamp + body)) with the
 *   timestamp from `X-Zendesk-Webhook-Signature-Timestamp` (ISO-8601).
 *   https://developer.zendesk.com/documentation/webhooks/verifying/
 * - Jira (secure admin webhooks): `X-Hub-Signature` = `sha256=` + hex(HMAC-SHA256(secret, body)); Jira signs
 *   no header, so the signing time is the payload's own `timestamp` (epoch ms), inside the signed body.
 *   https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks
 * - Generic: `X-Aftercare-Signature` = `sha256=` + hex(HMAC-SHA256(secret, timestamp + "." + body)) with
 *   `X-Aftercare-Timestamp` in Unix seconds (the scheme of Stripe and Slack, which most tools can produce).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AdapterKind } from './mapping.ts';

/** Requests signed longer ago than this (or this far in the future) are refused as stale. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

/** Header names lower-cased (HTTP headers are case-insensitive; API Gateway lower-cases them). */
export type RequestHeaders = Readonly<Record<string, string | undefined>>;

export type SignatureVerdict =
  | { readonly ok: true; readonly signedAt: number; /** Identifies this signed request exactly (a replay has the same). */ readonly fingerprint: string }
  | { readonly ok: false; readonly problem: 'unsigned' | 'mismatch' | 'stale'; readonly reason: string };

interface Scheme {
  readonly signatureHeader: string;
  /** The signature bytes the header claims, or null when it is not in the scheme's encoding. */
  claimed(header: string): Buffer | null;
  /** What the secret signs, or null with a reason when the signing time is missing. */
  signed(headers: RequestHeaders, body: string): { readonly message: string; readonly signedAt: number } | { readonly missing: string };
  digest(secret: string, message: string): Buffer;
}

const hmac = (secret: string, message: string): Buffer => createHmac('sha256', secret).update(message, 'utf8').digest();

function prefixedHex(header: string): Buffer | null {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  return match === null ? null : Buffer.from(match[1] ?? '', 'hex');
}

export const SCHEMES: Readonly<Record<AdapterKind, Scheme>> = {
  zendesk: {
    signatureHeader: 'x-zendesk-webhook-signature',
    claimed: (header) => (/^[A-Za-z0-9+/]{43}=$/.test(header.trim()) ? Buffer.from(header.trim(), 'base64') : null),
    signed(headers, body) {
      const timestamp = headers['x-zendesk-webhook-signature-timestamp'];
      const signedAt = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
      if (timestamp === undefined || Number.isNaN(signedAt)) return { missing: 'x-zendesk-webhook-signature-timestamp is missing or not a time' };
      return { message: timestamp + body, signedAt };
    },
    digest: hmac,
  },
  jira: {
    signatureHeader: 'x-hub-signature',
    claimed: prefixedHex,
    signed(_headers, body) {
      const timestamp = jsonTimestamp(body);
      if (timestamp === null) return { missing: 'the body has no numeric "timestamp" (Jira signs no header: its timestamp is in the payload)' };
      return { message: body, signedAt: timestamp };
    },
    digest: hmac,
  },
  generic: {
    signatureHeader: 'x-aftercare-signature',
    claimed: prefixedHex,
    signed(headers, body) {
      const timestamp = headers['x-aftercare-timestamp'];
      if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp.trim())) return { missing: 'x-aftercare-timestamp is missing or not Unix seconds' };
      return { message: `${timestamp.trim()}.${body}`, signedAt: Number(timestamp.trim()) * 1000 };
    },
    digest: hmac,
  },
};

function jsonTimestamp(body: string): number | null {
  try {
    const value: unknown = JSON.parse(body);
    const timestamp = typeof value === 'object' && value !== null ? (value as { timestamp?: unknown }).timestamp : undefined;
    return typeof timestamp === 'number' && Number.isFinite(timestamp) ? timestamp : null;
  } catch {
    return null;
  }
}

/** Whether `body` with `headers` was signed with one of `secrets`, recently enough. */
export function verifySignature(kind: AdapterKind, request: { readonly headers: RequestHeaders; readonly body: string }, secrets: readonly string[], now: number): SignatureVerdict {
  const scheme = SCHEMES[kind];
  const header = request.headers[scheme.signatureHeader];
  if (header === undefined || header.trim() === '') return { ok: false, problem: 'unsigned', reason: `no ${scheme.signatureHeader} header` };
  const claimed = scheme.claimed(header);
  if (claimed === null) return { ok: false, problem: 'mismatch', reason: `${scheme.signatureHeader} is not in the expected encoding` };
  const signed = scheme.signed(request.headers, request.body);
  if ('missing' in signed) return { ok: false, problem: 'unsigned', reason: signed.missing };
  const matches = secrets.some((secret) => {
    const expected = scheme.digest(secret, signed.message);
    return expected.length === claimed.length && timingSafeEqual(expected, claimed);
  });
  if (!matches) return { ok: false, problem: 'mismatch', reason: 'the signature does not match the body and the secret of this source' };
  // Checked after the signature: only a genuine signing time says anything about freshness.
  const age = now - signed.signedAt;
  if (Math.abs(age) > SIGNATURE_TOLERANCE_MS) {
    const when = new Date(signed.signedAt).toISOString();
    return { ok: false, problem: 'stale', reason: `signed at ${when}, more than ${SIGNATURE_TOLERANCE_MS / 60_000} minutes ${age > 0 ? 'ago' : 'ahead'}` };
  }
  return { ok: true, signedAt: signed.signedAt, fingerprint: createHash('sha256').update(claimed).digest('hex') };
}

/** Signs as the helpdesk would (tests, the local endpoint's example, `aftercare` users of the generic adapter). */
export function signRequest(kind: AdapterKind, secret: string, body: string, signedAt: number): Record<string, string> {
  switch (kind) {
    case 'zendesk': {
      const timestamp = new Date(signedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return { 'x-zendesk-webhook-signature': hmac(secret, timestamp + body).toString('base64'), 'x-zendesk-webhook-signature-timestamp': timestamp };
    }
    case 'jira':
      return { 'x-hub-signature': `sha256=${hmac(secret, body).toString('hex')}` };
    case 'generic': {
      const timestamp = String(Math.floor(signedAt / 1000));
      return { 'x-aftercare-signature': `sha256=${hmac(secret, `${timestamp}.${body}`).toString('hex')}`, 'x-aftercare-timestamp': timestamp };
    }
  }
}
