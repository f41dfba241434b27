/**
 * The subscriber side of RFC 6665 for one resource (a contact's presence, RFC 3856): one dialog per
 * resource, kept alive by refreshes, re-created when it ends.
 *
 * - §4.1.2.1 initial SUBSCRIBE (out of dialog, through the PBX); the 2xx gives the Expires the notifier
 *   granted (§4.1.2.1: it may be shorter than asked) and creates the dialog.
 * - §4.1.2.2 refresh: an in-dialog SUBSCRIBE before that time runs out (a minute early, or halfway for
 *   short ones). A 481 to it means the dialog is gone: subscribe afresh (§4.1.2.2).
 * - §4.1.2.4: a NOTIFY must follow the 2xx; if none came within Timer N (64*T1), the subscription failed.
 *   A NOTIFY may also arrive before the 2xx: the glue hands it over all the same.
 * - §4.1.3 Subscription-State: active/pending keep the dialog (their `expires` reschedules the refresh);
 *   terminated with reason deactivated or timeout → subscribe again at once; probation or giveup →
 *   after retry-after (or the back-off); rejected, noresource, invariant → never again for this resource;
 *   no reason → again after the back-off.
 * - failures: 489/405/501 → the server does not support the event (`unsupported`, reported, no more
 *   requests); 403/603 → `rejected`; 423 → retry with Min-Expires; others (404, 408, 480, 5xx, no route)
 *   → back-off doubling from 30 s to 30 min, or Retry-After. 404 is not final: where the PBX relays
 *   SUBSCRIBE to the presentity's own UA (RFC 3856 §4), a proxy answers 404 while that UA is not registered.
 */
import type { Clock, TimerHandle } from '../transaction/clock.ts';
import { FIRST_BACKOFF_S, MAX_BACKOFF_S, refreshDelaySeconds } from './publication.ts';

export interface SubscribeResponse {
  /** final status; 408 for a timeout, 503 for a transport failure */
  readonly status: number;
  readonly expires: number | null;
  readonly minExpires: number | null;
  readonly retryAfter: number | null;
}

/** What one subscription needs from the SIP layer. */
export interface SubscriptionPort {
  /** §4.1.2.1: a new out-of-dialog SUBSCRIBE; on 2xx the glue creates the dialog and routes its NOTIFYs here */
  subscribe(expires: number): Promise<SubscribeResponse>;
  /** §4.1.2.2: SUBSCRIBE within the dialog (Expires 0 = unsubscribe) */
  refresh(expires: number): Promise<SubscribeResponse>;
  /** forget the dialog (no request) */
  drop(): void;
}

export type SubscriptionStatus =
  | 'idle'
  | 'subscribing'
  | 'active'
  | 'pending'
  | 'retrying'
  | 'rejected'
  | 'unsupported'
  | 'terminated';

export interface NotifyState {
  readonly state: string;
  readonly expires: number | null;
  readonly reason: string | null;
  readonly retryAfter: number | null;
}

export interface SubscriptionOptions {
  readonly clock: Clock;
  readonly port: SubscriptionPort;
  /** what we ask for; default 3600 s */
  readonly expires?: number;
  /** Timer N (§4.1.2.4, 64*T1), ms; default 32 s */
  readonly timerNMs?: number;
  readonly onStatus?: (status: SubscriptionStatus) => void;
  /** 489/405/501 to a SUBSCRIBE */
  readonly onUnsupported?: (status: number) => void;
}

export class Subscription {
  readonly #o: SubscriptionOptions;
  #expires: number;
  #status: SubscriptionStatus = 'idle';
  #timer: TimerHandle | null = null;
  #timerN: TimerHandle | null = null;
  #backoff = FIRST_BACKOFF_S;
  #inDialog = false;
  #busy = false;
  #stopped = false;
  /** NOTIFYs seen since the last (re)subscribe */
  #notified = false;

  constructor(options: SubscriptionOptions) {
    this.#o = options;
    this.#expires = options.expires ?? 3600;
  }

  get status(): SubscriptionStatus {
    return this.#status;
  }

