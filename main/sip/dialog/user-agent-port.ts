/**
 * What the dialog layer needs from the UA core below it (main/sip/ua/user-agent.ts provides these
 * names): send a request and get its final response (digest retry, target resolution from the Route /
 * Request-URI, Via, transaction), send an INVITE with a handle to CANCEL it, and send an ACK for a 2xx
 * outside any transaction (RFC 3261 §13.2.2.4, §17.1.1.3).
 */
import type { SipRequest, SipResponse } from '../message/index.ts';

export interface InviteHandlers {
  /** 1xx responses (101-199 carry the To tag of an early dialog, §12.1.2) */
  onProvisional(response: SipResponse): void;
  /**
   * The final response; for a 2xx, also every retransmission of it and 2xx from other forks
   * (§13.2.2.4: each one is ACKed). A timeout or transport failure arrives as a synthesized 408/503.
   */
  onFinal(response: SipResponse): void;
}

export interface InviteHandle {
  /** §9.1: CANCEL the INVITE (sent once a provisional arrived; no effect after a final response) */
  cancel(): void;
}

export interface DialogUserAgent {
  /** a non-INVITE request; resolves with the final response (synthesized 408/503 on timeout/failure) */
  sendRequest(request: SipRequest, options?: { readonly onProvisional?: (response: SipResponse) => void }): Promise<SipResponse>;
  sendInvite(request: SipRequest, handlers: InviteHandlers): InviteHandle;
  /** §13.2.2.4: the ACK for a 2xx, routed like any in-dialog request (its Route / Request-URI) */
  sendAck(ack: SipRequest): void;
}

/** The server transaction of a received request, as far as a TU answers it (§17.2). */
export interface ResponseChannel {
  respond(response: SipResponse): void;
}
