/**
 * An in-memory WebhookRequestRepository with the DynamoDB adapter's semantics: a claim succeeds when the
 * request is unseen or its claim has expired (second resolution, as the item's `expiresAt`).
 */
import type { WebhookRequestRepository } from '#store/webhook-request-repository.ts';

export class MemoryWebhookRequests implements WebhookRequestRepository {
  /** `<source>#<fingerprint>` → expiresAt in epoch seconds. */
  readonly claims = new Map<string, number>();

  claim(source: string, fingerprint: string, now: number, expiresAt: number): Promise<boolean> {
    const key = `${source}#${fingerprint}`;
    const held = this.claims.get(key);
    if (held !== undefined && !(held < Math.floor(now / 1000))) return Promise.resolve(false);
    this.claims.set(key, Math.ceil(expiresAt / 1000));
    return Promise.resolve(true);
  }

  release(source: string, fingerprint: string): Promise<void> {
    this.claims.delete(`${source}#${fingerprint}`);
    return Promise.resolve();
  }
}
