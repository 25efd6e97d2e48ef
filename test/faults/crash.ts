/**
 * Simulated process crashes at named step boundaries. The harness says which function runs and which
 * attempt it is; a fault port reaching a boundary asks whether to die there. After a crash every further
 * call of that invocation throws too, as nothing runs in a dead process.
 */

export type FunctionName = 'intake' | 'sweep' | 'lifecycle' | 'notifier' | 'billing';

/**
 * Where a function can die: around its transaction, before its acknowledgement, around the SES send,
 * around the billing publisher's PutEvents (after it, the events are on the bus but the outbox item is
 * not marked published yet).
 */
export const KILL_POINTS = [
  'intake:before-commit',
  'intake:after-commit',
  'intake:before-ack',
  'sweep:before-commit',
  'sweep:after-commit',
  'lifecycle:before-commit',
  'lifecycle:after-commit',
  'notifier:before-send',
  'notifier:after-send',
  'billing:before-put',
  'billing:after-put',
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

export type Boundary = 'before-commit' | 'after-commit' | 'before-ack' | 'before-send' | 'after-send' | 'before-put' | 'after-put';

/** The fault harness's kill: a test double of a dying process, so it stays with the harness. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

export class Crasher {
  private running: { name: FunctionName; attempt: number } | null = null;
  private dead = false;
  /** Crashes that happened, by kill point. */
  readonly crashes = new Map<KillPoint, number>();

  /**
   * @param point the one boundary that kills, or null for a run without faults
   * @param crashingAttempts attempts (receives, retries) of a unit of work that die there; later ones live
   */
  constructor(
    private readonly point: KillPoint | null,
    private readonly crashingAttempts = 2,
  ) {}

  enter(name: FunctionName, attempt: number): void {
    this.running = { name, attempt };
    this.dead = false;
  }

  /** True when the invocation died; the harness then treats it as never having answered. */
  leave(): boolean {
    const died = this.dead;
    this.running = null;
    this.dead = false;
    return died;
  }

  /** Throws when the process is dead already, or dies here. */
  reach(boundary: Boundary): void {
    this.assertAlive();
    const running = this.running;
    if (running === null || this.point !== `${running.name}:${boundary}` || running.attempt > this.crashingAttempts) return;
    this.dead = true;
    this.crashes.set(this.point, (this.crashes.get(this.point) ?? 0) + 1);
    throw new SimulatedCrash(`killed at ${this.point} (attempt ${running.attempt})`);
  }

  assertAlive(): void {
    if (this.dead) throw new SimulatedCrash('the process is dead');
  }
}
