/**
 * Service-level rules that need no I/O: which KPI terms apply to a case of a given priority.
 */
import { KPIS, type Kpi, type KpiTerms, type Priority, type ServiceLevel } from './model.ts';

/**
 * The KPI terms for a case of `priority`: the level's terms with that priority's overrides applied
 * field by field (docs/design.md#3-the-catalog-calendars-and-service-levels). An override of a KPI the level lacks applies only when it is complete.
 */
export function resolveKpiTerms(level: ServiceLevel, priority: Priority): Partial<Record<Kpi, KpiTerms>> {
  const overrides = level.byPriority[priority] ?? {};
  const resolved: Partial<Record<Kpi, KpiTerms>> = {};
  for (const kpi of KPIS) {
    const base = level.kpis[kpi];
    const override = overrides[kpi] ?? {};
    const targetMs = override.targetMs ?? base?.targetMs;
    const calendar = override.calendar ?? base?.calendar;
    const creditPercent = override.creditPercent ?? base?.creditPercent;
    if (targetMs !== undefined && calendar !== undefined && creditPercent !== undefined) {
      resolved[kpi] = { targetMs, calendar, creditPercent };
    }
  }
  return resolved;
}
