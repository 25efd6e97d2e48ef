import { afterEach, describe, expect, it } from 'vitest';
import { getStringFromEnv } from '#config/environment.ts';
import { embeddedCatalog, EMBEDDED_CATALOG_IDENTIFIER } from '#config/embedded-catalog.ts';
import { loadDefaultCatalog } from '#config/catalog.ts';
import { ConfigurationError } from '../../shared/errors.ts';

type CatalogGlobal = typeof globalThis & { AFTERCARE_COMPILED_CATALOG?: unknown };
const injected = globalThis as CatalogGlobal;

describe('required environment variables', () => {
  it('are read as they are set', () => {
    expect(getStringFromEnv('TABLE_NAME', { TABLE_NAME: 'aftercare-prod-Table1234' })).toBe('aftercare-prod-Table1234');
  });

  it.each([
    ['missing', {}],
    ['empty', { TABLE_NAME: '' }],
    ['blank', { TABLE_NAME: '   ' }],
  ])('fail the cold start with a ConfigurationError naming the variable when %s', (_label, environment) => {
    // Act
    const reading = () => getStringFromEnv('TABLE_NAME', environment);

    // Assess
    expect(reading).toThrow(ConfigurationError);
    expect(reading).toThrow(/TABLE_NAME/);
  });

  it('are read from the process environment by default', () => {
    // Prepare
    process.env.AFTERCARE_TEST_DLQ_URL = 'https://sqs.eu-north-1.amazonaws.com/1/dlq';

    // Act
    const value = getStringFromEnv('AFTERCARE_TEST_DLQ_URL');

    // Assess
    expect(value).toBe('https://sqs.eu-north-1.amazonaws.com/1/dlq');
    delete process.env.AFTERCARE_TEST_DLQ_URL;
  });
});

describe('the catalog embedded at bundle time', () => {
  afterEach(() => {
    delete injected.AFTERCARE_COMPILED_CATALOG;
  });

  it('is named by the identifier the CDK construct defines', () => {
    expect(EMBEDDED_CATALOG_IDENTIFIER).toBe('AFTERCARE_COMPILED_CATALOG');
  });

  it('fails with a ConfigurationError when the bundle carries none', () => {
    expect(() => embeddedCatalog()).toThrow(ConfigurationError);
  });

  it('is the compiled catalog as injected (here the default one, as JSON like esbuild inlines it)', () => {
    // Prepare
    const compiled = loadDefaultCatalog();
    injected.AFTERCARE_COMPILED_CATALOG = JSON.parse(JSON.stringify(compiled));

    // Act
    const catalog = embeddedCatalog();

    // Assess
    expect(catalog).toEqual(compiled);
  });

  it.each([
    ['a string', 'catalog/default.json'],
    ['the raw catalog file shape without breachGraceSeconds', { calendars: {}, serviceLevels: { basic: {} } }],
    ['a catalog without service levels', { calendars: {}, serviceLevels: {}, breachGraceSeconds: 300 }],
    ['null', null],
  ])('refuses an injection that is not a compiled catalog: %s', (_label, value) => {
    // Prepare
    injected.AFTERCARE_COMPILED_CATALOG = value;

    // Act
    const reading = () => embeddedCatalog();

    // Assess
    expect(reading).toThrow(ConfigurationError);
  });
});
