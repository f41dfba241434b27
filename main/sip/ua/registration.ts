/**
 * Registration (RFC 3261 §10.2) of one UserAgent's Contact with its registrar:
 *  - REGISTER with Contact and Expires; refresh at max(expires/2, expires - 30 s) of what was granted;
 *  - 423 Interval Too Brief → again at once with Min-Expires (§10.2.8, §10.3 step 7);
 *  - failures that may go away (no answer, unreachable, 5xx) and a lost connection are retried with
 *    jittered exponential backoff; a refused password is not retried on its own (the user fixes it);
 *  - CRLF keep-alives on the registration flow (RFC 5626 §3.5.1); a missing pong closes the connection,
 *    which the transport reports and which starts a new registration; over UDP an ICMP error for the
 *    registrar (RFC 3261 §18.4, udp-reachability.ts) does the same;
 *  - a failure that costs nothing to find out again (ICMP error, connection refused, connection lost) is
 *    retried every few seconds (at most `fastRetryMaxMs`) for the first `fastRetryWindowMs` offline, so
 *    a PBX that restarts is found again within seconds; then the normal backoff applies;
 *  - networkChanged(): the OS says the network changed or the machine woke up: register again at once;
 *  - stop(): unregister (Expires: 0 for our Contact, §10.2.2).
 * Every timer runs on the UA's injected clock.
 */
import type { SipResponse } from '../message/index.ts';
import type { TimerHandle } from '../transaction/index.ts';
import type { Endpoint, TransportErrorEvent } from '../transport/index.ts';
import type { AuthFailure } from './credentials-failure.ts';
import { backoffDelay, refreshDelayMs, type BackoffOptions } from './registration-backoff.ts';
import { buildRegister, grantedExpires } from './registration-request.ts';
import { causeOfWords, describeRegisterFailure, type FailureCause, type RegistrationStatus } from './registration-state.ts';
import type { UserAgent } from './user-agent.ts';

export interface RegistrationOptions {
  readonly ua: UserAgent;
  /** requested binding lifetime in seconds; default 3600 */
  readonly expires?: number;
  readonly backoff?: BackoffOptions;
  /** CRLF keep-alive interval on the flow; default 25 s over UDP (NAT bindings), 90 s over TCP/TLS; 0 = off */
  readonly keepAliveIntervalMs?: number;
  /** RFC 5626 §4.4.1: the pong must come within this; default 10 s */
  readonly pongTimeoutMs?: number;
  /** epoch ms for `until` / `retryAt`; default Date.now */
  readonly wallClock?: () => number;
  /** cap of the wait after a cheap failure (ICMP, refused, connection lost); default 4 s */
  readonly fastRetryMaxMs?: number;
  /** how long after going offline cheap failures are retried that fast; default 5 min */
  readonly fastRetryWindowMs?: number;
}

const CHEAP_FAILURES: ReadonlySet<FailureCause | undefined> = new Set<FailureCause | undefined>(['refused', 'unreachable', 'connection-lost']);

const MAX_423_RETRIES = 3;

export class Registration {
  readonly ua: UserAgent;
  readonly #options: RegistrationOptions;
  readonly #listeners = new Set<(status: RegistrationStatus) => void>();
  readonly #callId: string;
  readonly #fromTag: string;
  #cseq = 0;
  #expires: number;
  #status: RegistrationStatus = { state: 'unregistered' };
  #running = false;
  #inFlight = false;
  #generation = 0;
  #failures = 0;
  /** clock ms when the account went offline (first failure since it was registered), null while fine */
  #offlineSince: number | null = null;
  #timer: TimerHandle | null = null;
  #boundContact: string | null = null;
  #stopKeepAlive: () => void = () => undefined;
  #unsubscribe: () => void;

  constructor(options: RegistrationOptions) {
    this.ua = options.ua;
    this.#options = options;
    this.#expires = options.expires ?? 3600;
    this.#callId = this.ua.newCallId();
    this.#fromTag = this.ua.newTag();
    this.#unsubscribe = this.ua.transport.onError((e) => this.#transportError(e));
  }

  get status(): RegistrationStatus {
    return this.#status;
  }

