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
