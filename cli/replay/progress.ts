/** A progress bar on stderr for long replays; silent when stderr is not a terminal (pipes, CI, --json captures). */
import { toIso } from '#domain/time.ts';
import type { Output } from '../output.ts';
import type { ReplayProgress } from './run-replay.ts';

const WIDTH = 30;
/** Redraw at most this often: a bar that repaints per event costs more than it shows. */
const REDRAW_MS = 100;

export function progressBar(output: Output): { update(progress: ReplayProgress): void; done(): void } {
  if (!output.errIsTty) return { update: () => undefined, done: () => undefined };
  let drawnAt = 0;
  let drawn = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - drawnAt < REDRAW_MS && progress.delivered < progress.total) return;
      drawnAt = now;
      drawn = true;
      const share = progress.total === 0 ? 1 : progress.delivered / progress.total;
      const filled = Math.round(share * WIDTH);
      output.err(
        `\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${progress.delivered}/${progress.total} events, virtual time ${toIso(progress.at)}\r`,
      );
    },
    done() {
      if (drawn) output.err(`\r${' '.repeat(WIDTH + 80)}\r`);
    },
  };
}
