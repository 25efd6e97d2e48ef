/** Why the local stack could not start, in one line that says what to do about it. */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  readonly code = 'EMULATOR_UNAVAILABLE';
}
