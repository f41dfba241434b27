/**
 * Timer J of every non-INVITE server transaction of one transaction layer over an unreliable transport
 * (RFC 3261 §17.2.2), in one FIFO queue on one clock timer (issue 18).
 *
 * §17.2.2: "When the server transaction enters the 'Completed' state, it MUST set Timer J to fire in 64*T1
 * seconds for unreliable transports ... The server transaction remains in this state until Timer J fires,
 * at which point it MUST transition to the 'Terminated' state." Every such transaction of a layer has the
 * same T1, so Timer J has the same duration for all of them, and they enter Completed in the order their
 * Timer J is due: a queue in arrival order is a queue in deadline order. One timer armed for the oldest
 * deadline replaces a timer object, a clearTimeout and a Map per answered request; each transaction still
 * ends at the instant its own Timer J would have fired.
 *
 * The queue is also the cap's order (server-cap.ts): the oldest Completed transaction is the one shed to
 * make room. A transaction that ends otherwise (a transport error, dispose) stays in the queue until it
 * reaches the front, where it is skipped: its entry only holds the object until then.
 */
import type { Clock, TimerHandle } from './clock.ts';

/** what the queue needs of a Completed transaction (NonInviteServerTransaction) */
export interface TimerJTransaction {
  /** Timer J fired: Completed → Terminated; nothing when no longer Completed */
  timerJFired(): void;
  /** ended early to make room: true when it was Completed (see NonInviteServerTransaction.shed) */
  shed(): boolean;
}

/** the front is cut off the arrays once it holds this many spent entries and half of them */
const COMPACT_AFTER = 1024;

export class TimerJQueue {
  /** Timer J, 64*T1 (timers.ts timerJ for an unreliable transport) */
  readonly duration: number;
  readonly #clock: Clock;
  /** transactions in Completed, oldest first from #head, and their Timer J instants (clock.now()) */
  #txs: Array<TimerJTransaction | undefined> = [];
  #due: number[] = [];
  #head = 0;
  #timer: TimerHandle | undefined;
  #firing = false;
  readonly #fire = (): void => this.#expire();

  constructor(clock: Clock, duration: number) {
    if (!(duration > 0)) throw new RangeError(`TimerJQueue: Timer J must be positive, got ${String(duration)}`);
    this.#clock = clock;
    this.duration = duration;
  }

  /** entries not yet fired or shed (some may name transactions already ended otherwise) */
  get size(): number {
    return this.#txs.length - this.#head;
  }

  /** `tx` has just entered Completed: its Timer J fires `duration` ms from now */
  add(tx: TimerJTransaction): void {
    this.#txs.push(tx);
    this.#due.push(this.#clock.now() + this.duration);
    if (this.#timer === undefined && !this.#firing) this.#timer = this.#clock.setTimeout(this.#fire, this.duration);
  }

  /** Ends the oldest transaction still Completed before its Timer J (the cap); false when there is none. */
  shedOldest(): boolean {
    while (this.#head < this.#txs.length) {
      const tx = this.#take();
      if (tx.shed()) {
        this.#compact();
        return true;
      }
    }
    this.#compact();
    return false;
  }

  /** stops the timer and forgets every entry without ending the transactions (TransactionLayer.dispose) */
  dispose(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#txs = [];
    this.#due = [];
    this.#head = 0;
  }

  #take(): TimerJTransaction {
    const tx = this.#txs[this.#head] as TimerJTransaction;
    this.#txs[this.#head] = undefined;
    this.#head++;
    return tx;
  }

  /** the timer fired: every transaction whose Timer J is due ends, oldest first; then the next is armed */
  #expire(): void {
    this.#timer = undefined;
    this.#firing = true;
    try {
      while (this.#head < this.#txs.length) {
        const due = this.#due[this.#head] as number;
        if (due > this.#clock.now()) break;
        this.#take().timerJFired();
      }
    } finally {
      this.#firing = false;
    }
    this.#compact();
    if (this.#head < this.#txs.length && this.#timer === undefined) {
      // a host timer may fire a fraction of a millisecond before the clock reads the instant: armed again
      this.#timer = this.#clock.setTimeout(this.#fire, Math.max(0, (this.#due[this.#head] as number) - this.#clock.now()));
    }
  }

  #compact(): void {
    const head = this.#head;
    if (head === this.#txs.length) {
      this.#txs.length = 0;
      this.#due.length = 0;
      this.#head = 0;
    } else if (head > COMPACT_AFTER && head * 2 > this.#txs.length) {
      this.#txs.copyWithin(0, head);
      this.#due.copyWithin(0, head);
      this.#txs.length -= head;
      this.#due.length -= head;
      this.#head = 0;
    }
  }
}
