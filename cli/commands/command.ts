/** One subcommand: its name, its --help text and its run (the one-line summary is in main.ts's list). */
import type { Output } from '../output.ts';

export interface Command {
  readonly name: string;
  readonly usage: string;
  /** Resolves to the exit status. */
  run(argv: readonly string[], output: Output): Promise<number>;
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