  /** the Contact the registrar holds for us (null when not registered) */
  get contact(): string | null {
    return this.#boundContact;
  }

  onStatus(listener: (status: RegistrationStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts registering (and keeps the registration alive until stop()). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#failures = 0;
    this.#attempt(0);
  }

  /** Re-registers now (e.g. the network changed); no-op while stopped. */
  refresh(): void {
    if (!this.#running) return;
    this.#clearTimer();
    this.#attempt(0);
  }

  /**
   * Something suggests the PBX is gone (a request sent through it got no answer at all, or a transport
   * error): stop counting as registered and REGISTER now; online again when it answers, offline if not.
   */
  verify(): void {
    if (!this.#running) return;
    if (this.#status.state === 'registered') this.#set({ state: 'registering' });
    if (this.#inFlight) return;
    this.#clearTimer();
    this.#attempt(0);
  }

  /**
   * The OS reports a network change or a resume from sleep: while not registered, try again at once with
   * the backoff started afresh; while registered, refresh the binding (the address or NAT may be new).
   */
  networkChanged(): void {
    if (!this.#running) return;
    this.#failures = 0;
    this.refresh();
  }

  /** Stops refreshing and unregisters the bound Contact (Expires: 0); resolves when the registrar answered. */
  async stop(): Promise<void> {
    const wasRunning = this.#running;
    this.#running = false;
    this.#generation++;
    this.#clearTimer();
    this.#stopKeepAlive();
    this.#stopKeepAlive = () => undefined;
    const contact = this.#boundContact;
    this.#boundContact = null;
    if (wasRunning && contact !== null && !this.ua.closed) {
      const request = buildRegister(this.ua, { callId: this.#callId, fromTag: this.#fromTag, cseq: this.#nextCSeq(), expires: 0, contact });
      const flow = this.ua.flow;
      await this.ua.sendRequest(request, { nextCSeq: () => this.#nextCSeq(), ...(flow !== null ? { destination: flow } : {}) });
    }
    this.ua.setFlow(null);
    this.#set({ state: 'unregistered' });
  }

  /** stop() without waiting, and no more transport events */
  dispose(): void {
    this.#unsubscribe();
    this.#unsubscribe = () => undefined;
    this.#running = false;
    this.#generation++;
    this.#clearTimer();
    this.#stopKeepAlive();
  }

  #attempt(retries423: number): void {
    if (!this.#running || this.#inFlight || this.ua.closed) return;
    this.#inFlight = true;
    const generation = ++this.#generation;
    if (this.#status.state !== 'registered') this.#set({ state: 'registering' });
    let auth: AuthFailure | null = null;
    const expires = this.#expires;
    // a refresh keeps the Contact and the flow that was bound (§10.2.1: the same Contact refreshes it)
    const contact = this.#boundContact;
    const flow = contact !== null ? this.ua.flow : null;
    const request = buildRegister(this.ua, { callId: this.#callId, fromTag: this.#fromTag, cseq: this.#nextCSeq(), expires, contact });
    void this.ua
      .sendRequestDetailed(request, {
        nextCSeq: () => this.#nextCSeq(),
        onAuthFailure: (f) => (auth = f),
        ...(flow !== null ? { destination: flow } : {}),
        prepare: (r, destination) => {
          // the Contact names the flow this REGISTER leaves on; over TCP/TLS its local port is known once
          // the connection exists (after the first attempt, i.e. by the challenged retry)
          if (contact === null) r.headers.set('Contact', this.ua.contact(destination));
        },
      })
      .then(({ response, request: sent, endpoint }) => {
        this.#inFlight = false;
        if (generation !== this.#generation || !this.#running) {
          // stopped while this REGISTER was on its way: remove the binding it just created (§10.2.2)
          if (!this.#running && response.status >= 200 && response.status < 300) this.#unregisterStray(sent.headers.get('Contact'), endpoint);
          return;
        }
        if (response.status >= 200 && response.status < 300) {
          this.#registered(sent.headers.get('Contact') ?? '', response, endpoint, expires);
          return;
        }
        if (response.status === 423 && retries423 < MAX_423_RETRIES) {
          // §10.2.8: retry with an expiration interval >= Min-Expires
          let min: number | null;
          try {
            min = response.minExpires;
          } catch {
            min = null;
          }
          if (min !== null && min > this.#expires) {
            this.#expires = min;
            this.#attempt(retries423 + 1);
            return;
          }
        }
        this.#failed(response.status === 423 ? null : auth, response);
      });
  }

  #unregisterStray(contact: string | null, flow: Endpoint): void {
    if (contact === null || this.ua.closed) return;
    const request = buildRegister(this.ua, { callId: this.#callId, fromTag: this.#fromTag, cseq: this.#nextCSeq(), expires: 0, contact });
    void this.ua.sendRequest(request, { nextCSeq: () => this.#nextCSeq(), destination: flow });
  }

  #registered(contact: string, response: SipResponse, flow: Endpoint, requested: number): void {
    const granted = grantedExpires(response, contact, requested);
    this.#failures = 0;
    this.#offlineSince = null;
    this.#boundContact = contact;
    const previous = this.ua.flow;
    this.ua.setFlow(flow);
    if (previous === null || previous.connectionId !== flow.connectionId || previous.address !== flow.address || previous.port !== flow.port) {
      this.#stopKeepAlive();
      const interval = this.#options.keepAliveIntervalMs ?? (flow.protocol === 'udp' ? 25_000 : 90_000);
      this.#stopKeepAlive = interval > 0 ? this.ua.startKeepAlive(flow, interval, this.#options.pongTimeoutMs) : () => undefined;
    }
    this.#set({ state: 'registered', until: this.#wall() + granted * 1000 });
    this.#schedule(refreshDelayMs(granted), () => this.#attempt(0));
  }

  #failed(auth: AuthFailure | null, response: SipResponse): void {
    const words = describeRegisterFailure(response, auth);
    this.#boundContact = null;
    this.#retryLater(words.code, words.reason, words.transient, words.cause);
  }

  #retryLater(code: number | null, reason: string, retry: boolean, cause: FailureCause): void {
    this.#stopKeepAlive();
    this.#stopKeepAlive = () => undefined;
    this.ua.setFlow(null);
    const now = this.ua.clock.now();
    this.#offlineSince ??= now;
    if (!retry) {
      this.#set({ state: 'failed', code, reason, retryAt: null, cause });
      return;
    }
    this.#failures++;
    let delay = backoffDelay(this.#failures, this.#options.backoff);
    if (CHEAP_FAILURES.has(cause) && now - this.#offlineSince < (this.#options.fastRetryWindowMs ?? 5 * 60_000)) {
      delay = Math.min(delay, this.#options.fastRetryMaxMs ?? 4_000);
    }
    this.#set({ state: 'failed', code, reason, retryAt: this.#wall() + delay, cause });
    this.#schedule(delay, () => this.#attempt(0));
  }

  /** the connection our binding lives on broke (or its keep-alive went unanswered): register again */
  #transportError(event: TransportErrorEvent): void {
    const flow = this.ua.flow;
    if (!this.#running || flow === null || this.#boundContact === null) return;
    if (flow.protocol !== event.endpoint.protocol) return;
    const same = flow.connectionId !== undefined && event.endpoint.connectionId !== undefined
      ? flow.connectionId === event.endpoint.connectionId
      : flow.address === event.endpoint.address && flow.port === event.endpoint.port;
    if (!same) return;
    this.#boundContact = null;
    this.#clearTimer();
    this.#generation++;
    this.#inFlight = false;
    this.#retryLater(null, `connection to the PBX lost (${event.reason})`, true, causeOfWords(event.reason));
  }

  #schedule(ms: number, fn: () => void): void {
    this.#clearTimer();
    this.#timer = this.ua.clock.setTimeout(() => {
      this.#timer = null;
      fn();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.ua.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #nextCSeq(): number {
    this.#cseq = this.#cseq >= 2 ** 31 - 1 ? 1 : this.#cseq + 1;
    return this.#cseq;
  }

  #wall(): number {
    return (this.#options.wallClock ?? Date.now)();
  }

  #set(status: RegistrationStatus): void {
    this.#status = status;
    for (const l of this.#listeners) l(status);
  }
}
