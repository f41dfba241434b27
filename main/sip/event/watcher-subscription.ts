/**
 * One watcher's subscription to our state, notifier side (RFC 6665 §4.2, RFC 3856 §6), over a NotifyPort
 * (the dialog, notifier-dialog.ts) and an injected clock:
 * - §4.2.1.2 / §4.2.2: a NOTIFY goes out at once when the subscription is created or refreshed, with
 *   Subscription-State `pending` (authorization awaited, no body: RFC 3856 §6.6 gives no state away) or
 *   `active;expires=N` with the current document;
 * - `allow()` makes a pending subscription active, `reject()` ends it with `terminated;reason=rejected`
 *   (§4.2.2, the watcher must not retry), `changed()` sends the new document to an active watcher, at most
 *   one every 5 s (RFC 3856 §6.4: "SHOULD NOT generate notifications for a single presentity at a rate of
 *   more than once every five seconds"); only the newest document is sent after a pause;
 * - it ends with `terminated;reason=timeout` when the granted time runs out without a refresh (§4.2.1.2)
 *   and when the watcher unsubscribes (Expires: 0, §4.2.1.4); `close(reason)` ends it on quit;
 * - one NOTIFY in flight at a time (their CSeq order is the watcher's order); a NOTIFY answered 481, or
 *   that timed out or found no transport, ends the subscription without another NOTIFY (§4.2.2).
 */
import type { Clock, TimerHandle } from '../transaction/clock.ts';

export type WatcherState = 'pending' | 'active' | 'terminated';

export interface NotifyPort {
  /** sends a NOTIFY with this Subscription-State value and body (null = none); resolves with its final status */
  notify(subscriptionState: string, body: string | null): Promise<number>;
  /** the subscription is over: forget the dialog */
  close(): void;
}

export interface WatcherSubscriptionOptions {
  readonly clock: Clock;
  readonly port: NotifyPort;
  /** the granted duration (s), already bounded by the caller */
  readonly expires: number;
  readonly initial: 'pending' | 'active';
  /** the current document for this watcher */
  readonly document: () => string;
  /** called once, when the subscription is over (after its last NOTIFY) */
  readonly onEnded: (reason: string) => void;
  /** RFC 3856 §6.4 minimum interval between state notifications (tests); default 5000 ms */
  readonly minIntervalMs?: number;
}

/** final statuses after which the dialog is gone (RFC 6665 §4.2.2; 408/503 stand for local timeout / no transport) */
const FATAL = new Set([481, 408, 503]);

export class WatcherSubscription {
  readonly #o: WatcherSubscriptionOptions;
  #state: WatcherState;
  #expiresAt: number;
  #expiry: TimerHandle | null = null;
  #throttle: TimerHandle | null = null;
  #lastNotifyAt = Number.NEGATIVE_INFINITY;
  #inFlight = false;
  /** what to send next (a Subscription-State value; a terminal one wins over anything queued) */
  #queued: { state: string; final: string | null } | null = null;
  #ended = false;
  /** the watcher has seen our state (a later timeout/deactivated NOTIFY may carry it) */
  #wasActive = false;
  readonly #waiters: (() => void)[] = [];
  readonly #minInterval: number;

  constructor(options: WatcherSubscriptionOptions) {
    this.#o = options;
    this.#state = options.initial;
    this.#minInterval = options.minIntervalMs ?? 5000;
    this.#expiresAt = options.clock.now() + options.expires * 1000;
  }

  get state(): WatcherState {
    return this.#state;
  }

  /** §4.2.1.2: the first NOTIFY, right after the 200 */
  start(): void {
    this.#arm();
    this.#enqueue(false);
  }

