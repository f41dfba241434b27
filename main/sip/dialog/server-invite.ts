/**
 * Answering an INVITE (initial or re-INVITE) as UAS, RFC 3261 §13.3.1: responses carry our To tag;
 * a 2xx carries Contact and the SDP and is retransmitted by the TU until the ACK (§13.3.1.4).
 */
import { createResponse } from '../message/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Clock, TimerConfig } from '../transaction/index.ts';
import { SDP_TYPE } from './offer-answer.ts';
import { TwoXxRetransmitter } from './two-xx-retransmitter.ts';
import type { ResponseChannel } from './user-agent-port.ts';

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, UPDATE, INFO, MESSAGE, OPTIONS';

/** Warning: 399 (§20.43) with the plain reason we could not do what was asked */
export function warning(reason: string): [string, string] {
  return ['Warning', `399 messenger "${reason.replace(/["\\]/g, "'")}"`];
}

/**
 * §12.1.1: "When a UAS responds to a request with a response that establishes a dialog (such as a 2xx to
 * INVITE), the UAS MUST copy all Record-Route header field values from the request into the response
 * (including the URIs, URI parameters, and any Record-Route header field parameters, whether they are
 * known or unknown to the UAS) and MUST maintain the order of those values."
 */
function recordRouteOf(request: SipRequest, status: number): [string, string][] {
  if (status <= 100 || status >= 300) return [];
  return request.headers.getAll('Record-Route').map((v): [string, string] => ['Record-Route', v]);
}

export interface ResponseExtra {
  readonly reason?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

export class ServerInvite {
  readonly localTag: string;
  readonly #contact: string;
  readonly #retransmitter: TwoXxRetransmitter;
  #current: { readonly request: SipRequest; readonly channel: ResponseChannel } | null = null;

  constructor(localTag: string, contact: string, clock: Clock, timers: TimerConfig, onNoAck: () => void) {
    this.localTag = localTag;
    this.#contact = contact;
    this.#retransmitter = new TwoXxRetransmitter(clock, timers, (r) => this.#current?.channel.respond(r), onNoAck);
  }

  get request(): SipRequest | null {
    return this.#current?.request ?? null;
  }

  /** a 2xx is out and its ACK has not come */
  get awaitingAck(): boolean {
    return this.#retransmitter.active;
  }

  /** the INVITE now being answered */
  use(request: SipRequest, channel: ResponseChannel): void {
    this.#current = { request, channel };
  }

  /** a provisional or non-2xx final (with our To tag, §8.2.6.2) */
  respond(status: number, extra: ResponseExtra = {}): void {
    const current = this.#current;
    if (current === null) return;
    const headers = [...recordRouteOf(current.request, status), ...(extra.headers ?? []).map((h): [string, string] => [h[0], h[1]])];
    const response = createResponse(current.request, status, extra.reason, { toTag: this.localTag, headers });
    current.channel.respond(response);
  }

  /** §13.3.1.4: the 2xx with Contact and SDP, then retransmitted T1, 2T1 ... capped at T2 until ACK */
  accept(body: string, extra: readonly [string, string][] = []): SipResponse | null {
    const current = this.#current;
    if (current === null) return null;
    const response = createResponse(current.request, 200, undefined, {
      toTag: this.localTag,
      headers: [...recordRouteOf(current.request, 200), ['Contact', this.#contact], ['Allow', ALLOW], ...extra, ['Content-Type', SDP_TYPE]],
      body,
    });
    current.channel.respond(response);
    this.#retransmitter.start(response);
    return response;
  }

  /** true when `ack` is the ACK for the 2xx we are retransmitting (it stops them) */
  takeAck(ack: SipRequest): boolean {
    const current = this.#current;
    if (current === null || !this.#retransmitter.active || ack.cseq.seq !== current.request.cseq.seq) return false;
    this.#retransmitter.stop();
    return true;
  }

  stop(): void {
    this.#retransmitter.stop();
  }
}
