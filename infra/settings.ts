/**
 * What one deployment is made of, read from CDK context (`-c key=value`) and checked before anything is
 * built: a missing address or a bad catalog stops `cdk synth` with a message that says what to fix.
 */
import { resolve } from 'node:path';
import type { App } from 'aws-cdk-lib';
import type { Catalog } from '#domain/model.ts';
import { DEFAULT_CATALOG_FILE, loadCatalogFile } from '#config/catalog.ts';
import { DEFAULT_WEBHOOK_SOURCES_FILE, loadWebhookSourcesFile } from '#config/webhook-sources.ts';
import type { WebhookSources } from '#adapters/mapping.ts';
import { PROJECT_ROOT } from './bundling.ts';

export interface DeploymentSettings {
  readonly stage: string;
  readonly stackName: string;
  readonly senderEmail: string;
  readonly operatorEmail: string;
  readonly catalogPath: string;
  readonly catalog: Catalog;
  readonly destroyOnRemoval: boolean;
  /** The webhook sources and their field mapping (`-c webhooks=path`, default catalog/webhooks.json). */
  readonly webhookSources: WebhookSources;
}

/** Bad deployment context at synth time: never thrown in a function, so not in shared/errors.ts. */
export class DeploymentSettingsError extends Error {
  override readonly name = 'DeploymentSettingsError';
}

const EMAIL = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/;
const STAGE = /^[a-z][a-z0-9-]{0,20}$/;

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  // `-c key=value` arrives as a string; cdk.json or a test may pass a boolean or a number.
  if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function email(app: App, key: string, problems: string[]): string {
  const value = contextString(app, key);
  if (value === undefined) {
    problems.push(`missing context "${key}": pass -c ${key}=<email address>`);
  } else if (!EMAIL.test(value)) {
    problems.push(`context "${key}" is not an email address: ${value}`);
  }
  return value ?? '';
}

/** Reads and checks the deployment's context; throws naming every missing or bad value. */
export function readDeploymentSettings(app: App): DeploymentSettings {
  const problems: string[] = [];
  const senderEmail = email(app, 'senderEmail', problems);
  const operatorEmail = email(app, 'operatorEmail', problems);
  const stage = contextString(app, 'stage') ?? 'prod';
  if (!STAGE.test(stage)) problems.push(`context "stage" must be lower-case letters, digits and "-": ${stage}`);
  const destroyFlag = contextString(app, 'destroyOnRemoval') ?? 'false';
  if (destroyFlag !== 'true' && destroyFlag !== 'false') {
    problems.push(`context "destroyOnRemoval" must be true or false: ${destroyFlag}`);
  }
  if (problems.length > 0) {
    throw new DeploymentSettingsError(`Aftercare cannot be synthesized:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const catalogPath = resolve(PROJECT_ROOT, contextString(app, 'catalog') ?? DEFAULT_CATALOG_FILE);
  return {
    stage,
    stackName: `Aftercare-${stage}`,
    senderEmail,
    operatorEmail,
    catalogPath,
    // A bad catalog throws its own CatalogError, naming the path of every bad field.
    catalog: loadCatalogFile(catalogPath),
    destroyOnRemoval: destroyFlag === 'true',
    webhookSources: loadWebhookSourcesFile(resolve(PROJECT_ROOT, contextString(app, 'webhooks') ?? DEFAULT_WEBHOOK_SOURCES_FILE)),
  };
}
