/**
 * The schedules of the running local stack on the wall clock: the sweep at every minute boundary, the
 * lifecycle at 06:00 Europe/Oslo, notices handed to the notifier as soon as the stack sees them created
 * (and a scan of the outbox for anything else that came due, e.g. from `aftercare lifecycle --local`).
 */
import { localLambdaContext } from './lambda-context.ts';
import { lifecycleRunAtOrAfter, minuteAtOrAfter } from './schedules.ts';
import type { LocalStack } from './stack.ts';

const CREATED_NOTICES_EVERY_MS = 500;
const OUTBOX_SCAN_EVERY_MS = 5_000;

export interface LocalScheduler {
  runSweep(): Promise<void>;
  runLifecycle(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(stack: LocalStack, report: (line: string) => void, onError: (what: string, error: unknown) => void): LocalScheduler {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const inFlight = new Set<Promise<void>>();

  /** Runs `work` unless stopped, remembering it so stop() can wait for it. */
  const run = (what: string, work: () => Promise<void>): Promise<void> => {
    if (stopped) return Promise.resolve();
    const running = work().catch((error: unknown) => onError(what, error));
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
    return running;
  };
  const at = (instant: number, what: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      what();
    }, Math.max(0, instant - Date.now()));
    timers.add(timer);
  };
  const every = (ms: number, what: () => void): void => {
    const timer = setInterval(what, ms);
    timers.add(timer);
  };

  const runSweep = (): Promise<void> =>
    run('sweep', async () => {
      const result = await stack.sweep({ source: 'aftercare.local' }, localLambdaContext('sweep'));
      if (result.breachesDeclared > 0 || result.warningsRaised > 0) {
        report(`sweep: ${result.breachesDeclared} breach(es) declared, ${result.warningsRaised} warning(s) raised`);
      }
      await stack.notices.deliverCreated();
    });
  const runLifecycle = (): Promise<void> =>
    run('lifecycle', async () => {
      const result = await stack.lifecycle({ source: 'aftercare.local' }, localLambdaContext('lifecycle'));
      report(`lifecycle: ${result.contractsDue} contract(s) due, ${result.daysAdvanced} day(s) advanced, ${result.noticesCreated} notice(s)`);
      await stack.notices.deliverCreated();
    });

  const scheduleSweep = (): void =>
    at(minuteAtOrAfter(Date.now() + 1), () => {
      void runSweep();
      if (!stopped) scheduleSweep();
    });
  const scheduleLifecycle = (): void =>
    at(lifecycleRunAtOrAfter(Date.now() + 1), () => {
      void runLifecycle();
      if (!stopped) scheduleLifecycle();
    });
  scheduleSweep();
  scheduleLifecycle();
  every(CREATED_NOTICES_EVERY_MS, () => void run('notifier', async () => void (await stack.notices.deliverCreated())));
  every(OUTBOX_SCAN_EVERY_MS, () => void run('notifier', async () => void (await stack.notices.deliverDue(Date.now()))));

  return {
    runSweep,
    runLifecycle,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
