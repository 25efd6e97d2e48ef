/**
 * Deployment settings from CDK context: the addresses are required, the catalog is validated at synth
 * (a bad one fails with the catalog's own message), and stage and removal policy shape the stack.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { compileCatalog, DEFAULT_CATALOG_PATH } from '#config/catalog.ts';
import { defineAftercare } from '#infra/aftercare-app.ts';
import { readDeploymentSettings } from '#infra/settings.ts';
import { aftercareApp, SYNTH_TIMEOUT_MS, TEST_ENV } from './synth.ts';

type CatalogJson = {
  serviceLevels: Record<string, { creditCapPercent: number }>;
  provider?: { name: string; replyTo: string };
};

function catalogFile(edit: (catalog: CatalogJson) => void): { path: string; json: CatalogJson } {
  const json = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, 'utf8')) as CatalogJson;
  edit(json);
  const path = join(mkdtempSync(join(tmpdir(), 'aftercare-catalog-')), 'catalog.json');
  writeFileSync(path, JSON.stringify(json));
  return { path, json };
}

function catalogErrorOf(json: unknown, source: string): string {
  try {
    compileCatalog(json, source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the catalog was expected to be invalid');
}

describe('the catalog', () => {
  it('a bad catalog stops synth with the catalog error, naming the bad field', () => {
    // Prepare
    const { path, json } = catalogFile((catalog) => {
      const [level] = Object.keys(catalog.serviceLevels);
      const terms = catalog.serviceLevels[level ?? ''];
      if (terms !== undefined) terms.creditCapPercent = 150;
    });
    const app = aftercareApp({ context: { catalog: path } });
    // Act
    const synth = (): unknown => defineAftercare(app, TEST_ENV);
    // Assess
    const expected = catalogErrorOf(json, path);
    expect(expected).toMatch(/creditCapPercent/);
    expect(synth).toThrow(expected);
  });

  it('a provider whose name would break the From header, or whose Reply-To is no address, stops synth naming both fields', () => {
    // Prepare
    const { path, json } = catalogFile((catalog) => {
      if (catalog.provider === undefined) throw new Error('the default catalog shows an example provider');
      catalog.provider.name = 'Nordlys Service AS\r\nBcc: everyone@example.com';
      catalog.provider.replyTo = 'kundeservice';
    });
    const app = aftercareApp({ context: { catalog: path } });
    // Act
    const synth = (): unknown => defineAftercare(app, TEST_ENV);
    // Assess
    const expected = catalogErrorOf(json, path);
    expect(expected).toMatch(/provider\.name: must be one line/);
    expect(expected).toMatch(/provider\.replyTo: not an email address/);
    expect(synth).toThrow(expected);
  });

  it('a catalog file that cannot be read stops synth naming the file', () => {
    const missing = join(tmpdir(), 'no-such-aftercare-catalog.json');
    expect(() => readDeploymentSettings(aftercareApp({ context: { catalog: missing } }))).toThrow(missing);
  });

  it('defaults to catalog/default.json', () => {
    expect(readDeploymentSettings(aftercareApp()).catalogPath).toBe(DEFAULT_CATALOG_PATH);
  });
});

describe('the addresses', () => {
  it('are both required, and the error names each missing context key', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => readDeploymentSettings(app)).toThrow(/"senderEmail".*\n.*"operatorEmail"/);
  });

  it('must be email addresses', () => {
    const app = aftercareApp({ context: { senderEmail: 'not-an-address' } });
    expect(() => readDeploymentSettings(app)).toThrow(/"senderEmail" is not an email address/);
  });
});

describe('stage and removal', () => {
  it('names the stack Aftercare-<stage>, prod by default', () => {
    expect(readDeploymentSettings(aftercareApp()).stackName).toBe('Aftercare-prod');
    expect(readDeploymentSettings(aftercareApp({ context: { stage: 'dev' } })).stackName).toBe('Aftercare-dev');
  });

  it('refuses a stage that cannot be part of a stack name', () => {
    expect(() => readDeploymentSettings(aftercareApp({ context: { stage: 'Dev Stack' } }))).toThrow(/"stage"/);
  });

  it(
    'a dev stack with destroyOnRemoval deletes its table, queues, key and logs with the stack',
    () => {
      // Prepare
      const app = aftercareApp({ context: { stage: 'dev', destroyOnRemoval: 'true' } });
      // Act
      const template = Template.fromStack(defineAftercare(app, TEST_ENV));
      // Assess
      for (const type of ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']) {
        const resources = Object.values(template.findResources(type));
        expect(resources.length, type).toBeGreaterThan(0);
        for (const resource of resources) expect(resource, type).toMatchObject({ DeletionPolicy: 'Delete' });
      }
      template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    },
    SYNTH_TIMEOUT_MS,
  );
});
