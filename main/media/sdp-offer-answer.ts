/**
 * SDP offer/answer for one audio stream (RFC 3264): building offers (§5) and answers (§6), reading the
 * negotiated result from a local/remote pair (§6.1, §7), hold and resume by direction (§8.4), and the
 * o= version rule for subsequent offers (§8). Audio with G.722, PCMU and PCMA (RTP clock 8000, RFC 3551
 * §4.5.2), ptime 20, and telephone-event (RFC 4733) is offered or accepted, on RTP/AVP or RTP/SAVP.
 */
import {
  codecFor,
  DEFAULT_CODECS,
  DEFAULT_TELEPHONE_EVENT_PT,
  describeFormats,
  isTelephoneEvent,
  ptimeOf,
  STATIC_CODECS,
  type AudioCodec,
  type AudioCodecName,
} from './audio-codecs.ts';
import { answerSrtp, negotiatedSrtp, offerSrtp, type NegotiatedSrtp, type SrtpPolicy } from './sdp-srtp.ts';
import { findAttribute, mediaDirection, serializeSdp, type SdpAttribute, type SdpConnection, type SdpDirection, type SdpMedia, type SessionDescription } from './sdp.ts';

export interface LocalAudioConfig {
  /** address we receive media on (IPv4 or IPv6 literal) */
  readonly address: string;
  readonly port: number;
  /** our RTCP port if it is not port + 1 (written as a=rtcp, RFC 3605) */
  readonly rtcpPort?: number;
  /** supported codecs in preference order (default G722, PCMU, PCMA) */
  readonly codecs?: readonly AudioCodecName[];
  readonly telephoneEventPt?: number;
  readonly ptime?: number;
  /** what we want: sendonly to hold, sendrecv to resume, inactive when both hold */
  readonly direction?: SdpDirection;
  /** SRTP with SDES keys (RFC 4568); absent = plain RTP/AVP only */
  readonly srtp?: SrtpPolicy;
}

export interface NegotiatedAudio {
  /** codec we send (and expect) */
  readonly codec: AudioCodec;
  /** payload type to SEND telephone-events with (the remote's number), null if the remote has none */
  readonly sendTelephoneEventPt: number | null;
  /** payload type we RECEIVE telephone-events on (our own number), null if we did not list one */
  readonly receiveTelephoneEventPt: number | null;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly remoteRtcpPort: number;
  readonly ptime: number;
  readonly direction: SdpDirection;
  readonly send: boolean;
  readonly receive: boolean;
  /** the SRTP suite and keys both sides agreed on (RFC 4568), null for clear RTP */
  readonly srtp: NegotiatedSrtp | null;
}

export type NegotiationResult = { ok: true; audio: NegotiatedAudio } | { ok: false; status: 488; reason: string };
export type AnswerResult = { ok: true; answer: SessionDescription; audio: NegotiatedAudio } | { ok: false; status: 488; reason: string };

const AUDIO_PROTO = 'RTP/AVP';

export function directionOf(send: boolean, receive: boolean): SdpDirection {
  if (send && receive) return 'sendrecv';
  if (send) return 'sendonly';
  if (receive) return 'recvonly';
  return 'inactive';
}

const sends = (d: SdpDirection): boolean => d === 'sendrecv' || d === 'sendonly';
const receives = (d: SdpDirection): boolean => d === 'sendrecv' || d === 'recvonly';

/**
 * RFC 3264 §6.1: offer sendonly → answer recvonly (or inactive); recvonly → sendonly (or inactive);
 * inactive → inactive; sendrecv → any. We intersect the mirror of the offer with what we want.
 */
export function answerDirection(offered: SdpDirection, wanted: SdpDirection): SdpDirection {
  return directionOf(receives(offered) && sends(wanted), sends(offered) && receives(wanted));
}

function addrType(address: string): 'IP4' | 'IP6' {
  return address.includes(':') ? 'IP6' : 'IP4';
}

/**
 * Keeps the o= line across offers and answers of one session (RFC 3264 §8, RFC 4566 §5.2): the session
 * id is fixed, the version starts random-ish and increments whenever the description changes.
 */
export class SdpOriginState {
  readonly sessionId: string;
  private version: bigint;
  private lastBody: string | null = null;

  constructor(sessionId?: string, initialVersion?: bigint) {
    const seed = BigInt(Math.floor(Date.now() / 1000) + 2208988800); // NTP seconds, RFC 4566 §5.2 suggestion
    this.sessionId = sessionId ?? seed.toString();
    this.version = initialVersion ?? seed;
  }

