/**
 * The idle source of presence: Electron's powerMonitor system idle time, polled, turned into idle /
 * not idle after `idleAfterSeconds` (the "away after N minutes idle" of the issue; default 5 minutes).
 * A locked screen counts as idle at once. Pure apart from the injected monitor and timers, so it is
 * unit-tested without Electron.
 */
export interface IdleMonitor {
  /** seconds since the last user input (powerMonitor.getSystemIdleTime) */
  getSystemIdleTime(): number;
  /** 'active' | 'idle' | 'locked' | 'unknown' (powerMonitor.getSystemIdleState) */
  getSystemIdleState(idleThresholdSeconds: number): string;
}

export interface IdleTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const DEFAULT_IDLE_AFTER_S = 300;
const POLL_MS = 15_000;

export function watchIdle(
  monitor: IdleMonitor,
  onIdle: (idle: boolean) => void,
  options: { readonly idleAfterSeconds?: number; readonly timers?: IdleTimers } = {},
): () => void {
  const after = options.idleAfterSeconds ?? DEFAULT_IDLE_AFTER_S;
  const timers: IdleTimers = options.timers ?? { setInterval: (f, ms) => setInterval(f, ms), clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>) };
  let last: boolean | null = null;
  const check = () => {
    const state = monitor.getSystemIdleState(after);
    const idle = state === 'locked' || state === 'idle' || monitor.getSystemIdleTime() >= after;
    if (idle === last) return;
    last = idle;
    onIdle(idle);
  };
  check();
  const handle = timers.setInterval(check, POLL_MS);
  return () => timers.clearInterval(handle);
}
