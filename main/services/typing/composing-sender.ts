/**
 * The composer side of RFC 3994 §3.2 for one conversation: our user's typing becomes `active` / `idle`
 * status messages.
 *
 * - idle → active on the first keystroke: send `active` with a refresh interval (§3.2: default 120 s;
 *   it SHOULD NOT be below 60 s).
 * - while typing, `active` is re-sent at most once per RESEND_FRACTION of the refresh (90 s of 120 s), so
 *   the peer's refresh timer never runs out while the user is still typing.
 * - no keystroke for the idle timeout (§3.2: 15 s) → send `idle`.
 * - the text cleared → `idle` at once; the message sent → idle WITHOUT an `idle` message (§3.2: "the
 *   content message itself" tells the peer composition ended).
 */
import type { Clock, TimerHandle } from '../../sip/transaction/clock.ts';
import type { ComposingState } from '../../sip/body/is-composing.ts';

export const DEFAULT_REFRESH_SECONDS = 120;
export const MIN_REFRESH_SECONDS = 60;
export const IDLE_TIMEOUT_SECONDS = 15;
/** re-send `active` after 3/4 of the refresh we announced (90 s of 120 s) */
export const RESEND_FRACTION = 0.75;

export interface ComposingSenderOptions {
  readonly clock: Clock;
  /** hand one status message to the network; `refresh` in seconds for `active` */
  readonly send: (state: ComposingState, refresh: number | null) => void;
  readonly refreshSeconds?: number;
  readonly idleSeconds?: number;
}

export class ComposingSender {
  readonly #o: ComposingSenderOptions;
  readonly #refresh: number;
  #state: ComposingState = 'idle';
  #lastActiveSentAt = 0;
  #idleTimer: TimerHandle | null = null;

  constructor(options: ComposingSenderOptions) {
    this.#o = options;
    this.#refresh = Math.max(MIN_REFRESH_SECONDS, options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS);
  }

  get state(): ComposingState {
    return this.#state;
  }

  /** the user typed something (call on every edit that leaves text in the composer) */
  typed(): void {
    const now = this.#o.clock.now();
    if (this.#state === 'idle') {
      this.#state = 'active';
      this.#sendActive(now);
    } else if (now - this.#lastActiveSentAt >= this.#refresh * 1000 * RESEND_FRACTION) {
      this.#sendActive(now);
    }
    this.#armIdle();
  }

  /** the composer was emptied: §3.2 idle now */
  cleared(): void {
    if (this.#state !== 'active') return;
    this.#toIdle(true);
  }

  /** the message went out: idle, and the message itself is the indication (§3.2) */
  messageSent(): void {
    if (this.#state !== 'active') return;
    this.#toIdle(false);
  }

  dispose(): void {
    this.#clearIdle();
    this.#state = 'idle';
  }

  #sendActive(now: number): void {
    this.#lastActiveSentAt = now;
    this.#o.send('active', this.#refresh);
  }

  #armIdle(): void {
    this.#clearIdle();
    this.#idleTimer = this.#o.clock.setTimeout(() => {
      this.#idleTimer = null;
      if (this.#state === 'active') this.#toIdle(true);
    }, (this.#o.idleSeconds ?? IDLE_TIMEOUT_SECONDS) * 1000);
  }

  #toIdle(announce: boolean): void {
    this.#clearIdle();
    this.#state = 'idle';
    if (announce) this.#o.send('idle', null);
  }

  #clearIdle(): void {
    if (this.#idleTimer !== null) this.#o.clock.clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }
}
