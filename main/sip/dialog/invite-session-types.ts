/** Shapes shared by the INVITE session (RFC 3261 §13-§15) and its users. */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Clock, TimerConfig } from '../transaction/index.ts';
import type { DialogLayer } from './dialog-layer.ts';
import type { OfferAnswer } from './offer-answer.ts';
import type { DialogUserAgent } from './user-agent-port.ts';

/**
 * calling: our INVITE is out, no dialog yet · early: a 1xx with To tag made an early dialog (§12.1) ·
 * incoming: an INVITE arrived, not answered yet · confirmed: a 2xx made the dialog confirmed ·
 * terminated: over (BYE, CANCEL, rejection, failure).
 */
export type InviteSessionState = 'calling' | 'early' | 'incoming' | 'confirmed' | 'terminated';

export interface SessionEnd {
  /** who ended it: we did (hang-up, cancel, decline), they did (BYE, CANCEL, rejection), or the network */
  readonly by: 'local' | 'remote' | 'network';
  /** SIP status when a final response ended it (486, 603, 487, 408 ...) */
  readonly status: number | null;
  readonly reason: string;
}

/** `M`: what the OfferAnswer yields for the media (opaque to the SIP stack) */
export interface InviteSessionEvents<M> {
  onState?(state: InviteSessionState): void;
  /** 180/183 (§13.2.2.1) */
  onProgress?(response: SipResponse): void;
  /** an offer/answer exchange completed: start or update the media (initial, hold, resume, §8.4) */
  onMedia?(media: M): void;
  onTerminated?(end: SessionEnd): void;
  /** a key the far end pressed, sent in SIP INFO (info-dtmf.ts); RFC 4733 keys come with the media */
  onDtmf?(digit: string): void;
  /** an in-dialog MESSAGE (RFC 3428 §4); resolves with the status to answer (default 200) */
  onMessage?(request: SipRequest): Promise<number> | number;
}

export interface InviteSessionOptions<M> {
  readonly ua: DialogUserAgent;
  readonly layer: DialogLayer;
  readonly clock: Clock;
  readonly timers?: TimerConfig;
  /** our Contact header value, e.g. `<sip:alice@127.0.0.1:5060>` (§8.1.1.8, §12.1.1) */
  readonly localContact: string;
  /** the session's offer/answer (RFC 3264): SDP bodies in and out */
  readonly sdp: OfferAnswer<M>;
  readonly events: InviteSessionEvents<M>;
  /** RFC 4028: the Session-Expires we ask for in seconds (default 1800, never below Min-SE 90) */
  readonly sessionExpires?: number;
  /** [0,1) for the §14.1 491 back-off; default Math.random */
  readonly random?: () => number;
}
