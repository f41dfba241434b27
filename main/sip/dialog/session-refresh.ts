/**
 * RFC 4028 session timers, the clock half (§10): after every 2xx to a session refresh (sent or received)
 * the timer restarts. The refresher sends the next refresh at half the interval; the session expires,
 * for the refresher, at the interval (no answer to its refresh by then), and for the other side
 * "slightly before session expiration": the interval minus min(32 s, interval/3). Expiry means BYE.
 */
import type { Clock, TimerHandle } from '../transaction/index.ts';

export interface SessionRefreshEvents {
  /** time to send a session refresh (UPDATE or re-INVITE) */
  refresh(): void;
  /** no refresh came (or ours got no 2xx) in time: end the session with BYE */
  expire(): void;
}

/** §10: when each side acts, in ms after the 2xx */
export function refreshSchedule(intervalSeconds: number, weRefresh: boolean): { readonly refreshAt: number | null; readonly expireAt: number } {
  const s = intervalSeconds * 1000;
  if (weRefresh) return { refreshAt: s / 2, expireAt: s };
  return { refreshAt: null, expireAt: s - Math.min(32_000, s / 3) };
}

export class SessionRefresh {
  readonly #clock: Clock;
  readonly #events: SessionRefreshEvents;
  #refreshTimer: TimerHandle | null = null;
  #expireTimer: TimerHandle | null = null;
  #interval: number | null = null;
  #weRefresh = false;

  constructor(clock: Clock, events: SessionRefreshEvents) {
    this.#clock = clock;
    this.#events = events;
  }

  /** the negotiated interval in seconds (null: no session timer) */
  get interval(): number | null {
    return this.#interval;
  }
  get weRefresh(): boolean {
    return this.#weRefresh;
  }

  /** a 2xx to a session refresh was sent or received: (re)start with what it negotiated */
  start(intervalSeconds: number, weRefresh: boolean): void {
    this.stop();
    this.#interval = intervalSeconds;
    this.#weRefresh = weRefresh;
    const plan = refreshSchedule(intervalSeconds, weRefresh);
    if (plan.refreshAt !== null) {
      this.#refreshTimer = this.#clock.setTimeout(() => {
        this.#refreshTimer = null;
        this.#events.refresh();
      }, plan.refreshAt);
    }
    this.#expireTimer = this.#clock.setTimeout(() => {
      this.#expireTimer = null;
      this.#events.expire();
    }, plan.expireAt);
  }

  /** a 2xx without Session-Expires (§7.2) or the end of the session: no timer */
  stop(): void {
    if (this.#refreshTimer !== null) this.#clock.clearTimeout(this.#refreshTimer);
    if (this.#expireTimer !== null) this.#clock.clearTimeout(this.#expireTimer);
    this.#refreshTimer = null;
    this.#expireTimer = null;
    this.#interval = null;
  }
}
