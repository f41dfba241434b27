/**
 * RFC 3261 §13.3.1.4: the UAS core retransmits its 2xx to an INVITE "with an interval that starts at T1
 * seconds and doubles for each retransmission until it reaches T2 seconds", until the ACK arrives. "If
 * the server retransmits the 2xx response for 64*T1 seconds without receiving an ACK, the dialog is
 * confirmed, but the session SHOULD be terminated" (with a BYE, by the session).
 */
import type { SipResponse } from '../message/index.ts';
import type { Clock, TimerHandle, TimerConfig } from '../transaction/index.ts';

/** Interval before retransmission n (0-based): T1, 2*T1, 4*T1 ... capped at T2. */
export function twoXxInterval(n: number, timers: TimerConfig): number {
  return Math.min(timers.t1 * 2 ** Math.min(n, 30), timers.t2);
}

export class TwoXxRetransmitter {
  readonly #clock: Clock;
  readonly #timers: TimerConfig;
  readonly #send: (response: SipResponse) => void;
  readonly #onGiveUp: () => void;
  #timer: TimerHandle | null = null;
  #startedAt = 0;
  #count = 0;
  #response: SipResponse | null = null;

  constructor(clock: Clock, timers: TimerConfig, send: (response: SipResponse) => void, onGiveUp: () => void) {
    this.#clock = clock;
    this.#timers = timers;
    this.#send = send;
    this.#onGiveUp = onGiveUp;
  }

  get active(): boolean {
    return this.#timer !== null;
  }

  /** the 2xx was just sent once: schedule its retransmissions */
  start(response: SipResponse): void {
    this.stop();
    this.#response = response;
    this.#startedAt = this.#clock.now();
    this.#count = 0;
    this.#schedule();
  }

  /** the ACK arrived (or the session ended) */
  stop(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    const interval = twoXxInterval(this.#count, this.#timers);
    const deadline = this.#startedAt + 64 * this.#timers.t1;
    const due = this.#clock.now() + interval;
    if (due >= deadline) {
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = null;
        this.#onGiveUp();
      }, Math.max(0, deadline - this.#clock.now()));
      return;
    }
    this.#timer = this.#clock.setTimeout(() => {
      const response = this.#response;
      if (response === null) return;
      this.#count++;
      this.#send(response);
      this.#schedule();
    }, interval);
  }
}
