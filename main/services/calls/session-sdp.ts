/**
 * The offer/answer state of one call (RFC 3264) on main/media, plugged into the INVITE session as its
 * OfferAnswer: our audio config, the o= line kept across offers (§8), whether we hold (§8.4: sendonly),
 * and the last negotiated pair, which MediaSession.start takes.
 */
import { createAnswer, createOffer, mediaDirection, negotiate, parseSdp, serializeSdp, SdpOriginState } from '../../media/index.ts';
import type { LocalAudioConfig, NegotiatedAudio, SessionDescription } from '../../media/index.ts';
import type { AnswerApplyResult, InviteSession, OfferAnswer, OfferAnswerResult } from '../../sip/dialog/index.ts';

export interface NegotiatedMedia {
  readonly local: SessionDescription;
  readonly remote: SessionDescription;
  readonly audio: NegotiatedAudio;
}

/** an INVITE session whose offer/answer is SessionSdp */
export type CallSession = InviteSession<NegotiatedMedia>;

export class SessionSdp implements OfferAnswer<NegotiatedMedia> {
  hold = false;
  readonly #config: Omit<LocalAudioConfig, 'direction'>;
  readonly #origin = new SdpOriginState();
  #current: NegotiatedMedia | null = null;
  #pendingOffer: SessionDescription | null = null;

  constructor(config: Omit<LocalAudioConfig, 'direction'>) {
    this.#config = config;
  }

  get current(): NegotiatedMedia | null {
    return this.#current;
  }

  get remoteHolds(): boolean {
    const r = this.#current?.remote;
    const m = r?.media.find((x) => x.media.toLowerCase() === 'audio' && x.port !== 0);
    if (r === undefined || m === undefined) return false;
    const dir = mediaDirection(r, m);
    const address = (m.connection ?? r.connection)?.address ?? '';
    return dir === 'sendonly' || dir === 'inactive' || address === '0.0.0.0';
  }

  #direction(): 'sendrecv' | 'sendonly' {
    return this.hold ? 'sendonly' : 'sendrecv';
  }

  offer(): string {
    const sdp = createOffer({ ...this.#config, direction: this.#direction() }, this.#origin);
    this.#pendingOffer = sdp;
    return serializeSdp(sdp);
  }

  answer(offerText: string): OfferAnswerResult<NegotiatedMedia> {
    const parsed = parseSdp(offerText);
    if (!parsed.ok) return { ok: false, status: 488, reason: `unreadable SDP offer: ${parsed.error}` };
    const result = createAnswer(parsed.sdp, { ...this.#config, direction: this.#direction() }, this.#origin);
    if (!result.ok) return result;
    this.#current = { local: result.answer, remote: parsed.sdp, audio: result.audio };
    return { ok: true, body: serializeSdp(result.answer), media: this.#current };
  }

  applyAnswer(answerText: string): AnswerApplyResult<NegotiatedMedia> {
    const offer = this.#pendingOffer;
    if (offer === null) return { ok: false, reason: 'an SDP answer without an offer' };
    const parsed = parseSdp(answerText);
    if (!parsed.ok) return { ok: false, reason: `unreadable SDP answer: ${parsed.error}` };
    const result = negotiate(offer, parsed.sdp);
    if (!result.ok) return { ok: false, reason: result.reason };
    this.#pendingOffer = null;
    this.#current = { local: offer, remote: parsed.sdp, audio: result.audio };
    return { ok: true, media: this.#current };
  }

  dropOffer(): void {
    this.#pendingOffer = null;
  }
}
