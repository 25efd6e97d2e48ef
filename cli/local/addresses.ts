/** The local stack's sender and operator addresses (stack.ts, replay's engines), in a module of their own so a caller needs no stack to name them. */
export const LOCAL_SENDER = 'aftercare@provider.example';
export const LOCAL_OPERATOR = 'drift@provider.example';
