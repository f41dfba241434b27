/**
 * RFC 4028 session timers, the negotiation half: Session-Expires / Min-SE headers, what we put in our
 * requests (§7.1, §7.4), what a UAS answers (§9) and what the UAC learns from the 2xx (§7.2) or a 422
 * (§7.3). Pure functions; session-refresh.ts runs the clock.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';

/** §4: "the minimum value ... MUST NOT be less than 90 seconds" */
export const MIN_SE = 90;
/** §4: the RECOMMENDED Session-Expires is 1800 s */
export const DEFAULT_SESSION_EXPIRES = 1800;
export const TIMER_TAG = 'timer';

export type Refresher = 'uac' | 'uas';

export interface SessionExpires {
  /** delta-seconds */
  readonly interval: number;
  readonly refresher: Refresher | null;
}

/** §4: `Session-Expires: delta-seconds *(;se-params)`, se-params = refresher=uas/uac or generic. Null when absent or unreadable. */
export function parseSessionExpires(message: SipRequest | SipResponse): SessionExpires | null {
  const raw = message.headers.get('Session-Expires');
  if (raw === null) return null;
  const [first, ...params] = raw.split(';');
  const interval = /^\s*(\d{1,10})\s*$/.exec(first ?? '');
  if (interval === null) return null;
  let refresher: Refresher | null = null;
  for (const p of params) {
    const m = /^\s*refresher\s*=\s*(uac|uas)\s*$/i.exec(p);
    if (m !== null) refresher = (m[1] ?? '').toLowerCase() as Refresher;
  }
  return { interval: Number(interval[1]), refresher };
}

/** §5: `Min-SE: delta-seconds`; null when absent or unreadable */
export function parseMinSe(message: SipRequest | SipResponse): number | null {
  const raw = message.headers.get('Min-SE');
  const m = raw === null ? null : /^\s*(\d{1,10})\s*(?:;.*)?$/.exec(raw);
  return m === null ? null : Number(m[1]);
}

export function formatSessionExpires(se: SessionExpires): string {
  return se.refresher === null ? String(se.interval) : `${se.interval};refresher=${se.refresher}`;
}

function supportsTimer(message: SipRequest | SipResponse): boolean {
  return (message.supported ?? []).some((t) => t.toLowerCase() === TIMER_TAG) || (message.require ?? []).some((t) => t.toLowerCase() === TIMER_TAG);
}

/** What a UAS does with a session refresh request or an initial INVITE (§9). */
export type UasTimerDecision =
  /** §9: Session-Expires below our minimum: 422 with our Min-SE */
  | { readonly kind: 'too-small'; readonly minSe: number }
  /** the 2xx carries these headers; the timer runs with `weRefresh` */
  | { readonly kind: 'timer'; readonly interval: number; readonly weRefresh: boolean; readonly headers: [string, string][] }
  | { readonly kind: 'none' };

/**
 * §9: the UAS's answer to an INVITE, re-INVITE or UPDATE. With a Session-Expires below our minimum:
 * 422 (only when the UAC supports timers; otherwise it could not retry, and we raise it instead).
 * Refresher: the request's choice if any; a UAC without `timer` support cannot refresh, so `uas`;
 * none chosen by a supporting UAC: we elect `uac`. Without Session-Expires in the request we still
 * run a timer (§9: the UAS MAY), with the refresher elected the same way. The 2xx then carries
 * Session-Expires with the refresher, and `Require: timer` when the UAC supports it.
 */
export function uasDecide(request: SipRequest, localMinSe = MIN_SE, preferred = DEFAULT_SESSION_EXPIRES): UasTimerDecision {
  const asked = parseSessionExpires(request);
  const theirMinSe = parseMinSe(request) ?? 0;
  const uacSupports = supportsTimer(request);
  if (asked !== null && asked.interval < localMinSe && uacSupports) return { kind: 'too-small', minSe: localMinSe };
  const floor = Math.max(localMinSe, theirMinSe);
  const interval = Math.max(asked?.interval ?? preferred, floor);
  const refresher: Refresher = !uacSupports ? 'uas' : (asked?.refresher ?? 'uac');
  const headers: [string, string][] = [['Session-Expires', formatSessionExpires({ interval, refresher })]];
  if (uacSupports) headers.push(['Require', TIMER_TAG]);
  return { kind: 'timer', interval, weRefresh: refresher === 'uas', headers };
}

/** What the UAC of an INVITE/re-INVITE/UPDATE learns from its 2xx (§7.2). */
export type UacTimerResult = { readonly kind: 'timer'; readonly interval: number; readonly weRefresh: boolean } | { readonly kind: 'none' };

/**
 * §7.2: "If the 2xx response did not contain a Session-Expires header field, there is no session
 * expiration." With one: refresher=uac means we (who sent the request) refresh; a 2xx without the
 * refresher parameter (a UAS that does not know timers, the proxy inserted it) also leaves it to us.
 */
export function uacResult(response: SipResponse): UacTimerResult {
  const se = parseSessionExpires(response);
  if (se === null || se.interval <= 0) return { kind: 'none' };
  return { kind: 'timer', interval: se.interval, weRefresh: se.refresher !== 'uas' };
}

/** The headers of our session refresh requests and initial INVITE (§7.1, §7.4). */
export class TimerRequestHeaders {
  /** the Session-Expires we ask for */
  #interval: number;
  /** the highest Min-SE we learned (422s, §7.3; their requests, §7.4) */
  #minSe: number;
  #retries422 = 0;

  constructor(interval = DEFAULT_SESSION_EXPIRES, minSe = MIN_SE) {
    this.#minSe = minSe;
    this.#interval = Math.max(interval, minSe);
  }

  get interval(): number {
    return this.#interval;
  }
  get minSe(): number {
    return this.#minSe;
  }

  /** an interval negotiated in a 2xx becomes the one we ask for next time (§7.4) */
  negotiated(interval: number): void {
    this.#interval = Math.max(interval, this.#minSe);
  }

  /** §7.4: a refresh request from the other side may raise the Min-SE we must use */
  learnMinSe(request: SipRequest): void {
    const m = parseMinSe(request);
    if (m !== null && m > this.#minSe) this.#minSe = m;
    this.#interval = Math.max(this.#interval, this.#minSe);
  }

  /**
   * §7.3: a 422 carries the Min-SE of whoever refused; the retry asks for at least that. False when it
   * gives nothing new (no or no larger Min-SE) or after three retries, so a broken peer cannot loop us.
   */
  on422(response: SipResponse): boolean {
    const m = parseMinSe(response);
    if (m === null || m <= this.#interval || this.#retries422 >= 3) return false;
    this.#retries422++;
    this.#minSe = Math.max(this.#minSe, m);
    this.#interval = m;
    return true;
  }

  /** `Supported: timer`, Session-Expires (refresher = ours when we refresh, §7.4) and Min-SE */
  headers(refresher: Refresher | null): [string, string][] {
    return [
      ['Supported', TIMER_TAG],
      ['Session-Expires', formatSessionExpires({ interval: this.#interval, refresher })],
      ['Min-SE', String(this.#minSe)],
    ];
  }
}
