import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawRefusal, namedDrawRefusal, unitToDraw, type PoolTerms, type PoolUnit } from '#domain/pools.ts';

const units = fc.uniqueArray(
  fc.record({ unitId: fc.stringMatching(/^U-[0-9]{1,3}$/), status: fc.constantFrom<PoolUnit['status']>('available', 'out', 'retired') }),
  { selector: (unit) => unit.unitId, maxLength: 30 },
);

const pool = (exclusiveTo: string | null): PoolTerms => ({
  poolId: 'P',
  kind: exclusiveTo === null ? 'shared' : 'exclusive',
  location: 'depot',
  holds: 'units',
  exclusiveTo: exclusiveTo === null ? null : { contractId: exclusiveTo, upFrontFee: { minor: 100, currency: 'NOK' } },
  registeredAt: 0,
});

describe('draws (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools)', () => {
  it('never take a unit that is out or retired, and find one whenever one is available', () => {
    fc.assert(
      fc.property(units, (list) => {
        const drawn = unitToDraw(list);
        if (drawn === null) expect(list.every((unit) => unit.status !== 'available')).toBe(true);
        else expect(list.find((unit) => unit.unitId === drawn.unitId)?.status).toBe('available');
      }),
    );
  });

  it('never take a named unit that is out or retired', () => {
    fc.assert(
      fc.property(units, fc.stringMatching(/^U-[0-9]{1,3}$/), (list, unitId) => {
        const refusal = namedDrawRefusal('P', list, unitId);
        const unit = list.find((u) => u.unitId === unitId);
        expect(refusal === null).toBe(unit?.status === 'available');
      }),
    );
  });

  it('never serve another contract from an exclusive pool, whatever it is entitled to', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.option(fc.string({ minLength: 1 }), { nil: null }), fc.array(fc.constantFrom('P', 'Q')), (owner, drawer, entitled) => {
        const refusal = drawRefusal(pool(owner), drawer, entitled);
        expect(refusal === null).toBe(drawer === owner);
      }),
    );
  });

  it('serve a contract from a shared pool only when it is entitled to it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.array(fc.constantFrom('P', 'Q')), (drawer, entitled) => {
        expect(drawRefusal(pool(null), drawer, entitled) === null).toBe(entitled.includes('P'));
      }),
    );
  });
});
