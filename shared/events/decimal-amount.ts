/**
 * The amount rule both the schema and the mapping to minor units use. Kept apart from `fields.ts`
 * (which builds zod schemas when loaded) so that mapping an already-parsed event, as the sweep does for
 * parked events, does not bring zod into a bundle.
 */

/** A non-negative amount with at most two decimals and at most 13 integer digits, so minor units stay exact. */
export const DECIMAL_AMOUNT = /^(0|[1-9]\d{0,12})(?:\.(\d{1,2}))?$/;
export const MAX_AMOUNT = 9_999_999_999_999.99;
