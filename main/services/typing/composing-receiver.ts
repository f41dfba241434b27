/**
 * The receiver side of RFC 3994 §3.3: what the peer's status messages mean for "typing…".
 *
 * - `active` → typing, until the refresh interval it announced runs out (default 120 s when it sent
 *   none), then idle on our own: a lost `idle` never leaves "typing…" up forever.
 * - `idle` → not typing.
 * - a content message from the peer → not typing (§3.3: the message ends composition).
 * Never stored and never notified: it only drives `onChange`. At most MAX_PEERS are tracked (the oldest
 * is dropped) so a flood of senders cannot grow memory.
 */
import type { Clock, TimerHandle } from '../../sip/transaction/clock.ts';
import type { IsComposing } from '../../sip/body/is-composing.ts';
import { DEFAULT_REFRESH_SECONDS } from './composing-sender.ts';

export const MAX_PEERS = 1000;

export class ComposingReceiver {
  readonly #clock: Clock;
  readonly #onChange: (key: string, typing: boolean) => void;
  readonly #timers = new Map<string, TimerHandle>();

  constructor(clock: Clock, onChange: (key: string, typing: boolean) => void) {
    this.#clock = clock;
    this.#onChange = onChange;
  }

  isTyping(key: string): boolean {
    return this.#timers.has(key);
  }

  received(key: string, status: IsComposing): void {
    if (status.state === 'idle') {
      this.#stop(key);
      return;
    }
    const wasTyping = this.#clear(key);
    if (!wasTyping && this.#timers.size >= MAX_PEERS) {
      const oldest = this.#timers.keys().next().value;
      if (oldest !== undefined) this.#stop(oldest);
    }
    const seconds = status.refresh ?? DEFAULT_REFRESH_SECONDS;
    this.#timers.set(
      key,
      this.#clock.setTimeout(() => {
        this.#timers.delete(key);
        this.#onChange(key, false);
      }, seconds * 1000),
    );
    if (!wasTyping) this.#onChange(key, true);
  }

  /** a content message arrived from this peer */
  messageReceived(key: string): void {
    this.#stop(key);
  }

  dispose(): void {
    for (const t of this.#timers.values()) this.#clock.clearTimeout(t);
    this.#timers.clear();
  }

  #stop(key: string): void {
    if (this.#clear(key)) this.#onChange(key, false);
  }

  #clear(key: string): boolean {
    const t = this.#timers.get(key);
    if (t === undefined) return false;
    this.#clock.clearTimeout(t);
    this.#timers.delete(key);
    return true;
  }
}
