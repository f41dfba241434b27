/**
 * The Event Publication Agent side of RFC 3903 (SIP PUBLISH) for one event state (our presence).
 *
 * - §4.1 initial publication: PUBLISH with the body and no SIP-If-Match; the 2xx carries SIP-ETag and
 *   Expires (§4.1, §11.3), which we keep.
 * - §4.2 refresh before the publication expires: PUBLISH with SIP-If-Match = the entity-tag and NO body.
 * - §4.3 modify: SIP-If-Match and the new body. §4.4 remove: SIP-If-Match and Expires: 0.
 * - §6 (ESC step 3): a 412 Conditional Request Failed means the entity-tag is unknown (expired, server
 *   restarted): start again with an initial publication of the current state.
 * - §4.1 / RFC 3261 §21.4.18: 423 Interval Too Brief → retry with its Min-Expires.
 * - 489 Bad Event / 405 / 501: the server does not do presence: `unsupported`, and no more requests.
 * - other failures (408, 5xx, no route): retry after a back-off that doubles up to MAX_BACKOFF, or the
 *   Retry-After the server gave.
 * Only one PUBLISH is in flight at a time; a change made meanwhile is sent when it completes.
 */
import type { Clock, TimerHandle } from '../transaction/clock.ts';

export interface PublishRequest {
  /** the body to send; null for a refresh or a removal (§4.2, §4.4) */
  readonly body: string | null;
  /** SIP-If-Match: the entity-tag of the publication being refreshed/modified/removed; null = initial */
  readonly ifMatch: string | null;
  readonly expires: number;
}

export interface PublishResponse {
  /** the final status; 408 for a timeout, 503 for a transport failure */
  readonly status: number;
  readonly etag: string | null;
  readonly expires: number | null;
  readonly minExpires: number | null;
  readonly retryAfter: number | null;
}

export type PublicationStatus = 'idle' | 'publishing' | 'published' | 'retrying' | 'unsupported' | 'removed';

export interface PublicationOptions {
  readonly clock: Clock;
  readonly send: (request: PublishRequest) => Promise<PublishResponse>;
  /** the Expires we ask for (seconds); default 3600 */
  readonly expires?: number;
  /** called once when the server says it does not support the event (489/405/501) */
  readonly onUnsupported?: (status: number) => void;
  readonly onStatus?: (status: PublicationStatus) => void;
}

export const FIRST_BACKOFF_S = 30;
export const MAX_BACKOFF_S = 1800;

/** §4.2: refresh ahead of expiry: a minute early, or halfway for short publications */
export function refreshDelaySeconds(expires: number): number {
  return expires > 120 ? expires - 60 : Math.max(1, Math.floor(expires / 2));
}

export class Publication {
  readonly #o: PublicationOptions;
  #expires: number;
  #etag: string | null = null;
  /** the state to publish; null before the first publish() */
  #body: string | null = null;
  /** the body changed since the last successful PUBLISH */
  #dirty = false;
  #inFlight = false;
  #timer: TimerHandle | null = null;
  #backoff = FIRST_BACKOFF_S;
  #status: PublicationStatus = 'idle';
  #removing: Promise<void> | null = null;
  #running: Promise<void> | null = null;

  constructor(options: PublicationOptions) {
    this.#o = options;
    this.#expires = options.expires ?? 3600;
  }

  get status(): PublicationStatus {
    return this.#status;
  }

  get etag(): string | null {
    return this.#etag;
  }

