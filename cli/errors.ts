/**
 * Errors a user can fix: printed as one line (never a stack trace) with a non-zero exit status.
 * Anything else is a bug or an outage and keeps its stack. The CLI's own errors (exit statuses, usage)
 * live here, not in shared/errors.ts: no function ever throws them.
 */
import { AftercareError } from '../shared/errors.ts';

export abstract class UserFacingError extends AftercareError {
  readonly retryable = false;
  /** The process exit status. */
  abstract readonly exitCode: number;
}

/** A bad flag, a missing argument, an unknown command: exit 2, like most command-line tools. */
export class UsageError extends UserFacingError {
  readonly code = 'USAGE';
  readonly exitCode = 2;
}

/** An input file that is missing, unreadable or has bad lines. */
export class InputFileError extends UserFacingError {
  readonly code = 'INPUT_FILE';
  readonly exitCode = 1;
}

/** `--local` without a running `npm start`, or a stack file that no longer answers. */
export class LocalStackNotRunningError extends UserFacingError {
  readonly code = 'LOCAL_STACK_NOT_RUNNING';
  readonly exitCode = 1;
}

/** What the user asked for does not exist (an unknown contract, a dead letter id). */
export class NotFoundError extends UserFacingError {
  readonly code = 'NOT_FOUND';
  readonly exitCode = 1;
}

/** `send --in-order`: the queues did not empty between two runs of the file (is the intake running?). */
export class QueuesNotTakenError extends UserFacingError {
  readonly code = 'QUEUES_NOT_TAKEN';
  readonly exitCode = 1;
}
