/** Public surface of the media layer (calls). Pure TypeScript on node:dgram; never imports electron. */
export { MediaSession, FRAME_MS, FRAME_SAMPLES, type MediaSessionOptions, type MediaStats } from './media-session.ts';
export {
  createOffer,
  createAnswer,
  negotiate,
  answerDirection,
  SdpOriginState,
  type LocalAudioConfig,
  type NegotiatedAudio,
  type NegotiationResult,
  type AnswerResult,
} from './sdp-offer-answer.ts';
export { parseSdp, serializeSdp, mediaDirection, type SessionDescription, type SdpDirection, type SdpParseResult } from './sdp.ts';
export { G722, PCMU, PCMA, DEFAULT_CODECS, DEFAULT_TELEPHONE_EVENT_PT, codecLabel, type AudioCodec, type AudioCodecName } from './audio-codecs.ts';
export { RateConverter, type PcmRate } from './rate-converter.ts';
export { encodeMulaw, decodeMulaw, encodeAlaw, decodeAlaw } from './g711.ts';
export { dtmfEventCode, dtmfDigit, type DtmfDigitEvent } from './dtmf.ts';
export { readWav, toFrames, type WavAudio, type WavReadResult } from './wav.ts';
export { newCryptoAttribute, SrtpContext, type CryptoAttribute, type SrtpSuite } from './srtp/index.ts';
export type { SrtpPolicy, NegotiatedSrtp } from './sdp-srtp.ts';
export { G722Decoder, G722Encoder } from './g722.ts';
