/** Where commands write: stdout for results, stderr for progress and diagnostics. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly errIsTty: boolean;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') || text.endsWith('\r') ? text : `${text}\n`),
  errIsTty: process.stderr.isTTY,
};
