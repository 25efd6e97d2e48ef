/**
 * Why the local stack could not start, in one line that says what to do about it. CLI-only (never an
 * outcome of a function), so it stays beside the local stack rather than in shared/errors.ts.
 */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  readonly code = 'EMULATOR_UNAVAILABLE';
}
