/**
 * One FIFO per Request-URI (RFC 3428 §8: a UAC MUST NOT send a new out-of-dialog MESSAGE to the same
 * Request-URI until it has a final response to the previous one); different destinations run in
 * parallel. A task that fails is reported and does not hold up the ones behind it.
 */
export class DestinationQueues {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Runs `task` after every task queued before it for `key` has settled. */
  enqueue(key: string, task: () => Promise<void>): void {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const tail = previous.then(task).catch((e: unknown) => this.#onError(e));
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
  }

  /** Resolves when every queue is empty (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }
}
