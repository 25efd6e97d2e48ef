import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Catalog } from '#domain/model.ts';

type CatalogGlobal = typeof globalThis & { AFTERCARE_COMPILED_CATALOG?: unknown };
const injected = globalThis as CatalogGlobal;

const A_COMPILED_CATALOG: Catalog = {
  calendars: { always: { kind: 'always' } },
  serviceLevels: {
    basic: {
      key: 'basic',
      name: { en: 'Basic', nb: 'Basis' },
      kpis: { firstResponse: { targetMs: 3_600_000, calendar: 'always', creditPercent: 1 } },
      byPriority: {},
      creditCapPercent: 10,
      terminationWindowDays: 90,
      liabilityCapPercent: 100,
      warnAtPercent: 80,
    },
  },
  breachGraceSeconds: 300,
  noticeSettleMinutes: 15,
  sourceIdleMinutes: 30,
  parkedRetentionDays: 30,
};

// The error classes are compared by name: each import below loads a fresh module graph.
async function coldStart(entry: 'intake' | 'sweep'): Promise<unknown> {
  return entry === 'intake' ? import('#functions/intake/handler.ts') : import('#functions/sweep/handler.ts');
}

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('TABLE_NAME', 'aftercare-Table');
  vi.stubEnv('DLQ_URL', 'https://sqs.eu-north-1.amazonaws.com/123456789012/aftercare-events-dlq');
  vi.stubEnv('CONTRACTS_QUEUE_ARN', 'arn:aws:sqs:eu-north-1:123456789012:aftercare-contracts');
  vi.stubEnv('CASES_QUEUE_ARN', 'arn:aws:sqs:eu-north-1:123456789012:aftercare-cases');
  injected.AFTERCARE_COMPILED_CATALOG = A_COMPILED_CATALOG;
});

afterEach(() => {
  vi.unstubAllEnvs();
  delete injected.AFTERCARE_COMPILED_CATALOG;
});

describe('cold start of the function entries', () => {
  it.each([
    ['intake', 'TABLE_NAME'],
    ['intake', 'DLQ_URL'],
    ['intake', 'CONTRACTS_QUEUE_ARN'],
    ['intake', 'CASES_QUEUE_ARN'],
    ['sweep', 'TABLE_NAME'],
  ] as const)('%s fails with a ConfigurationError when %s is not set', async (entry, variable) => {
    // Prepare
    vi.stubEnv(variable, undefined);

    // Act
    const starting = coldStart(entry);

    // Assess
    await expect(starting).rejects.toMatchObject({ code: 'CONFIGURATION' });
    await expect(starting).rejects.toThrow(variable);
  });

  it.each(['intake', 'sweep'] as const)('%s fails with a ConfigurationError when the bundle carries no catalog', async (entry) => {
    // Prepare
    delete injected.AFTERCARE_COMPILED_CATALOG;

    // Act
    const starting = coldStart(entry);

    // Assess
    await expect(starting).rejects.toMatchObject({ code: 'CONFIGURATION' });
    await expect(starting).rejects.toThrow('AFTERCARE_COMPILED_CATALOG');
  });

  it.each(['intake', 'sweep'] as const)('%s exports a handler once configured and given a catalog', async (entry) => {
    // Act
    const loaded = await coldStart(entry);

    // Assess
    expect(loaded).toHaveProperty('handler', expect.any(Function));
  });
});
