/**
 * When to try again after a failed registration (RFC 5626 §4.5 style): exponential, starting at
 * `initialMs`, doubling up to `maxMs`, with jitter so many clients do not retry in step.
 * Pure: `random` is injected (tests give a fixed one).
 */
export interface BackoffOptions {
  /** first wait; default 5 s */
  readonly initialMs?: number;
  /** cap; default 5 min */
  readonly maxMs?: number;
  /** fraction of the wait taken off at random (0..1); default 0.2: waits fall in [80 %, 100 %] */
  readonly jitter?: number;
  /** [0, 1); default Math.random */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF_INITIAL_MS = 5_000;
export const DEFAULT_BACKOFF_MAX_MS = 5 * 60_000;

/** The wait before attempt `failures` (1 = after the first failure). */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
  const max = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
  const jitter = Math.min(Math.max(options.jitter ?? 0.2, 0), 1);
  const base = Math.min(initial * 2 ** Math.max(0, Math.min(failures - 1, 30)), max);
  const r = (options.random ?? Math.random)();
  return Math.round(base * (1 - jitter * r));
}

/**
 * §10.2.1 / RFC 3261 §10.3: refresh before the binding expires: at max(expires/2, expires - 30 s), so a long
 * binding refreshes 30 s early and a short one half-way.
 */
export function refreshDelayMs(grantedSeconds: number): number {
  return Math.max(grantedSeconds / 2, grantedSeconds - 30) * 1000;
}
