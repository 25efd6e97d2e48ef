/**
 * The public event contract v1 (docs/design.md#6-the-event-contract-v1): one strict zod schema per event type and their union.
 * These schemas are the source of truth; schemas/events.v1.json is generated from them.
 * `zod/mini`, as in `./fields.ts` (which also sets the English messages).
 */
import * as z from 'zod/mini';
import { feeAmountIssue } from './decimal-amount.ts';
import { amount, currency, describe, identifier, localDate, occurredAt, timeZone } from './fields.ts';
import { MAX_CONTRACT_POOLS, MAX_UNITS_PER_EVENT } from './limits.ts';

const envelope = {
  eventId: identifier('Unique per source (1–128 chars); a redelivered event with the same source and id is ignored.'),
  source: z
    .optional(z.string().check(z.regex(/^[a-z0-9._-]{1,64}$/, { message: 'must be 1–64 characters of a-z, 0-9, ".", "_" and "-"' })))
    .check(describe('The integration that sent the event, e.g. `zendesk` or `crm` (1–64 chars of `a-z0-9._-`); default `default`. Identity is source and eventId together.')),
  occurredAt,
  contractId: identifier('The contract this event belongs to (1–128 chars).'),
};

/** Pool and loan events belong to a pool, not to one contract (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools). */
const poolEnvelope = {
  eventId: envelope.eventId,
  source: envelope.source,
  occurredAt,
};


const poolId = identifier('The pool: a stock of loan units or spare parts at one location (1–128 chars).');
const unitId = identifier('One unit of a pool, unique within the pool (1–128 chars): a serial number or asset tag.');

/** A list whose entries must differ: the path of the second occurrence is named. */
function uniqueEntries(what: string) {
  return z.superRefine((entries: readonly string[], context) => {
    const seen = new Set<string>();
    for (const [index, entry] of entries.entries()) {
      if (seen.has(entry)) context.addIssue({ code: 'custom', path: [index], message: `${what} "${entry}" is listed twice`, input: entry });
      seen.add(entry);
    }
  });
}

const unitList = (what: string) =>
  z.optional(z.array(unitId).check(z.maxLength(MAX_UNITS_PER_EVENT), uniqueEntries('unit'))).check(describe(what));

const caseEnvelope = {
  ...envelope,
  caseId: identifier('The support case, unique within the contract (1–128 chars).'),
};

export const customerSchema = z
  .strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(200), describe('Customer name as shown in notices.')),
    email: z.email().check(z.maxLength(254), describe('Address every customer notice is sent to.')),
    locale: z.enum(['nb', 'en']).check(describe('Language of the notices: `nb` (Norwegian Bokmål) or `en`.')),
  })
  .check(describe('Who receives the notices.'));

export const annualFeeSchema = z
  .strictObject({ amount, currency })
  .check(
    // The decimals an amount may have depend on its currency, so this rule is checked on the pair.
    z.superRefine((fee, context) => {
      const issue = feeAmountIssue(fee.amount, fee.currency);
      if (issue !== null) context.addIssue({ code: 'custom', path: ['amount'], message: issue, input: fee.amount });
    }),
    describe(
      "The yearly fee; service credits are a percentage of it. `amount` has at most the currency's ISO 4217 " +
        'minor-unit digits: 2 for NOK, EUR, USD; 0 for JPY, ISK; 3 for KWD (JPY 1000.5 and NOK 1.234 are refused).',
    ),
  );

