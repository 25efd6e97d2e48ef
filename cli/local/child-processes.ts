/**
 * Every emulator process we spawn, killed with its whole process group when we stop, exit or get
 * SIGINT/SIGTERM, so a JVM never outlives the test run or `npm start` that started it.
 */
import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
let hooksInstalled = false;

export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  installHooks();
}

/** SIGTERM to the group, SIGKILL after `graceMs` if it is still there; resolves when the process is gone. */
export async function terminate(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the group the detached child leads (java and anything it forked).
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function killAllNow(): void {
  for (const child of running) signalGroup(child, 'SIGKILL');
  running.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllNow();
      // Only we listen: restore the default so the process still ends as the signal intends.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}
