/**
 * RFC 4028 session timers for one INVITE session: the headers of every INVITE/re-INVITE/UPDATE we send
 * (§7.1, §7.4), what their 2xx or 422 mean (§7.2, §7.3), our answer to theirs (§9), and the refresh
 * itself (§10): UPDATE (RFC 3311) when the peer allows it (no offer, nothing renegotiated), else a
 * re-INVITE with the current SDP. A 408/481 to the refresh ends the dialog like any in-dialog request.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Clock } from '../transaction/index.ts';
import { SessionRefresh } from './session-refresh.ts';
import { TIMER_TAG, TimerRequestHeaders, uacResult, uasDecide, type UasTimerDecision } from './session-timer.ts';

export interface SessionTimerHost {
  /** send UPDATE within the dialog with these headers; null when the dialog cannot send one */
  sendUpdate(headers: [string, string][]): Promise<SipResponse | null>;
  /** send a re-INVITE with the current SDP (its final response comes back through uacFinal) */
  sendReInvite(): void;
  /** the session expired without refresh: BYE and end */
  expired(): void;
  /** a 408/481 to our refresh: the dialog is gone (§12.2.1.2) */
  dialogGone(status: number): void;
}

export type UacFinalOutcome = 'retry' | 'done';

export class SessionTimerUsage {
  readonly request: TimerRequestHeaders;
  readonly #refresh: SessionRefresh;
  readonly #host: SessionTimerHost;
  #peerAllowsUpdate = false;
  #stopped = false;

  constructor(clock: Clock, host: SessionTimerHost, sessionExpires?: number) {
    this.request = new TimerRequestHeaders(sessionExpires);
    this.#host = host;
    this.#refresh = new SessionRefresh(clock, { refresh: () => this.refreshNow(), expire: () => host.expired() });
  }

  /** the negotiated interval in seconds, null without a session timer */
  get interval(): number | null {
    return this.#refresh.interval;
  }
  get weRefresh(): boolean {
    return this.#refresh.weRefresh;
  }
  get peerAllowsUpdate(): boolean {
    return this.#peerAllowsUpdate;
  }

  /** Supported/Session-Expires/Min-SE for a request we send; refresher = who refreshes now (§7.4) */
  requestHeaders(): [string, string][] {
    if (this.#refresh.interval === null) return this.request.headers(null);
    return this.request.headers(this.#refresh.weRefresh ? 'uac' : 'uas');
  }

  /** RFC 3311 §5.1 / RFC 4028 §7.4: UPDATE is used for refreshes when their Allow lists it */
  learnAllow(message: SipRequest | SipResponse): void {
    const allow = message.allow;
    if (allow !== null) this.#peerAllowsUpdate = allow.some((m) => m.toUpperCase() === 'UPDATE');
  }

  /**
   * The final response to an INVITE/re-INVITE/UPDATE we sent: a 2xx (re)starts or stops the timer
   * (§7.2); a 422 asks for a retry with the larger Min-SE it names (§7.3) when that makes sense.
   */
  uacFinal(response: SipResponse): UacFinalOutcome {
    if (this.#stopped) return 'done';
    if (response.status === 422) return this.request.on422(response) ? 'retry' : 'done';
    if (response.status < 200 || response.status >= 300) return 'done';
    this.learnAllow(response);
    const result = uacResult(response);
    if (result.kind === 'none') {
      this.#refresh.stop();
      return 'done';
    }
    this.request.negotiated(result.interval);
    this.#refresh.start(result.interval, result.weRefresh);
    return 'done';
  }

  /** §9: what we answer to their INVITE/re-INVITE/UPDATE (a 422, or headers for the 2xx) */
  uasDecide(request: SipRequest): UasTimerDecision {
    this.learnAllow(request);
    this.request.learnMinSe(request);
    return uasDecide(request, this.request.minSe);
  }

  /** our 2xx went out with `decision`'s headers: the timer restarts (§10) */
  uasAnswered(decision: UasTimerDecision): void {
    if (this.#stopped || decision.kind !== 'timer') return;
    this.request.negotiated(decision.interval);
    this.#refresh.start(decision.interval, decision.weRefresh);
  }

  /** §10: the refresher's turn */
  refreshNow(): void {
    if (this.#stopped) return;
    if (!this.#peerAllowsUpdate) {
      this.#host.sendReInvite();
      return;
    }
    void this.#host.sendUpdate(this.requestHeaders()).then((response) => {
      if (response === null || this.#stopped) return;
      if (response.status === 408 || response.status === 481) {
        this.#host.dialogGone(response.status);
        return;
      }
      // a refused refresh leaves the expiry timer running: no 2xx before it fires means BYE (§10)
      if (this.uacFinal(response) === 'retry') this.refreshNow();
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#refresh.stop();
  }
}

/** headers every 2xx to an INVITE/UPDATE of ours carries beside the timer's */
export const SUPPORTED_TIMER: [string, string] = ['Supported', TIMER_TAG];