export const contractRegisteredSchema = z
  .strictObject({
    ...envelope,
    type: z.literal('contract.registered'),
    customer: customerSchema,
    serviceLevel: z
      .string()
      .check(z.minLength(1), z.maxLength(64), describe('Key of a service level in the catalog, e.g. `premium`.')),
    annualFee: annualFeeSchema,
    startDate: localDate('First day of contract year 1 in `timeZone`'),
    timeZone: z._default(timeZone, 'Europe/Oslo'),
    bindingYears: z
      ._default(z.int().check(z.gte(1), z.lte(5)), 1)
      .check(describe('Length of the first term in years (1–5).')),
    autoRenew: z
      ._default(z.boolean(), true)
      .check(describe('Whether each term end without termination starts a new one-year term.')),
    noticeDays: z
      ._default(z.int().check(z.gte(0), z.lte(1825)), 90)
      .check(describe('Days of notice a termination by notice needs before a term end.')),
    reminderDays: z
      .optional(z.array(z.int().check(z.gte(1), z.lte(1825))).check(z.maxLength(10)))
      .check(describe('Days before a term end on which the customer is reminded; default `[noticeDays + 30, 30]`.')),
    pools: z
      .optional(z.array(poolId).check(z.maxLength(MAX_CONTRACT_POOLS), uniqueEntries('pool')))
      .check(
        describe(
          `The loan-unit and spare-parts pools the contract is entitled to draw from (at most ${MAX_CONTRACT_POOLS}; docs/design.md#10-service-structures-loan-units-and-spare-parts-pools).`,
        ),
      ),
  })
  .check(describe('A contract is registered (or its registration is replayed).'));

export const terminationRequestedSchema = z
  .strictObject({
    ...envelope,
    type: z.literal('contract.termination_requested'),
    reason: z
      .enum(['notice', 'credit_cap_breach'])
      .check(
        describe('`notice`: at the first term end after the notice period; `credit_cap_breach`: needs a termination right.'),
      ),
    effectiveDate: z.optional(localDate('For `credit_cap_breach`: the date the contract ends; at once when absent')),
  })
  .check(describe('The customer asks to end the contract.'));

/** Fields of an amendment that take effect from `fromYear` (docs/design.md#12-contract-changes-and-billing). */
const FROM_YEAR_FIELDS = ['annualFee', 'serviceLevel', 'autoRenew', 'noticeDays', 'reminderDays'] as const;
const AMENDABLE_FIELDS = ['customer', 'pools', ...FROM_YEAR_FIELDS] as const;

export const contractAmendedSchema = z
  .strictObject({
    ...envelope,
    type: z.literal('contract.amended'),
    customer: z
      .optional(
        z.strictObject({
          name: z.optional(customerSchema.shape.name),
          email: z.optional(customerSchema.shape.email),
          locale: z.optional(customerSchema.shape.locale),
        }),
      )
      .check(
        describe(
          'New contact details, at once: later notices go to the new address, and an address suppressed after a bounce or ' +
            'complaint is released. Give only the fields that change.',
        ),
      ),
    pools: z
      .optional(z.array(identifier('A pool id (1–128 chars).')).check(z.maxLength(50)))
      .check(describe('The pools the contract is entitled to from now on (replaces the list; `[]` for none).')),
    fromYear: z
      .optional(z.int().check(z.gte(1), z.lte(100)))
      .check(
        describe(
          'The first contract year the fee, service level and renewal terms apply to; it must not have begun when the ' +
            'amendment occurred. Required with any of them.',
        ),
      ),
    annualFee: z.optional(annualFeeSchema).check(describe('The annual fee from `fromYear` on (e.g. indexed); same currency.')),
    serviceLevel: z
      .optional(z.string().check(z.minLength(1), z.maxLength(64)))
      .check(describe('The service level from `fromYear` on; a case keeps the level in force when it opened.')),
    autoRenew: z.optional(z.boolean()).check(describe('Whether the terms beginning in `fromYear` or later renew.')),
    noticeDays: z
      .optional(z.int().check(z.gte(0), z.lte(1825)))
      .check(describe('Days of notice for the terms beginning in `fromYear` or later.')),
    reminderDays: z
      .optional(z.array(z.int().check(z.gte(1), z.lte(1825))).check(z.maxLength(10)))
      .check(describe('Reminder days before the end of the terms beginning in `fromYear` or later.')),
  })
  .check(
    z.superRefine((event, context) => {
      if (!AMENDABLE_FIELDS.some((field) => event[field] !== undefined)) {
        context.addIssue({ code: 'custom', path: [], message: `changes nothing: give at least one of ${AMENDABLE_FIELDS.join(', ')}`, input: event });
      }
      const dated = FROM_YEAR_FIELDS.filter((field) => event[field] !== undefined);
      if (dated.length > 0 && event.fromYear === undefined) {
        context.addIssue({ code: 'custom', path: ['fromYear'], message: `is required with ${dated.join(', ')}`, input: event });
      }
      if (event.customer !== undefined && Object.keys(event.customer).length === 0) {
        context.addIssue({ code: 'custom', path: ['customer'], message: 'names no field: give name, email or locale', input: event.customer });
      }
    }),
    describe('A registered contract changes: contact and pools at once, fee, service level and renewal terms from a contract year on.'),
  );

