/**
 * Our re-INVITE within a confirmed dialog (RFC 3261 §14.1) for hold and resume (RFC 3264 §8.4): one at a
 * time; every 2xx ACKed (§13.2.2.4); 491 retried after the §14.1 back-off; 481/408 end the dialog; any
 * other failure leaves the session as it was ("the UAC ... MUST ... keep the session parameters"). Every
 * re-INVITE is also an RFC 4028 session refresh (its headers and final responses go to the timer usage).
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Clock, TimerHandle } from '../transaction/index.ts';
import type { Dialog } from './dialog.ts';
import { SDP_TYPE, type OfferAnswer } from './offer-answer.ts';
import type { DialogUserAgent } from './user-agent-port.ts';

export interface ReInviteClientOptions<M> {
  readonly dialog: Dialog;
  readonly ua: DialogUserAgent;
  readonly sdp: OfferAnswer<M>;
  readonly clock: Clock;
  readonly random: () => number;
  /** §14.1: the owner of the Call-ID (the UAC of the first INVITE) waits 2.1-4 s after a 491, else 0-2 s */
  readonly ownsCallId: boolean;
  readonly onMedia: (media: M) => void;
  readonly onDialogGone: (status: number) => void;
  /** headers for every re-INVITE (RFC 4028 §7.4: Supported: timer, Session-Expires, Min-SE) */
  readonly extraHeaders?: () => [string, string][];
  /** the first final response of each re-INVITE (session timers, RFC 4028 §7.2/§7.3); 'retry' after a 422 */
  readonly onFinal?: (response: SipResponse) => 'retry' | 'done';
}

/** §14.1 491 back-off in ms, multiples of 10 ms */
export function glareDelay(ownsCallId: boolean, random: number): number {
  const steps = ownsCallId ? 210 + Math.floor(random * 190) : Math.floor(random * 200);
  return (ownsCallId ? Math.min(steps, 400) : Math.min(steps, 200)) * 10;
}

export class ReInviteClient<M> {
  readonly #o: ReInviteClientOptions<M>;
  #inProgress = false;
  #retry: TimerHandle | null = null;
  #disposed = false;
  /** ACK per answered re-INVITE CSeq, resent for a retransmitted 2xx */
  #acks = new Map<number, SipRequest>();

  constructor(options: ReInviteClientOptions<M>) {
    this.#o = options;
  }

  /** true while our re-INVITE has no final response (an incoming one then gets 491, §14.2) */
  get inProgress(): boolean {
    return this.#inProgress;
  }

  send(held: boolean, attempt = 0): Promise<boolean> {
    if (this.#inProgress || this.#disposed || this.#o.dialog.state !== 'confirmed') return Promise.resolve(false);
    this.#inProgress = true;
    const previous = this.#o.sdp.hold;
    this.#o.sdp.hold = held;
    const extraHeaders = this.#o.extraHeaders?.() ?? [];
    const request = this.#o.dialog.createRequest('INVITE', { body: this.#o.sdp.offer(), contentType: SDP_TYPE, extraHeaders });
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const settle = (ok: boolean): void => {
        if (settled) return;
        settled = true;
        this.#inProgress = false;
        resolve(ok);
      };
      this.#o.ua.sendInvite(request, {
        onProvisional: () => {},
        onFinal: (response) => {
          if (response.status >= 200 && response.status < 300) {
            this.#answered(response, !settled);
            settle(true);
            return;
          }
          if (settled) return;
          this.#o.sdp.dropOffer();
          this.#o.sdp.hold = previous;
          if (response.status === 422 && attempt < 3 && this.#o.onFinal?.(response) === 'retry') {
            // RFC 4028 §7.3: retried at once with the Min-SE the 422 named
            this.#inProgress = false;
            settled = true;
            void this.send(held, attempt + 1).then(resolve);
            return;
          }
          if (response.status === 491 && attempt < 2) {
            // §14.1: "the UAC SHOULD ... start a timer with a value T ... then retry"
            this.#inProgress = false;
            settled = true;
            const wait = glareDelay(this.#o.ownsCallId, this.#o.random());
            this.#retry = this.#o.clock.setTimeout(() => {
              this.#retry = null;
              void this.send(held, attempt + 1).then(resolve);
            }, wait);
            return;
          }
          if (response.status === 481 || response.status === 408) this.#o.onDialogGone(response.status);
          settle(false);
        },
      });
    });
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#retry !== null) this.#o.clock.clearTimeout(this.#retry);
    this.#retry = null;
  }

  #answered(response: SipResponse, first: boolean): void {
    const seq = response.cseq.seq;
    const known = this.#acks.get(seq);
    if (known !== undefined) {
      this.#o.ua.sendAck(known);
      return;
    }
    // §12.2.1.2: a 2xx to a target refresh request replaces the remote target
    this.#o.dialog.refreshTarget(response);
    const ack = this.#o.dialog.createAck(seq);
    this.#acks.set(seq, ack);
    this.#o.ua.sendAck(ack);
    if (first) this.#o.onFinal?.(response);
    const applied = this.#o.sdp.applyAnswer(response.body.toString('utf8'));
    if (applied.ok) this.#o.onMedia(applied.media);
  }
}