  start(): void {
    if (this.#stopped || this.#busy || this.#status === 'unsupported' || this.#status === 'rejected') return;
    void this.#subscribe();
  }

  /** After a new registration (maybe a new server, new contact address): a new dialog at once. */
  restart(): void {
    if (this.#stopped || this.#status === 'unsupported' || this.#status === 'rejected') return;
    this.#clearTimers();
    if (this.#inDialog) this.#o.port.drop();
    this.#inDialog = false;
    this.#backoff = FIRST_BACKOFF_S;
    if (!this.#busy) void this.#subscribe();
  }

  /** Ends it: unsubscribe (Expires: 0, §4.1.2.3) when a dialog exists; no more requests afterwards. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#clearTimers();
    if (this.#inDialog) await this.#o.port.refresh(0).catch(() => undefined);
    this.#o.port.drop();
    this.#inDialog = false;
    this.#setStatus('terminated');
  }

  /** Stops timers without any request (shutdown). */
  dispose(): void {
    this.#stopped = true;
    this.#clearTimers();
    this.#o.port.drop();
  }

  /** A NOTIFY in (or racing) our dialog; the glue answers it 200 itself. §4.1.3 */
  notified(s: NotifyState): void {
    if (this.#stopped) return;
    this.#notified = true;
    if (this.#timerN !== null) this.#o.clock.clearTimeout(this.#timerN);
    this.#timerN = null;
    if (s.state === 'active' || s.state === 'pending') {
      this.#setStatus(s.state);
      this.#backoff = FIRST_BACKOFF_S;
      if (s.expires !== null && !this.#busy) this.#schedule(refreshDelaySeconds(Math.max(1, s.expires)), () => this.#refresh());
      return;
    }
    if (s.state !== 'terminated') return;
    this.#inDialog = false;
    this.#o.port.drop();
    this.#clearTimers();
    switch (s.reason) {
      case 'deactivated':
      case 'timeout':
        this.#setStatus('retrying');
        this.#schedule(0, () => this.start());
        return;
      case 'probation':
      case 'giveup':
        this.#retryLater(s.retryAfter);
        return;
      case 'rejected':
      case 'noresource':
      case 'invariant':
        this.#setStatus('rejected');
        return;
      default:
        this.#retryLater(s.retryAfter);
    }
  }

  async #subscribe(): Promise<void> {
    this.#busy = true;
    this.#clearTimers();
    this.#setStatus('subscribing');
    this.#notified = false;
    const r = await this.#o.port.subscribe(this.#expires).catch(() => failed);
    this.#busy = false;
    if (this.#stopped) {
      // stopped while the SUBSCRIBE was out: take the dialog down again
      if (r.status >= 200 && r.status < 300) await this.#o.port.refresh(0).catch(() => undefined);
      this.#o.port.drop();
      return;
    }
    this.#afterResponse(r, false);
  }

  async #refresh(): Promise<void> {
    if (this.#stopped || this.#busy) return;
    this.#busy = true;
    const r = await this.#o.port.refresh(this.#expires).catch(() => failed);
    this.#busy = false;
    if (this.#stopped) return;
    if (r.status === 481) {
      // §4.1.2.2: the dialog is gone; a new subscription
      this.#inDialog = false;
      this.#o.port.drop();
      void this.#subscribe();
      return;
    }
    this.#afterResponse(r, true);
  }

  #afterResponse(r: SubscribeResponse, refresh: boolean): void {
    if (r.status >= 200 && r.status < 300) {
      this.#inDialog = true;
      const granted = r.expires ?? this.#expires;
      if (!refresh && !this.#notified) {
        // §4.1.2.4: Timer N for the first NOTIFY
        this.#timerN = this.#o.clock.setTimeout(() => {
          this.#timerN = null;
          if (this.#notified || this.#stopped) return;
          this.#inDialog = false;
          this.#o.port.drop();
          this.#retryLater(null);
        }, this.#o.timerNMs ?? 32_000);
      }
      if (this.#status === 'subscribing') this.#setStatus('pending');
      this.#schedule(refreshDelaySeconds(Math.max(1, granted)), () => this.#refresh());
      return;
    }
    if (refresh) {
      this.#inDialog = false;
      this.#o.port.drop();
    }
    if (r.status === 423 && r.minExpires !== null && r.minExpires > this.#expires) {
      this.#expires = r.minExpires;
      this.#schedule(0, () => this.start());
      return;
    }
    if (r.status === 489 || r.status === 405 || r.status === 501) {
      this.#setStatus('unsupported');
      this.#o.onUnsupported?.(r.status);
      return;
    }
    if (r.status === 403 || r.status === 603) {
      this.#setStatus('rejected');
      return;
    }
    this.#retryLater(r.retryAfter);
  }

  #retryLater(retryAfter: number | null): void {
    this.#setStatus('retrying');
    const wait = retryAfter ?? this.#backoff;
    this.#backoff = Math.min(MAX_BACKOFF_S, this.#backoff * 2);
    this.#schedule(wait, () => this.start());
  }

  #schedule(seconds: number, fn: () => void): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = null;
      fn();
    }, seconds * 1000);
  }

  #clearTimers(): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    if (this.#timerN !== null) this.#o.clock.clearTimeout(this.#timerN);
    this.#timer = null;
    this.#timerN = null;
  }

  #setStatus(status: SubscriptionStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#o.onStatus?.(status);
  }
}

const failed: SubscribeResponse = { status: 503, expires: null, minExpires: null, retryAfter: null };
