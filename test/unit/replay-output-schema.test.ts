import { describe, expect, it } from 'vitest';
import { replayOutputSchema, toReplayContract } from '#cli/replay/output-schema.ts';
import { buildStatement } from '#domain/statement.ts';
import { aBreach, aStatementInput, at } from '#test/support/factories/contracts.ts';

/** The example of docs/design.md#replay-output-aftercare-replay---json--stable-versioned, verbatim. */
const designExample = {
  version: 1,
  asOf: '2027-01-01T00:00:00Z',
  contracts: [
    {
      contractId: 'C-1',
      serviceLevel: 'premium',
      customerName: 'Nordlys Logistikk AS',
      status: 'active',
      currency: 'NOK',
      terminationRight: { since: '2026-05-04T08:15:00Z', until: '2026-08-02T22:00:00Z' },
      years: [
        {
          index: 1,
          start: '2026-01-01',
          end: '2027-01-01',
          feeMinor: 12000000,
          breaches: { firstResponse: 2, onSite: 1, replacement: 0, resolution: 0 },
          creditsMinor: 840000,
          capMinor: 2400000,
          capReached: false,
          nextYearFeeMinor: 12000000,
          amountDueNextYearMinor: 11160000,
          visits: { count: 2, hoursOnSite: 6.5, travelHours: 5, kilometres: 412.4, nights: 1, costMinor: 1463960 },
          revenueMinor: 12000000,
          poolCarryingCostMinor: 0,
          costToServeMinor: 2303960,
          marginMinor: 9696040,
          exclusivePoolFeesMinor: 0,
        },
      ],
      months: [
        {
          month: '2026-05',
          breaches: { firstResponse: 1, onSite: 0, replacement: 0, resolution: 0 },
          decided: { firstResponse: 3, onSite: 1, replacement: 0, resolution: 3 },
          met: { firstResponse: 2, onSite: 1, replacement: 0, resolution: 3 },
          creditsMinor: 240000,
          yearIndex: 1,
          yearCreditsToDateMinor: 840000,
          capMinor: 2400000,
        },
      ],
      rejected: [{ eventId: 'E-9', reason: 'case opened outside the active period' }],
      pools: ['POOL-OSLO-1'],
      loans: [
        {
          poolId: 'POOL-OSLO-1',
          unitId: 'LX-0007',
          caseId: 'CASE-1',
          borrower: 'Fjordkraft AS',
          startedAt: '2026-03-02T08:06:00Z',
          dueAt: '2026-03-17T14:00:00Z',
          returnedAt: '2026-03-10T13:00:00Z',
          overdue: false,
          daysOut: 8,
        },
      ],
    },
  ],
  pools: [
    {
      poolId: 'POOL-OSLO-1',
      kind: 'shared',
      location: 'Oslo depot',
      units: 2,
      out: 0,
      contracts: ['C-1'],
      drawsPerYear: 10.8,
      meanTurnaroundDays: 13.8,
      pEmpty: 0.048,
      unitsNeeded: 3,
      targetAvailability: 0.99,
      refusedDraws: 1,
    },
  ],
  notices: [{ id: 'credit.issued#C-1#CASE-1#onSite', type: 'credit.issued', contractId: 'C-1', to: 'drift@fjordkraft.example', locale: 'nb', state: 'sent' }],
  deadLetters: [{ eventId: null, error: 'not JSON' }],
  economics: {
    levels: [
      {
        level: 'premium',
        currency: 'NOK',
        contracts: 1,
        revenueMinor: 12000000,
        creditsMinor: 840000,
        costsMinor: 1463960,
        marginMinor: 9696040,
        breachRate: { firstResponse: 0.1538, onSite: 0.25, replacement: null, resolution: 0 },
      },
    ],
  },
};

describe('replay output v1', () => {
  it('accepts the example of the design', () => {
    // Act
    const result = replayOutputSchema.safeParse(designExample);

    // Assess
    expect(result.success).toBe(true);
  });

  it('refuses unknown fields, a missing KPI, local-offset instants and another version', () => {
    // Prepare
    const contract = designExample.contracts[0];
    const year = contract?.years[0];
    const variants = [
      { ...designExample, extra: true },
      { ...designExample, version: 2 },
      { ...designExample, asOf: '2027-01-01T01:00:00+01:00' },
      { ...designExample, contracts: [{ ...contract, years: [{ ...year, breaches: { firstResponse: 2, onSite: 1, replacement: 0 } }] }] },
      { ...designExample, contracts: [{ ...contract, years: [{ ...year, feeMinor: 1.5 }] }] },
    ];

    // Act
    const accepted = variants.map((variant) => replayOutputSchema.safeParse(variant).success);

    // Assess
    expect(accepted).toEqual([false, false, false, false, false]);
  });

  it('maps a statement to the replay contract with UTC instants and every KPI', () => {
    // Prepare: 10 % credits, cap 20 %, so the second breach opens the right
    const reachedAt = at('2026-05-04T08:15:00Z');
    const statement = buildStatement(
      aStatementInput({
        breaches: [
          aBreach({ caseId: 'A', kpi: 'onSite', creditPercent: 10, deadline: at('2026-03-01T10:00:00Z') }),
          aBreach({ caseId: 'B', kpi: 'onSite', creditPercent: 10, deadline: reachedAt }),
        ],
        rejected: [{ eventId: 'E-9', type: 'case.opened', reason: 'case opened outside the active period' }],
        asOf: at('2026-06-01T00:00:00Z'),
      }),
    );

    // Act
    const contract = toReplayContract(statement);

    // Assess
    expect(replayOutputSchema.safeParse({ ...designExample, contracts: [contract] }).success).toBe(true);
    expect(contract.months.map((month) => [month.month, month.breaches.onSite, month.creditsMinor, month.yearCreditsToDateMinor])).toEqual([
      ['2026-01', 0, 0, 0],
      ['2026-02', 0, 0, 0],
      ['2026-03', 1, 1_200_000, 1_200_000],
      ['2026-04', 0, 0, 1_200_000],
      ['2026-05', 1, 1_200_000, 2_400_000],
      ['2026-06', 0, 0, 2_400_000],
    ]);
    expect(contract).toEqual({
      contractId: 'C-1',
      serviceLevel: statement.serviceLevel,
      months: contract.months,
      customerName: 'Fjordkraft Service AS',
      status: 'active',
      currency: 'NOK',
      terminationRight: { since: '2026-05-04T08:15:00Z', until: '2026-08-02T22:00:00Z' },
      years: [
        {
          index: 1,
          start: '2026-01-01',
          end: '2027-01-01',
          feeMinor: 12_000_000,
          breaches: { firstResponse: 0, onSite: 2, replacement: 0, resolution: 0 },
          creditsMinor: 2_400_000,
          capMinor: 2_400_000,
          capReached: true,
          nextYearFeeMinor: 12_000_000,
          amountDueNextYearMinor: 9_600_000,
          visits: { count: 0, hoursOnSite: 0, travelHours: 0, kilometres: 0, nights: 0, costMinor: 0 },
          revenueMinor: 12_000_000,
          poolCarryingCostMinor: 0,
          costToServeMinor: 2_400_000,
          marginMinor: 9_600_000,
          exclusivePoolFeesMinor: 0,
        },
      ],
      rejected: [{ eventId: 'E-9', reason: 'case opened outside the active period' }],
      pools: [],
      loans: [],
    });
  });
});
