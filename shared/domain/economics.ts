/**
 * The economics of a contract year and of a service level (docs/design.md#11-on-site-visits-and-the-economics-of-a-contract): revenue (the
 * fee and exclusive pool fees) less credits, visit costs and the pools' carrying cost; the same
 * against the liability cap; and per service level across a portfolio. Integer minor units only.
 */
import { KPIS, type CostRates, type Kpi, type ReportedVisit } from './model.ts';
import { hundredths, shareInContractCurrency, type PricedAmount } from './visit-cost.ts';

/**
 * A pool a contract was entitled to in a contract year, as plain figures (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools):
 * units held over the year, this contract's draws and every entitled contract's draws on it that year.
 */
export interface PoolHolding {
  readonly poolId: string;
  readonly kind: 'exclusive' | 'shared';
  readonly unitsHeld: number;
  readonly drawsOfContract: number;
  readonly drawsAll: number;
  /** Contracts entitled to the pool: a shared pool nobody drew from is split evenly over them. */
  readonly entitledContracts: number;
  /** An exclusive pool's fee for the year, in the contract's currency (revenue); 0 for a shared pool. */
  readonly exclusiveFeeMinor: number;
}

export interface PoolYearCost {
  readonly poolId: string;
  readonly carryingCost: PricedAmount;
  readonly exclusiveFeeMinor: number;
}

/**
 * A pool's carrying cost for one contract year: `costs.poolUnitYearlyMinor` per unit held; an exclusive
 * pool's all to its contract (its fee is revenue), a shared pool's by this contract's share of the
 * year's draws (evenly over the entitled contracts when nobody drew). Rounded half up once per pool.
 */
export function poolYearCost(holding: PoolHolding, rates: CostRates, contractCurrency: string): PoolYearCost {
  const yearlyMinor = holding.unitsHeld * rates.poolUnitYearlyMinor;
  const [part, of] =
    holding.kind === 'exclusive'
      ? [1, 1]
      : holding.drawsAll > 0
        ? [holding.drawsOfContract, holding.drawsAll]
        : [1, Math.max(1, holding.entitledContracts)];
  return {
    poolId: holding.poolId,
    carryingCost: shareInContractCurrency(yearlyMinor, part, of, rates, contractCurrency),
    exclusiveFeeMinor: holding.kind === 'exclusive' ? holding.exclusiveFeeMinor : 0,
  };
}

export interface VisitTotals {
  readonly count: number;
  readonly hoursOnSite: number;
  readonly travelHours: number;
  readonly kilometres: number;
  readonly nights: number;
  readonly costMinor: number;
}

/** Sums of a year's visits; quantities summed in hundredths, so 0.1 + 0.2 is 0.3. */
export function visitTotals(visits: readonly ReportedVisit[]): VisitTotals {
  let onSite = 0;
  let travel = 0;
  let km = 0;
  let nights = 0;
  let costMinor = 0;
  for (const visit of visits) {
    onSite += hundredths(visit.hoursOnSite);
    travel += hundredths(visit.travelHours);
    km += hundredths(visit.kilometres);
    nights += visit.nights;
    costMinor += visit.costMinor;
  }
  return { count: visits.length, hoursOnSite: onSite / 100, travelHours: travel / 100, kilometres: km / 100, nights, costMinor };
}

export interface YearEconomicsInput {
  readonly feeMinor: number;
  readonly creditsMinor: number;
  readonly visits: readonly ReportedVisit[];
  readonly pools: readonly PoolYearCost[];
  readonly liabilityCapMinor: number;
}

export interface YearEconomics {
  readonly visits: VisitTotals;
  /** The year's fee and its exclusive pool fees. */
  readonly revenueMinor: number;
  readonly exclusivePoolFeesMinor: number;
  readonly poolCarryingCostMinor: number;
  readonly creditsMinor: number;
  /** Visits and pool carrying cost. */
  readonly costsMinor: number;
  /** Costs and credits: what serving the year took. */
  readonly costToServeMinor: number;
  /** Revenue − credits − costs (negative when the year lost money). */
  readonly marginMinor: number;
  /** Credits and cost to serve against the liability cap, in % with one decimal; null when the cap is 0. */
  readonly liability: {
    readonly capMinor: number;
    readonly creditsPercentOfCap: number | null;
    readonly costToServePercentOfCap: number | null;
  };
  /** Pools whose carrying cost could not be priced (no exchange rate), with the reason; they count 0. */
  readonly unpriced: readonly string[];
}

