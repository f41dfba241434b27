/**
 * A deterministic Clock for unit tests: time moves only through advance(); due timers run in order of
 * their due instant (ties in scheduling order), with now() set to that instant while they run.
 */
import type { Clock, TimerHandle } from '../../main/sip/transaction/clock.ts';

interface FakeTimer {
  readonly handle: FakeTimerHandle;
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
}

interface FakeTimerHandle extends TimerHandle {
  readonly id: number;
}

export interface PendingTimer {
  readonly id: number;
  /** absolute instant (ms) at which it fires */
  readonly due: number;
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, FakeTimer>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`FakeClock.setTimeout: bad delay ${ms}`);
    const seq = ++this.#seq;
    const handle: FakeTimerHandle = { __timer: true, id: seq };
    this.#timers.set(seq, { handle, due: this.#now + ms, seq, fn });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    if (!isFakeHandle(handle)) throw new TypeError('FakeClock.clearTimeout: not a FakeClock handle');
    this.#timers.delete(handle.id);
  }

  /** Moves time forward by `ms`, running every timer due up to and including the new instant. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`FakeClock.advance: bad step ${ms}`);
    this.advanceTo(this.#now + ms);
  }

  /** Moves time to the absolute instant `t`, running due timers in order. */
  advanceTo(t: number): void {
    if (t < this.#now) throw new RangeError(`FakeClock.advanceTo: ${t} is in the past (now ${this.#now})`);
    for (;;) {
      const next = this.#nextDue();
      if (next === undefined || next.due > t) break;
      this.#timers.delete(next.seq);
      this.#now = next.due;
      next.fn();
    }
    this.#now = t;
  }

  /** Runs timers until none is left (bounded, to catch timers that re-arm forever). */
  runAll(maxTimers = 10_000): void {
    for (let i = 0; i < maxTimers; i++) {
      const next = this.#nextDue();
      if (next === undefined) return;
      this.advanceTo(next.due);
    }
    throw new Error(`FakeClock.runAll: still timers pending after ${maxTimers} runs`);
  }

  /** Timers not yet fired, soonest first. */
  pending(): PendingTimer[] {
    return [...this.#timers.values()]
      .sort((a, b) => a.due - b.due || a.seq - b.seq)
      .map((t) => ({ id: t.seq, due: t.due }));
  }

  #nextDue(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers.values()) {
      if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

function isFakeHandle(handle: TimerHandle): handle is FakeTimerHandle {
  return typeof (handle as Partial<FakeTimerHandle>).id === 'number';
}