  /** a refresh SUBSCRIBE with the granted duration; 0 = unsubscribe (§4.2.1.4) */
  refreshed(expires: number): void {
    if (this.#state === 'terminated') return;
    if (expires === 0) {
      this.#terminate('timeout');
      return;
    }
    this.#expiresAt = this.#o.clock.now() + expires * 1000;
    this.#arm();
    this.#enqueue(false);
  }

  /** the user allowed this watcher */
  allow(): void {
    if (this.#state !== 'pending') return;
    this.#state = 'active';
    this.#enqueue(false);
  }

  /** the user blocked this watcher: terminated;reason=rejected (§4.2.2) */
  reject(): void {
    this.#terminate('rejected');
  }

  /** our document changed: an active watcher hears of it (rate-limited, RFC 3856 §6.4) */
  changed(): void {
    if (this.#state === 'active') this.#enqueue(true);
  }

  /** ends the subscription with a final NOTIFY (e.g. `deactivated` on quit, `rejected` when sharing stops) */
  close(reason: string): Promise<void> {
    this.#terminate(reason);
    return this.#drained();
  }

  /** stops every timer without a NOTIFY (the dialog is gone) */
  dispose(): void {
    this.#state = 'terminated';
    this.#queued = null;
    this.#finish('disposed');
  }

  #terminate(reason: string): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#clearTimers();
    this.#queued = { state: `terminated;reason=${reason}`, final: reason };
    this.#pump();
  }

  #arm(): void {
    if (this.#expiry !== null) this.#o.clock.clearTimeout(this.#expiry);
    const left = Math.max(0, this.#expiresAt - this.#o.clock.now());
    this.#expiry = this.#o.clock.setTimeout(() => {
      this.#expiry = null;
      this.#terminate('timeout');
    }, left);
  }

  #stateHeader(): string {
    if (this.#state === 'pending' || this.#state === 'active') {
      const left = Math.max(0, Math.ceil((this.#expiresAt - this.#o.clock.now()) / 1000));
      return `${this.#state};expires=${String(left)}`;
    }
    return 'terminated';
  }

  #enqueue(throttled: boolean): void {
    if (this.#queued?.final != null) return;
    this.#queued = { state: '', final: null };
    if (!throttled && this.#throttle !== null) {
      // §4.2.1.2: a refresh or an authorization change is answered at once
      this.#o.clock.clearTimeout(this.#throttle);
      this.#throttle = null;
    }
    if (throttled) {
      const wait = this.#lastNotifyAt + this.#minInterval - this.#o.clock.now();
      if (wait > 0) {
        this.#throttle ??= this.#o.clock.setTimeout(() => {
          this.#throttle = null;
          this.#pump();
        }, wait);
        return;
      }
    }
    this.#pump();
  }

  #pump(): void {
    if (this.#inFlight || this.#queued === null || this.#ended) return;
    if (this.#throttle !== null && this.#queued.final === null) return;
    const next = this.#queued;
    this.#queued = null;
    const header = next.final !== null ? next.state : this.#stateHeader();
    // RFC 3856 §6.6: a pending or rejected watcher learns nothing of our state; terminated by timeout/
    // deactivated carries the last state to a watcher who was allowed to see it
    const body = this.#state === 'active' || (next.final !== null && next.final !== 'rejected' && this.#wasActive) ? this.#o.document() : null;
    if (this.#state === 'active') this.#wasActive = true;
    this.#inFlight = true;
    this.#lastNotifyAt = this.#o.clock.now();
    void this.#o.port.notify(header, body).then(
      (status) => this.#answered(status, next.final),
      () => this.#answered(503, next.final),
    );
  }

  #answered(status: number, final: string | null): void {
    this.#inFlight = false;
    if (final !== null) {
      this.#finish(final);
      return;
    }
    if (FATAL.has(status)) {
      this.#state = 'terminated';
      this.#queued = null;
      this.#finish(status === 481 ? 'gone' : 'unreachable');
      return;
    }
    this.#pump();
  }

  #finish(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#clearTimers();
    this.#o.port.close();
    this.#o.onEnded(reason);
    for (const w of this.#waiters.splice(0)) w();
  }

  #drained(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    return new Promise((res) => this.#waiters.push(res));
  }

  #clearTimers(): void {
    if (this.#expiry !== null) this.#o.clock.clearTimeout(this.#expiry);
    if (this.#throttle !== null) this.#o.clock.clearTimeout(this.#throttle);
    this.#expiry = null;
    this.#throttle = null;
  }
}