function percentOf(part: number, whole: number): number | null {
  return whole <= 0 ? null : Math.round((part * 1000) / whole) / 10;
}

export function yearEconomics(input: YearEconomicsInput): YearEconomics {
  const visits = visitTotals(input.visits);
  let poolCarryingCostMinor = 0;
  let exclusivePoolFeesMinor = 0;
  const unpriced: string[] = [];
  for (const pool of input.pools) {
    exclusivePoolFeesMinor += pool.exclusiveFeeMinor;
    if (pool.carryingCost.kind === 'priced') poolCarryingCostMinor += pool.carryingCost.costMinor;
    else unpriced.push(`pool ${pool.poolId}: ${pool.carryingCost.reason}`);
  }
  const revenueMinor = input.feeMinor + exclusivePoolFeesMinor;
  const costsMinor = visits.costMinor + poolCarryingCostMinor;
  const costToServeMinor = costsMinor + input.creditsMinor;
  return {
    visits,
    revenueMinor,
    exclusivePoolFeesMinor,
    poolCarryingCostMinor,
    creditsMinor: input.creditsMinor,
    costsMinor,
    costToServeMinor,
    marginMinor: revenueMinor - costToServeMinor,
    liability: {
      capMinor: input.liabilityCapMinor,
      creditsPercentOfCap: percentOf(input.creditsMinor, input.liabilityCapMinor),
      costToServePercentOfCap: percentOf(costToServeMinor, input.liabilityCapMinor),
    },
    unpriced,
  };
}

/** Decided clocks of a KPI in a year: how many, and how many of them breached. */
export interface ClockCounts {
  readonly decided: number;
  readonly breached: number;
}

/** One contract year as the portfolio sums it. */
export interface PortfolioYear {
  readonly economics: YearEconomics;
  readonly clocks: Readonly<Record<Kpi, ClockCounts>>;
}

export interface PortfolioContract {
  readonly serviceLevel: string;
  readonly currency: string;
  readonly years: readonly PortfolioYear[];
}

export interface LevelEconomics {
  readonly level: string;
  readonly currency: string;
  readonly contracts: number;
  readonly revenueMinor: number;
  readonly creditsMinor: number;
  readonly costsMinor: number;
  readonly marginMinor: number;
  /** Per KPI: breached ÷ decided clocks over every year of the level's contracts (4 decimals); null when none was decided. */
  readonly breachRate: Readonly<Record<Kpi, number | null>>;
}

/** Per service level (and currency: money of two currencies is never added) across a portfolio, sorted by level then currency. */
export function levelEconomics(contracts: readonly PortfolioContract[]): LevelEconomics[] {
  const rows = new Map<string, { level: string; currency: string; contracts: number; revenue: number; credits: number; costs: number; margin: number; clocks: Record<Kpi, { decided: number; breached: number }> }>();
  for (const contract of contracts) {
    const key = `${contract.serviceLevel}\u0000${contract.currency}`;
    const row = rows.get(key) ?? {
      level: contract.serviceLevel,
      currency: contract.currency,
      contracts: 0,
      revenue: 0,
      credits: 0,
      costs: 0,
      margin: 0,
      clocks: Object.fromEntries(KPIS.map((kpi) => [kpi, { decided: 0, breached: 0 }])) as Record<Kpi, { decided: number; breached: number }>,
    };
    row.contracts += 1;
    for (const year of contract.years) {
      row.revenue += year.economics.revenueMinor;
      row.credits += year.economics.creditsMinor;
      row.costs += year.economics.costsMinor;
      row.margin += year.economics.marginMinor;
      for (const kpi of KPIS) {
        row.clocks[kpi].decided += year.clocks[kpi].decided;
        row.clocks[kpi].breached += year.clocks[kpi].breached;
      }
    }
    rows.set(key, row);
  }
  return [...rows.values()]
    .sort((a, b) => (a.level === b.level ? (a.currency < b.currency ? -1 : 1) : a.level < b.level ? -1 : 1))
    .map((row) => ({
      level: row.level,
      currency: row.currency,
      contracts: row.contracts,
      revenueMinor: row.revenue,
      creditsMinor: row.credits,
      costsMinor: row.costs,
      marginMinor: row.margin,
      breachRate: Object.fromEntries(
        KPIS.map((kpi) => {
          const { decided, breached } = row.clocks[kpi];
          return [kpi, decided === 0 ? null : Math.round((breached * 10_000) / decided) / 10_000];
        }),
      ) as Record<Kpi, number | null>,
    }));
}
