/**
 * The offer/answer model (RFC 3264) as the INVITE session sees it: bodies in and out, and an opaque
 * negotiated result `M` for whoever runs the media. The SIP stack does not know SDP or codecs; the calls
 * service plugs in main/media's offer/answer (main/services/calls/session-sdp.ts).
 */
export const SDP_TYPE = 'application/sdp';

export type OfferAnswerResult<M> =
  | { readonly ok: true; readonly body: string; readonly media: M }
  | { readonly ok: false; readonly status: 488; readonly reason: string };

export type AnswerApplyResult<M> = { readonly ok: true; readonly media: M } | { readonly ok: false; readonly reason: string };

export interface OfferAnswer<M> {
  /** we want to hold (RFC 3264 §8.4): the next offer or answer says sendonly */
  hold: boolean;
  /** their last description puts us on hold (sendonly, inactive, or c=0.0.0.0) */
  readonly remoteHolds: boolean;
  /** the last completed exchange */
  readonly current: M | null;
  /** §5: a new offer; kept until its answer is applied or dropped */
  offer(): string;
  /** §6: answer their offer; 488 with a reason when nothing can be used */
  answer(offer: string): OfferAnswerResult<M>;
  /** §7: their answer to our pending offer */
  applyAnswer(answer: string): AnswerApplyResult<M>;
  /** the offer was refused (non-2xx to a re-INVITE): the previous exchange stays (§14.1) */
  dropOffer(): void;
}
