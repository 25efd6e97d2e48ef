import { describe, expect, it } from 'vitest';
import { resolveKpiTerms } from '#domain/levels.ts';
import type { ServiceLevel } from '#domain/model.ts';
import { HOUR_MS, MINUTE_MS } from '#domain/time.ts';

function serviceLevel(overrides: Partial<ServiceLevel> = {}): ServiceLevel {
  return {
    key: 'standard',
    name: { nb: 'Standard', en: 'Standard' },
    kpis: {
      firstResponse: { targetMs: HOUR_MS, calendar: 'oslo-business', creditPercent: 2 },
      onSite: { targetMs: 16 * HOUR_MS, calendar: 'oslo-business', creditPercent: 3 },
    },
    byPriority: {},
    creditCapPercent: 15,
    terminationWindowDays: 90,
    liabilityCapPercent: 100,
    warnAtPercent: 80,
    ...overrides,
  };
}

describe('a priority overrides a level\'s KPI terms field by field', () => {
  it('replaces only the fields the priority names and keeps the rest', () => {
    // Prepare
    const level = serviceLevel({ byPriority: { critical: { firstResponse: { targetMs: 30 * MINUTE_MS } } } });

    // Act
    const terms = resolveKpiTerms(level, 'critical');

    // Assess
    expect(terms.firstResponse).toEqual({ targetMs: 30 * MINUTE_MS, calendar: 'oslo-business', creditPercent: 2 });
    expect(terms.onSite).toEqual(level.kpis.onSite);
  });

  it('gives a priority without overrides the level\'s own terms', () => {
    // Prepare
    const level = serviceLevel({ byPriority: { critical: { firstResponse: { calendar: 'always' } } } });

    // Act
    const terms = resolveKpiTerms(level, 'normal');

    // Assess
    expect(terms).toEqual(level.kpis);
  });

  it('leaves out a KPI the level lacks, unless the priority defines it completely', () => {
    // Prepare
    const replacement = { targetMs: 8 * HOUR_MS, calendar: 'always', creditPercent: 1 };
    const level = serviceLevel({
      byPriority: { critical: { replacement }, low: { resolution: { targetMs: HOUR_MS } } },
    });

    // Act
    const critical = resolveKpiTerms(level, 'critical');
    const low = resolveKpiTerms(level, 'low');

    // Assess
    expect(critical.replacement).toEqual(replacement);
    expect(critical.resolution).toBeUndefined();
    expect(low.resolution).toBeUndefined();
  });
});
