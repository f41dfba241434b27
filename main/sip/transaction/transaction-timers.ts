import type { Clock, TimerHandle } from './clock.ts';

/** RFC 3261 §17 timer names plus RFC 6026 L/M and the 200 ms 100-Trying timer of §17.2.1. */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying';

/** The named timers of one transaction, all on the injected clock. At most one timer per name. */
export class TransactionTimers {
  readonly #clock: Clock;
  readonly #handles = new Map<TimerName, TimerHandle>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  start(name: TimerName, ms: number, fire: () => void): void {
    this.stop(name);
    const handle = this.#clock.setTimeout(() => {
      if (this.#handles.get(name) !== handle) return;
      this.#handles.delete(name);
      fire();
    }, ms);
    this.#handles.set(name, handle);
  }

  stop(name: TimerName): void {
    const handle = this.#handles.get(name);
    if (handle === undefined) return;
    this.#handles.delete(name);
    this.#clock.clearTimeout(handle);
  }

  stopAll(): void {
    for (const name of [...this.#handles.keys()]) this.stop(name);
  }

  isRunning(name: TimerName): boolean {
    return this.#handles.has(name);
  }

  running(): TimerName[] {
    return [...this.#handles.keys()];
  }
}
