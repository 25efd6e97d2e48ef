/**
 * The statement a person reads (`aftercare statement`) shows per year the visits, cost to serve and margin,
 * and names every pause per case with its reason and time (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract),
 * so a force-majeure dispute can be settled from it. Figures from the default catalog's example rates (NOK).
 */
import { describe, expect, it } from 'vitest';
import { statementText } from '#cli/statement/statement-text.ts';
import { makeIntake } from '#usecases/intake.ts';
import { readStatement } from '#usecases/statement.ts';
import { MemoryStore } from '#test/support/memory-store.ts';
import { aCaseEvent, aRegistration, defaultCatalog, TestClock } from '#test/support/factories/events.ts';

describe('the statement text of a year with a visit and a force-majeure pause', () => {
  it('shows the visit, cost to serve and margin per year, and the paused time per case with its reason', async () => {
    // Prepare: premium, 120 000 kr; K-1 paused for force majeure 10:00 → 06:00 the next morning (20 h), then a visit
    const store = new MemoryStore();
    const clock = new TestClock(Date.parse('2025-12-15T09:00:00Z'));
    const intake = makeIntake({ store, catalog: defaultCatalog(), clock });
    const events = [
      aRegistration(),
      aCaseEvent('case.opened', { at: '2026-03-02T08:00:00+01:00', fields: { onSiteRequired: true } }),
      aCaseEvent('case.responded', { at: '2026-03-02T08:05:00+01:00' }),
      aCaseEvent('case.paused', { at: '2026-03-02T10:00:00+01:00', fields: { reason: 'force_majeure' } }),
      aCaseEvent('case.resumed', { at: '2026-03-03T06:00:00+01:00' }),
      aCaseEvent('case.technician_arrived', { at: '2026-03-03T12:00:00+01:00' }),
      // 4 h × 950 + 6.5 h × 750 + 420 km × 3.50 + 1 night × 1 450 + 2 started days × 1 012 = 13 619 kr
      aCaseEvent('case.visit_reported', {
        at: '2026-03-03T16:00:00+01:00',
        fields: { visitId: 'V-1', hoursOnSite: 4, travelHours: 6.5, kilometres: 420, nights: 1, country: 'NO' },
      }),
      aCaseEvent('case.resolved', { at: '2026-03-03T16:00:00+01:00' }),
    ];
    for (const event of events) {
      clock.at = Math.max(clock.at, Date.parse(event.occurredAt) + 1_000);
      await intake.processEvent(event);
    }
    const asOf = Date.parse('2026-06-01T00:00:00Z');

    // Act
    const statement = await readStatement(store, defaultCatalog(), 'C-1', asOf);
    const text = (statement === null ? [] : statementText(statement, asOf)).join('\n');

    // Assess: no credit (on site 2 h + 6 h of 24 counted); cost to serve 13 619 kr; margin 120 000 − 13 619 = 106 381 kr
    expect(statement?.years[0]?.economics).toMatchObject({ costToServeMinor: 1_361_900, marginMinor: 10_638_100, revenueMinor: 12_000_000 });
    expect(text).toContain('Economics (cost to serve = visit cost + pools + credits; margin = revenue − cost to serve)');
    const yearRow = text.split('\n').find((line) => /^\s+1\s+1\s+4\s+6\.5\s+420\s+1\s/.test(line));
    expect(yearRow).toBeDefined();
    expect(yearRow).toMatch(/13\s619\.00 NOK/);
    expect(yearRow).toMatch(/106\s381\.00 NOK/);
    expect(text).toContain('Paused time per case (clocks stood still; force majeure pauses every clock)');
    expect(text).toContain('K-1: force majeure 20 h, awaiting customer 0 h');
    expect(text).toContain('force majeure from 2026-03-02T09:00:00Z to 2026-03-03T05:00:00Z');
  });
});
