/**
 * The webhook secrets in AWS Secrets Manager: one secret per source, `<prefix><source>`, read with the SDK
 * client (bundled like the other clients; the Parameters and Secrets Lambda extension would add a layer and
 * a second process at cold start, and could not run in the local stack or the tests). AWSCURRENT and, while
 * a rotation settles, AWSPREVIOUS are both accepted: `aftercare webhook-secret` puts a new value, which
 * moves the old one to AWSPREVIOUS, so deliveries signed with either verify until the helpdesk has the new one.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { WebhookSecretStore } from '#usecases/webhook-secrets.ts';

export function webhookSecretName(prefix: string, source: string): string {
  return `${prefix}${source}`;
}

export function secretsManagerStore(client: SecretsManagerClient, prefix: string): WebhookSecretStore {
  async function stage(source: string, VersionStage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | null> {
    try {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: webhookSecretName(prefix, source), VersionStage }));
      return SecretString !== undefined && SecretString !== '' ? SecretString : null;
    } catch (error) {
      // No previous version (never rotated), or no secret for the source: nothing to verify with.
      if (error instanceof Error && error.name === 'ResourceNotFoundException') return null;
      throw error;
    }
  }
  return {
    async read(source) {
      const [current, previous] = await Promise.all([stage(source, 'AWSCURRENT'), stage(source, 'AWSPREVIOUS')]);
      return [current, previous].filter((value): value is string => value !== null);
    },
  };
}