export const caseOpenedSchema = z
  .strictObject({
    ...caseEnvelope,
    type: z.literal('case.opened'),
    priority: z
      .optional(z.enum(['critical', 'high', 'normal', 'low']))
      .check(describe('Case priority; default `normal`.')),
    onSiteRequired: z.optional(z.boolean()).check(describe('Start the on-site clock now.')),
    replacementRequired: z
      .optional(z.boolean())
      .check(describe('Start the replacement (loan unit, spare part) clock now.')),
    summary: z
      .optional(z.string().check(z.maxLength(500)))
      .check(describe('Short description for notices and statements (≤ 500 chars).')),
  })
  .check(describe('A support case is opened: starts the first-response and resolution clocks.'));

export const casePausedSchema = z
  .strictObject({
    ...caseEnvelope,
    type: z.literal('case.paused'),
    reason: z
      .enum(['awaiting_customer', 'force_majeure'])
      .check(describe('`awaiting_customer` pauses all running clocks but first response; `force_majeure` pauses all.')),
  })
  .check(describe('The case waits for something outside the provider’s control.'));

/** Hours or kilometres: non-negative, at most two decimals (judged by the JSON text, like amounts), at most `max`. */
const quantity = (max: number, what: string) =>
  z
    .number()
    .check(
      z.nonnegative({ message: 'must not be negative' }),
      z.lte(max),
      z.refine((value) => /^\d+(?:\.\d{1,2})?$/.test(String(value)), { message: 'must have at most 2 decimals' }),
      describe(what),
    );

export const otherCostSchema = z
  .strictObject({
    description: z.string().check(z.minLength(1), z.maxLength(200), describe('What it was, e.g. `ferry Bodø–Moskenes`.')),
    amount,
    currency,
  })
  .check(
    z.superRefine((cost, context) => {
      const issue = feeAmountIssue(cost.amount, cost.currency);
      if (issue !== null) context.addIssue({ code: 'custom', path: ['amount'], message: issue, input: cost.amount });
    }),
    describe('Another cost of the visit, in its own currency (converted by the catalog’s `costs.exchangeRates`).'),
  );

export const caseVisitReportedSchema = z
  .strictObject({
    ...caseEnvelope,
    type: z.literal('case.visit_reported'),
    visitId: identifier('The visit, unique within its case (1–128 chars): the same visit reported again is applied once.'),
    hoursOnSite: quantity(1000, 'Hours the technician spent on site (at most 2 decimals).'),
    travelHours: z._default(quantity(1000, 'Hours travelling, both ways (at most 2 decimals); default 0.'), 0),
    kilometres: z._default(quantity(100_000, 'Kilometres driven, both ways (at most 2 decimals); default 0.'), 0),
    nights: z
      ._default(z.int().check(z.gte(0), z.lte(366)), 0)
      .check(describe('Nights away (0–366); default 0.')),
    otherCosts: z
      ._default(z.array(otherCostSchema).check(z.maxLength(20)), [])
      .check(describe('Other costs (at most 20): tolls, ferries, parking, a part bought on the way.')),
    country: z
      .optional(z.string().check(z.regex(/^[A-Z]{2}$/, { message: 'must be a 2-letter country code (ISO 3166-1), e.g. NO' })))
      .check(describe('Where the visit took place (ISO 3166-1 alpha-2, e.g. `SE`): its rates apply where the catalog has them.')),
  })
  .check(
    describe(
      'A technician’s visit on the case, with what it took: priced at the catalog’s `costs`; `occurredAt` is when the visit took place.',
    ),
  );

function plainCaseEvent<T extends string>(type: T, description: string) {
  return z.strictObject({ ...caseEnvelope, type: z.literal(type) }).check(describe(description));
}

