/**
 * A throw as the rejection an async function would have returned: for functions that return a promise
 * without an async frame of their own (they run per event), so a synchronous throw still reaches the
 * caller as a rejection.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- the throw is what makes the rejection
export const rejectedWith = async (error: unknown): Promise<never> => {
  throw error;
};
