/** Limits of the pool events that the use cases check too (kept free of zod, so every bundle may import them). */

/** One event names at most this many units: each unit is an item of the event's one transaction (at most 100). */
export const MAX_UNITS_PER_EVENT = 90;
/** A contract names at most this many pools (each an entitlement item of its registration's transaction). */
export const MAX_CONTRACT_POOLS = 20;