export const caseOnsiteRequestedSchema = plainCaseEvent(
  'case.onsite_requested',
  'A technician on site is requested: starts the on-site clock.',
);
export const caseReplacementRequestedSchema = z
  .strictObject({
    ...caseEnvelope,
    type: z.literal('case.replacement_requested'),
    poolId: z
      .optional(poolId)
      .check(
        describe(
          'The pool the replacement comes from: a unit is reserved for the case at once; an empty pool (or one the contract may not draw from) is refused and alerted, the clock runs as before.',
        ),
      ),
  })
  .check(describe('A loan unit or spare part is requested: starts the replacement clock.'));
export const caseResumedSchema = plainCaseEvent('case.resumed', 'A paused case resumes.');
export const caseRespondedSchema = plainCaseEvent('case.responded', 'First response given: stops the first-response clock.');
export const caseTechnicianArrivedSchema = plainCaseEvent(
  'case.technician_arrived',
  'The technician is on site: stops the on-site clock.',
);
export const caseReplacementDeliveredSchema = z
  .strictObject({
    ...caseEnvelope,
    type: z.literal('case.replacement_delivered'),
    poolId: z.optional(poolId).check(describe('The pool the delivered unit left (with `unitId`).')),
    unitId: z.optional(unitId).check(describe('The unit delivered: it is out on loan to the contract until `loan.returned`.')),
  })
  .check(
    z.refine((event) => event.unitId === undefined || event.poolId !== undefined, {
      message: '`unitId` needs the `poolId` it belongs to',
      path: ['poolId'],
    }),
    describe('The loan unit or spare part is delivered: stops the replacement clock.'),
  );

export const poolRegisteredSchema = z
  .strictObject({
    ...poolEnvelope,
    type: z.literal('pool.registered'),
    poolId,
    kind: z
      .enum(['exclusive', 'shared'])
      .check(
        describe('`exclusive`: dedicated to one contract (`contractId`), paid for up front (`upFrontFee`); `shared`: serves every contract entitled to it.'),
      ),
    location: z.string().check(z.minLength(1), z.maxLength(200), describe('Where the units are kept, e.g. `Oslo depot`.')),
    holds: z
      .string()
      .check(z.minLength(1), z.maxLength(200), describe('What the pool holds, as the customer names it, e.g. `Loan printer LX-500`.')),
    units: z
      .array(unitId)
      .check(z.minLength(1), z.maxLength(MAX_UNITS_PER_EVENT), uniqueEntries('unit'), describe(`The units, 1–${MAX_UNITS_PER_EVENT} distinct ids.`)),
    contractId: z.optional(identifier('The one contract an exclusive pool serves.')),
    upFrontFee: z.optional(annualFeeSchema).check(describe("An exclusive pool's up-front fee (part of its contract's revenue).")),
  })
  .check(
    z.superRefine((event, context) => {
      const exclusive = event.kind === 'exclusive';
      for (const field of ['contractId', 'upFrontFee'] as const) {
        if (exclusive && event[field] === undefined) {
          context.addIssue({ code: 'custom', path: [field], message: `an exclusive pool needs \`${field}\``, input: event });
        }
        if (!exclusive && event[field] !== undefined) {
          context.addIssue({ code: 'custom', path: [field], message: `a shared pool has no \`${field}\``, input: event[field] });
        }
      }
    }),
    describe('A pool of loan units or spare parts is set up.'),
  );

export const poolUnitsChangedSchema = z
  .strictObject({
    ...poolEnvelope,
    type: z.literal('pool.units_changed'),
    poolId,
    added: unitList('New units (restock): none may be in the pool already.'),
    removed: unitList('Units taken out of the pool (sold, scrapped): each must be in the pool and not out on loan.'),
    consumed: unitList('Units out on loan that were used up (a spare part fitted): their loans end, the units leave the pool.'),
  })
  .check(
    z.refine((event) => [event.added, event.removed, event.consumed].some((list) => list !== undefined && list.length > 0), {
      message: 'names no unit: give at least one of `added`, `removed`, `consumed`',
    }),
    describe('Units are added to a pool, taken out of it, or consumed.'),
  );