  get currentVersion(): bigint {
    return this.version;
  }

  /** stamp `sdp` with our origin; bump the version if the body differs from the last one we sent */
  stamp(sdp: SessionDescription): SessionDescription {
    const body = serializeSdp({ ...sdp, origin: { ...sdp.origin, sessionId: '0', sessionVersion: '0' } });
    if (this.lastBody !== null && body !== this.lastBody) this.version += 1n;
    this.lastBody = body;
    return { ...sdp, origin: { ...sdp.origin, sessionId: this.sessionId, sessionVersion: this.version.toString() } };
  }
}

function audioMedia(config: LocalAudioConfig, codecs: readonly AudioCodec[], tePt: number | null, direction: SdpDirection): SdpMedia {
  const attributes: SdpAttribute[] = [];
  for (const c of codecs) attributes.push({ name: 'rtpmap', value: `${c.payloadType} ${c.name}/8000` });
  if (tePt !== null) {
    attributes.push({ name: 'rtpmap', value: `${tePt} telephone-event/8000` });
    attributes.push({ name: 'fmtp', value: `${tePt} 0-16` });
  }
  attributes.push({ name: 'ptime', value: String(config.ptime ?? 20) });
  if (config.rtcpPort !== undefined && config.rtcpPort !== config.port + 1) {
    attributes.push({ name: 'rtcp', value: `${config.rtcpPort} IN ${addrType(config.address)} ${config.address}` });
  }
  attributes.push({ name: direction, value: null });
  const formats = codecs.map((c) => String(c.payloadType));
  if (tePt !== null) formats.push(String(tePt));
  return { media: 'audio', port: config.port, portCount: null, proto: AUDIO_PROTO, formats, connection: null, attributes, otherLines: [] };
}

function baseDescription(config: LocalAudioConfig, media: SdpMedia[]): SessionDescription {
  const connection: SdpConnection = { netType: 'IN', addrType: addrType(config.address), address: config.address };
  return {
    version: 0,
    origin: { username: '-', sessionId: '0', sessionVersion: '0', netType: 'IN', addrType: connection.addrType, address: config.address },
    sessionName: '-',
    connection,
    timing: ['0 0'],
    attributes: [],
    otherLines: [],
    media,
  };
}

/** RFC 3264 §5: an offer with one audio stream, codecs in our preference order. */
export function createOffer(config: LocalAudioConfig, origin: SdpOriginState): SessionDescription {
  const names = config.codecs ?? DEFAULT_CODECS;
  const codecs = names.map((n) => STATIC_CODECS.find((c) => c.name === n)).filter((c): c is AudioCodec => c !== undefined);
  const media = audioMedia(config, codecs, config.telephoneEventPt ?? DEFAULT_TELEPHONE_EVENT_PT, config.direction ?? 'sendrecv');
  const srtp = offerSrtp(config.srtp);
  return origin.stamp(baseDescription(config, [{ ...media, proto: srtp.proto, attributes: [...srtp.attributes, ...media.attributes] }]));
}

function offeredNames(m: SdpMedia): string {
  const names = describeFormats(m)
    .filter((f) => !isTelephoneEvent(f) && f.name?.toUpperCase() !== 'CN')
    .map((f) => f.name ?? `PT ${f.payloadType}`);
  return names.length > 0 ? names.join(', ') : 'none';
}

