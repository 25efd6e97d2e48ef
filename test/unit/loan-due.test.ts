/**
 * When a loan is due and when it is overdue (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools):
 * a case loan is due `loanReturnDays` (the service level's, default 14) after its case ended; a
 * demonstration loan on its own due date; a loan is overdue once that instant has passed and it is not back.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCatalog, DEFAULT_CATALOG_PATH } from '#config/catalog.ts';
import { DAY_MS, daysOut, DEFAULT_LOAN_RETURN_DAYS, isOverdue, loanDueAt } from '#domain/pools.ts';
import { catalogRuntime } from '#usecases/runtime.ts';
import { aLoan } from '#test/support/factories/loans.ts';

const at = (iso: string): number => Date.parse(iso);

describe('the due date of a loan', () => {
  it('is loanReturnDays after its case ended, and not yet set while the case is open', () => {
    // Prepare
    const loan = aLoan();

    // Act
    const open = loanDueAt(loan, null, 14);
    const resolved = loanDueAt(loan, at('2026-03-05T15:00:00Z'), 14);
    const faster = loanDueAt(loan, at('2026-03-05T15:00:00Z'), 7);

    // Assess
    expect(open).toBeNull();
    expect(resolved).toBe(at('2026-03-19T15:00:00Z'));
    expect(faster).toBe(at('2026-03-12T15:00:00Z'));
  });

  it('counts from the draw when the case ended before the unit went out', () => {
    // A unit delivered after the case was already resolved: its loanReturnDays start at the draw.
    expect(loanDueAt(aLoan(), at('2026-03-01T12:00:00Z'), 14)).toBe(at('2026-03-02T09:00:00Z') + 14 * DAY_MS);
  });

  it('is a demonstration loan’s own due instant, whatever the level says', () => {
    const demo = aLoan({ contractId: null, caseId: null, dueAt: at('2026-02-20T22:59:59.999Z') });
    expect(loanDueAt(demo, null, 14)).toBe(at('2026-02-20T22:59:59.999Z'));
    expect(loanDueAt(demo, at('2026-01-01T00:00:00Z'), 3)).toBe(at('2026-02-20T22:59:59.999Z'));
  });

  it('takes the service level’s loanReturnDays from the catalog, 14 when the level names none', () => {
    // Prepare: the default catalog's levels, one of them given 7 days
    const file = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, 'utf8')) as { serviceLevels: Record<string, Record<string, unknown>> };
    file.serviceLevels.premium = { ...file.serviceLevels.premium, loanReturnDays: 7 };

    // Act
    const runtime = catalogRuntime(compileCatalog(file));

    // Assess
    expect(runtime.loanReturnDays('premium')).toBe(7);
    expect(runtime.loanReturnDays('standard')).toBe(DEFAULT_LOAN_RETURN_DAYS);
    expect(DEFAULT_LOAN_RETURN_DAYS).toBe(14);
  });
});

describe('an overdue loan', () => {
  const dueAt = at('2026-03-19T15:00:00Z');

  it('is one still out after its due instant, not at it', () => {
    expect(isOverdue(aLoan(), dueAt, dueAt)).toBe(false);
    expect(isOverdue(aLoan(), dueAt, dueAt + 1)).toBe(true);
  });

  it('is never one that came back, nor one without a due date yet (its case still open)', () => {
    expect(isOverdue(aLoan({ endedAt: at('2026-03-25T10:00:00Z'), endedBy: 'returned' }), dueAt, at('2026-04-01T00:00:00Z'))).toBe(false);
    expect(isOverdue(aLoan(), null, at('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('counts whole days out: up to now while out, up to its return once back', () => {
    expect(daysOut(aLoan(), at('2026-03-05T08:59:59Z'))).toBe(2);
    expect(daysOut(aLoan(), at('2026-03-05T09:00:00Z'))).toBe(3);
    expect(daysOut(aLoan({ endedAt: at('2026-03-12T09:00:00Z'), endedBy: 'returned' }), at('2026-06-01T00:00:00Z'))).toBe(10);
  });
});