export const loanStartedSchema = z
  .strictObject({
    ...poolEnvelope,
    type: z.literal('loan.started'),
    poolId,
    unitId,
    contractId: z.optional(
      identifier('The contract the loan is drawn for (its entitlement is checked); absent for a prospect without a contract.'),
    ),
    borrower: customerSchema.check(describe('Who holds the unit and receives the return reminder.')),
    dueDate: localDate('The last day of the loan, in `timeZone`: reminded before, alerted to operations after'),
    timeZone: z._default(timeZone, 'Europe/Oslo'),
  })
  .check(describe('A unit is lent without a case: a demonstration loan.'));

export const loanReturnedSchema = z
  .strictObject({
    ...poolEnvelope,
    type: z.literal('loan.returned'),
    poolId,
    unitId,
  })
  .check(describe('A unit out on loan is back in its pool.'));
export const caseResolvedSchema = plainCaseEvent('case.resolved', 'The case is resolved: stops every running clock.');
export const caseCancelledSchema = plainCaseEvent(
  'case.cancelled',
  'The case is cancelled: stops every running clock without breach.',
);

/** Every v1 event, in the tie-break order of docs/design.md#6-the-event-contract-v1. */
export const eventV1 = z.discriminatedUnion('type', [
  contractRegisteredSchema,
  terminationRequestedSchema,
  contractAmendedSchema,
  poolRegisteredSchema,
  poolUnitsChangedSchema,
  loanStartedSchema,
  loanReturnedSchema,
  caseOpenedSchema,
  caseOnsiteRequestedSchema,
  caseReplacementRequestedSchema,
  casePausedSchema,
  caseResumedSchema,
  caseRespondedSchema,
  caseTechnicianArrivedSchema,
  caseReplacementDeliveredSchema,
  caseVisitReportedSchema,
  caseResolvedSchema,
  caseCancelledSchema,
]);

/** A parsed v1 event: defaults applied (except `reminderDays`, which depends on `noticeDays`). */
export type AftercareEventV1 = z.infer<typeof eventV1>;
/** What an integration may send: fields with defaults are optional. */
export type AftercareEventV1Input = z.input<typeof eventV1>;

export type ContractRegisteredV1 = z.infer<typeof contractRegisteredSchema>;
export type TerminationRequestedV1 = z.infer<typeof terminationRequestedSchema>;
export type ContractAmendedV1 = z.infer<typeof contractAmendedSchema>;
export type CaseOpenedV1 = z.infer<typeof caseOpenedSchema>;
export type CaseOnsiteRequestedV1 = z.infer<typeof caseOnsiteRequestedSchema>;
export type CaseReplacementRequestedV1 = z.infer<typeof caseReplacementRequestedSchema>;
export type CasePausedV1 = z.infer<typeof casePausedSchema>;
export type CaseResumedV1 = z.infer<typeof caseResumedSchema>;
export type CaseRespondedV1 = z.infer<typeof caseRespondedSchema>;
export type CaseTechnicianArrivedV1 = z.infer<typeof caseTechnicianArrivedSchema>;
export type CaseReplacementDeliveredV1 = z.infer<typeof caseReplacementDeliveredSchema>;
export type CaseVisitReportedV1 = z.infer<typeof caseVisitReportedSchema>;
export type CaseResolvedV1 = z.infer<typeof caseResolvedSchema>;
export type CaseCancelledV1 = z.infer<typeof caseCancelledSchema>;

export type PoolRegisteredV1 = z.infer<typeof poolRegisteredSchema>;
export type PoolUnitsChangedV1 = z.infer<typeof poolUnitsChangedSchema>;
export type LoanStartedV1 = z.infer<typeof loanStartedSchema>;
export type LoanReturnedV1 = z.infer<typeof loanReturnedSchema>;

export type ContractEventV1 = ContractRegisteredV1 | TerminationRequestedV1 | ContractAmendedV1;
/** Events of a pool and its loans (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools): on the contracts queue, with no contract of their own. */
export type PoolEventV1 = PoolRegisteredV1 | PoolUnitsChangedV1 | LoanStartedV1 | LoanReturnedV1;
export type CaseEventV1 = Exclude<AftercareEventV1, ContractEventV1 | PoolEventV1>;
/** Every event that belongs to one contract. */
export type ContractBoundEventV1 = Exclude<AftercareEventV1, PoolEventV1>;