  /** Publishes `body` (initial or modify, §4.1/§4.3); an unchanged body sends nothing. */
  publish(body: string): void {
    if (this.#status === 'unsupported' || this.#removing !== null) return;
    if (body === this.#body && !this.#dirty && this.#etag !== null) return;
    this.#body = body;
    this.#dirty = true;
    this.#kick();
  }

  /** §4.4: removes the publication (Expires: 0), if there is one; no more requests afterwards. */
  remove(): Promise<void> {
    if (this.#removing) return this.#removing;
    this.#clearTimer();
    const etag = this.#etag;
    this.#removing = (async () => {
      if (etag !== null && this.#status !== 'unsupported') {
        await this.#o.send({ body: null, ifMatch: etag, expires: 0 }).catch(() => undefined);
      }
      this.#etag = null;
      this.#setStatus('removed');
    })();
    return this.#removing;
  }

  /**
   * The last state before going away (offline on quit): waits for a PUBLISH in flight (its answer may
   * change the entity-tag), then modifies the publication to `body` (§4.3), or publishes it afresh after
   * a 412 or when there is none (§4.1). No more requests afterwards.
   */
  publishFinal(body: string): Promise<void> {
    if (this.#removing) return this.#removing;
    this.#clearTimer();
    this.#removing = (async () => {
      await this.#running;
      if (this.#status === 'unsupported') return;
      const send = (ifMatch: string | null) => this.#o.send({ body, ifMatch, expires: this.#expires }).catch(() => null);
      const r = await send(this.#etag);
      if (r?.status === 412 && this.#etag !== null) await send(null);
      this.#setStatus('removed');
    })();
    return this.#removing;
  }

  /** Stops every timer (no request is sent). */
  dispose(): void {
    this.#clearTimer();
    this.#removing ??= Promise.resolve();
  }

  /** After the account registered again (maybe a new server): publish afresh at once. */
  restart(): void {
    if (this.#status === 'unsupported' || this.#removing !== null || this.#body === null) return;
    this.#etag = null;
    this.#dirty = true;
    this.#backoff = FIRST_BACKOFF_S;
    this.#clearTimer();
    this.#kick();
  }

  #kick(): void {
    if (this.#inFlight || this.#removing !== null) return;
    this.#clearTimer();
    this.#running = this.#run();
  }

  async #run(): Promise<void> {
    if (this.#body === null) return;
    this.#inFlight = true;
    const body = this.#body;
    // §4.3: a modify carries the body; §4.2: a refresh does not
    const request: PublishRequest = this.#etag === null || this.#dirty ? { body, ifMatch: this.#etag, expires: this.#expires } : { body: null, ifMatch: this.#etag, expires: this.#expires };
    this.#dirty = false;
    this.#setStatus('publishing');
    let response: PublishResponse;
    try {
      response = await this.#o.send(request);
    } catch {
      response = { status: 503, etag: null, expires: null, minExpires: null, retryAfter: null };
    }
    this.#inFlight = false;
    if (this.#removing !== null) {
      // going away: only the entity-tag matters (the final modify must name the current one)
      if (response.status >= 200 && response.status < 300) this.#etag = response.etag;
      return;
    }
    this.#handle(request, response, body);
  }

  #handle(request: PublishRequest, r: PublishResponse, sentBody: string): void {
    if (r.status >= 200 && r.status < 300) {
      // §4.1: the ESC MUST return SIP-ETag; without one we cannot refresh, so the next one is initial
      this.#etag = r.etag;
      this.#backoff = FIRST_BACKOFF_S;
      const expires = r.expires ?? request.expires;
      this.#setStatus('published');
      if (this.#dirty || this.#body !== sentBody) {
        this.#dirty = true;
        this.#kick();
        return;
      }
      this.#schedule(refreshDelaySeconds(expires));
      return;
    }
    if (r.status === 412) {
      // §6 step 3: "412 (Conditional Request Failed)": the entity-tag is gone; initial publication again
      this.#etag = null;
      this.#dirty = true;
      this.#kick();
      return;
    }
    if (r.status === 423 && r.minExpires !== null && r.minExpires > this.#expires) {
      this.#expires = r.minExpires;
      this.#dirty = true;
      this.#kick();
      return;
    }
    if (r.status === 489 || r.status === 405 || r.status === 501) {
      this.#etag = null;
      this.#setStatus('unsupported');
      this.#o.onUnsupported?.(r.status);
      return;
    }
    // anything else: try again later with the whole state (the publication may be gone)
    this.#dirty = true;
    if (request.ifMatch === null) this.#etag = null;
    this.#setStatus('retrying');
    const wait = r.retryAfter ?? this.#backoff;
    this.#backoff = Math.min(MAX_BACKOFF_S, this.#backoff * 2);
    this.#schedule(wait);
  }

  #schedule(seconds: number): void {
    this.#clearTimer();
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = null;
      this.#kick();
    }, seconds * 1000);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #setStatus(status: PublicationStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#o.onStatus?.(status);
  }
}
