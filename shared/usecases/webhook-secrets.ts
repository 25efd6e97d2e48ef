/**
 * The secrets of the webhook sources (docs/design.md#13-integrations), cached and rotation-safe: a source's
 * values (the current one and, during a rotation, the previous one) are read once per `ttlMs`; a request
 * whose signature matches none of the cached values gets the values read again (at most once per
 * `recheckMs`), so a secret rotated in the store is taken up at the first request signed with it.
 */
import type { Clock } from './ports.ts';

/** Where the secrets live: Secrets Manager in AWS, a file in the local stack. */
export interface WebhookSecretStore {
  /** The values a request of `source` may be signed with, current first; [] when the source has none. */
  read(source: string): Promise<readonly string[]>;
}

export interface WebhookSecrets {
  /** The cached values, read when missing or older than the cache time. */
  valuesOf(source: string): Promise<readonly string[]>;
  /** The values read again when the cached ones are old enough to be worth it; null when they are fresh. */
  reread(source: string): Promise<readonly string[] | null>;
}

export interface WebhookSecretsOptions {
  readonly store: WebhookSecretStore;
  readonly clock: Clock;
  /** @default 300 000 (5 minutes) */
  readonly ttlMs?: number;
  /** @default 10 000: a flood of badly signed requests reads the store at most this often. */
  readonly recheckMs?: number;
}

export function makeWebhookSecrets(options: WebhookSecretsOptions): WebhookSecrets {
  const { store, clock } = options;
  const ttlMs = options.ttlMs ?? 300_000;
  const recheckMs = options.recheckMs ?? 10_000;
  const cache = new Map<string, { readonly values: readonly string[]; readonly readAt: number }>();

  async function load(source: string): Promise<readonly string[]> {
    const values = await store.read(source);
    cache.set(source, { values, readAt: clock.now() });
    return values;
  }

  return {
    async valuesOf(source) {
      const cached = cache.get(source);
      return cached !== undefined && clock.now() - cached.readAt < ttlMs ? cached.values : load(source);
    },
    async reread(source) {
      const cached = cache.get(source);
      if (cached !== undefined && clock.now() - cached.readAt < recheckMs) return null;
      return load(source);
    },
  };
}
