/**
 * Signed webhook requests seen recently (docs/design.md#13-integrations): the same signed request twice inside the
 * signature window is a replay (an attacker re-sending a captured request) and is refused. A claim is
 * released when the request's events could not be queued, so the helpdesk's retry of that delivery goes
 * through; a retry after a success is refused as already received, and its events would have been
 * duplicates anyway (their ids come from the helpdesk's own ids).
 */
export interface WebhookRequestRepository {
  /** Records the request as seen until `expiresAt` (ms); false when it is already seen and not expired. */
  claim(source: string, fingerprint: string, now: number, expiresAt: number): Promise<boolean>;
  /** Forgets a claim whose events were not queued. */
  release(source: string, fingerprint: string): Promise<void>;
}
