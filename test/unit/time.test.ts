import { describe, expect, it } from 'vitest';
import { addYears, instantOfWallTime, localDateAt, parseTargetDuration, toIso } from '#domain/time.ts';

describe('zone arithmetic', () => {
  it('maps a wall time skipped by the spring-forward gap to the end of the gap', () => {
    expect(toIso(instantOfWallTime('2026-03-29', 150, 'Europe/Oslo'))).toBe('2026-03-29T01:00:00Z');
  });
  it('maps a repeated autumn wall time to its first occurrence', () => {
    expect(toIso(instantOfWallTime('2026-10-25', 150, 'Europe/Oslo'))).toBe('2026-10-25T00:30:00Z');
  });
  it('reads the local date in the zone, not in UTC', () => {
    expect(localDateAt(Date.parse('2025-12-31T23:30:00Z'), 'Europe/Oslo')).toBe('2026-01-01');
  });
  it('clamps 29 February to 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
  it('accepts hour and minute targets and refuses days', () => {
    expect(parseTargetDuration('PT1H30M')).toBe(90 * 60_000);
    expect(parseTargetDuration('P1D')).toBeUndefined();
    expect(parseTargetDuration('PT')).toBeUndefined();
  });
});
