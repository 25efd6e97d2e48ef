/**
 * `aftercare webhook-secret SOURCE [--value SECRET] (--local [--dir DIR] | [--stage STAGE])`: sets or rotates
 * the signing secret of a webhook source (docs/design.md#13-integrations), in the local stack's secrets file or in
 * AWS Secrets Manager. The secret it replaces stays accepted (AWSPREVIOUS) until the next rotation, so
 * deliveries signed before the helpdesk has the new one still verify.
 */
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DEFAULT_WEBHOOK_SOURCES_FILE, loadWebhookSourcesFile } from '#config/webhook-sources.ts';
import { webhookSecretName } from '#functions/webhooks/secrets-manager.ts';
import { booleanFlag, parseFlags, stringFlag } from '../args.ts';
import { UsageError } from '../errors.ts';
import { localDirectory } from '../local/stack-file.ts';
import { generateWebhookSecret, setLocalWebhookSecret, webhookSecretsPath } from '../local/webhook-secrets-file.ts';
import type { Command } from './command.ts';

const STAGE = /^[a-z][a-z0-9-]{0,20}$/;

export const webhookSecretCommand: Command = {
  name: 'webhook-secret',
  usage: `Usage: aftercare webhook-secret SOURCE [--value SECRET] (--local [--dir DIR] | [--stage STAGE])
                                [--webhooks FILE]

Sets the signing secret of the webhook source SOURCE (zendesk, jira, generic, or another source of
the webhook sources file), or rotates it: the one it replaces is still accepted until the next
rotation, so requests signed with it keep verifying while the helpdesk changes over.

  --value SECRET   the secret to set. Zendesk makes its own signing secret (Admin Center > Apps and
                   integrations > Webhooks > the webhook > Reveal secret): pass that one. Without
                   --value, a new random secret is made and printed: paste it into Jira's webhook
                   "Secret" or the sending tool.
  --local          the running (or next) local stack: DIR/webhook-secrets.json
  --dir DIR        the local stack's directory; default $AFTERCARE_LOCAL_DIR or .local
  --stage STAGE    AWS: the secret aftercare/STAGE/webhooks/SOURCE of the deployed stack; default prod
                   (region and credentials from the standard AWS chain)
  --webhooks FILE  the webhook sources file; default catalog/webhooks.json
  -h, --help       this text`,
  async run(argv, output) {
    const flags = parseFlags('webhook-secret', argv, { value: { type: 'string' }, local: { type: 'boolean' }, dir: { type: 'string' }, stage: { type: 'string' }, webhooks: { type: 'string' } }, 1);
    const source = flags.positionals[0];
    if (source === undefined) throw new UsageError('webhook-secret: name the source (see `aftercare webhook-secret --help`)');
    const sources = loadWebhookSourcesFile(stringFlag(flags, 'webhooks') ?? DEFAULT_WEBHOOK_SOURCES_FILE);
    const mapping = Object.hasOwn(sources.sources, source) ? sources.sources[source] : undefined;
    if (mapping === undefined) {
      throw new UsageError(`webhook-secret: no webhook source "${source}" (the sources are ${Object.keys(sources.sources).join(', ')})`);
    }
    const given = stringFlag(flags, 'value');
    if (given !== undefined && given.trim().length < 16) throw new UsageError('webhook-secret: --value must be at least 16 characters');
    if (given === undefined && mapping.adapter === 'zendesk') {
      throw new UsageError('webhook-secret: Zendesk makes the signing secret itself: copy it from the webhook in Zendesk (Reveal secret) and pass it with --value');
    }
    const value = given?.trim() ?? generateWebhookSecret();
    const local = booleanFlag(flags, 'local');
    if (local && stringFlag(flags, 'stage') !== undefined) throw new UsageError('webhook-secret: give --local or --stage, not both');

    if (local) {
      const directory = stringFlag(flags, 'dir') ?? localDirectory();
      setLocalWebhookSecret(directory, source, value);
      output.out(`${source}: secret set in ${webhookSecretsPath(directory)}; the previous one is still accepted until the next rotation`);
    } else {
      const stage = stringFlag(flags, 'stage') ?? 'prod';
      if (!STAGE.test(stage)) throw new UsageError(`webhook-secret: --stage must be lower-case letters, digits and "-": ${stage}`);
      const name = webhookSecretName(`aftercare/${stage}/webhooks/`, source);
      const client = new SecretsManagerClient({});
      try {
        await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
      } finally {
        client.destroy();
      }
      output.out(`${source}: secret set in AWS Secrets Manager (${name}); the previous one is still accepted until the next rotation`);
    }
    if (given === undefined) output.out(`secret: ${value}`);
    return 0;
  },
};
