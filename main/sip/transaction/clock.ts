/**
 * The one injectable clock for every timer in the stack. Production uses `systemClock`; tests use a
 * fake clock (test/support/fake-clock.ts) to assert exact retransmission and timeout instants.
 */
export interface TimerHandle {
  readonly __timer: true;
}

export interface Clock {
  /** milliseconds, monotonic for timers */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // timers of the SIP stack never keep a process alive on their own
    t.unref?.();
    return t as unknown as TimerHandle;
  },
  clearTimeout: (handle) => clearTimeout(handle as unknown as ReturnType<typeof setTimeout>),
};

/**
 * Waits for `work`, but never longer than `ms` on `clock`: for waits that must end even when the network
 * does not answer (quitting: an un-REGISTER, RFC 3261 §10.2.2, is a courtesy to the registrar, not a
 * reason to keep the user waiting for Timer F). Resolves true when `work` settled in time; never rejects.
 */
export function settleWithin(clock: Clock, ms: number, work: Promise<unknown>): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = clock.setTimeout(() => resolve(false), ms);
    const done = (): void => {
      clock.clearTimeout(timer);
      resolve(true);
    };
    work.then(done, done);
  });
}