/** RFC 3264 §6: answer an offer. Every offered m= line gets a line back; unusable ones get port 0. */
export function createAnswer(offer: SessionDescription, config: LocalAudioConfig, origin: SdpOriginState): AnswerResult {
  const supported = config.codecs ?? DEFAULT_CODECS;
  let accepted: SdpMedia | null = null;
  let problem: string | null = null;
  const answerMedia: SdpMedia[] = offer.media.map((m) => {
    const reject = (): SdpMedia => ({ ...m, port: 0, portCount: null, formats: m.formats.slice(0, 1), connection: null, attributes: [], otherLines: [] });
    if (accepted !== null || m.media.toLowerCase() !== 'audio' || m.port === 0) return reject();
    // RTP/AVP, or RTP/SAVP with SDES keys (RFC 4568 §7.1.2)
    const srtp = answerSrtp(m, config.srtp);
    if (!srtp.ok) {
      problem ??= srtp.reason;
      return reject();
    }
    const formats = describeFormats(m);
    // §6.1 leaves the choice among the offered formats to the answerer: wideband G.722 when it is offered
    // and we support it (issue 13: HD before G.711), else the first offered codec we support (the
    // offerer's preference order)
    const usable = formats.map((f) => codecFor(f, supported)).filter((c): c is AudioCodec => c !== null);
    const codec = usable.find((c) => c.name === 'G722') ?? usable[0];
    if (codec === undefined) {
      problem = `no common audio codec (offered: ${offeredNames(m)})`;
      return reject();
    }
    const te = formats.find(isTelephoneEvent)?.payloadType ?? null;
    const line = audioMedia(config, [codec], te, answerDirection(mediaDirection(offer, m), config.direction ?? 'sendrecv'));
    accepted = { ...line, proto: srtp.proto, attributes: [...srtp.attributes, ...line.attributes] };
    return accepted;
  });
  if (accepted === null) return { ok: false, status: 488, reason: problem ?? 'no audio stream offered' };
  const answer = origin.stamp(baseDescription(config, answerMedia));
  const negotiated = negotiate(answer, offer);
  if (!negotiated.ok) return negotiated;
  return { ok: true, answer, audio: negotiated.audio };
}

function connectionFor(sdp: SessionDescription, m: SdpMedia): SdpConnection | null {
  return m.connection ?? sdp.connection;
}

/**
 * The negotiated audio stream from our final local description and the remote one (either side may be
 * the offer). The codec is the first format of the remote m= line that our line also lists (for an
 * answerer that is the one it chose; for an offerer the answerer's choice).
 */
export function negotiate(local: SessionDescription, remote: SessionDescription): NegotiationResult {
  const index = remote.media.findIndex((m) => m.media.toLowerCase() === 'audio' && m.port !== 0);
  const remoteAudio = remote.media[index];
  const localAudio = local.media[index];
  if (remoteAudio === undefined || localAudio === undefined || localAudio.port === 0) {
    // RFC 3264 §6: port 0 marks a rejected stream
    return { ok: false, status: 488, reason: 'audio stream rejected (port 0)' };
  }
  const localFormats = describeFormats(localAudio);
  const ours = localFormats.map((f) => codecFor(f, DEFAULT_CODECS)).filter((c): c is AudioCodec => c !== null);
  const codec = describeFormats(remoteAudio)
    .map((f) => codecFor(f, DEFAULT_CODECS))
    .find((c): c is AudioCodec => c !== null && ours.some((o) => o.name === c.name));
  if (codec === undefined) return { ok: false, status: 488, reason: `no common audio codec (offered: ${offeredNames(remoteAudio)})` };
  const srtp = negotiatedSrtp(localAudio, remoteAudio);
  if (!srtp.ok) return { ok: false, status: 488, reason: srtp.reason };
  const conn = connectionFor(remote, remoteAudio);
  if (conn === null) return { ok: false, status: 488, reason: 'remote audio stream has no c= address' };
  const remoteDir = mediaDirection(remote, remoteAudio);
  const localDir = mediaDirection(local, localAudio);
  // RFC 3264 §8.4 and RFC 2543 legacy hold: c=0.0.0.0 means "do not send to me"
  const remoteHeld = conn.address === '0.0.0.0' || conn.address === '::';
  const send = sends(localDir) && receives(remoteDir) && !remoteHeld;
  const receive = receives(localDir) && sends(remoteDir);
  const rtcpAttr = findAttribute(remoteAudio.attributes, 'rtcp')?.value;
  const rtcpPort = rtcpAttr !== undefined && rtcpAttr !== null && /^\d+/.test(rtcpAttr) ? Number.parseInt(rtcpAttr, 10) : remoteAudio.port + 1;
  return {
    ok: true,
    audio: {
      codec,
      sendTelephoneEventPt: describeFormats(remoteAudio).find(isTelephoneEvent)?.payloadType ?? null,
      receiveTelephoneEventPt: localFormats.find(isTelephoneEvent)?.payloadType ?? null,
      remoteAddress: conn.address.split('/')[0] ?? conn.address,
      remotePort: remoteAudio.port,
      remoteRtcpPort: rtcpPort,
      ptime: ptimeOf(localAudio) ?? 20,
      direction: directionOf(send, receive),
      send,
      receive,
      srtp: srtp.srtp,
    },
  };
}
