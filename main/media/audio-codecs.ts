/**
 * The audio payload formats this client speaks (RFC 3551 §6 static types, RFC 4733 telephone-event) and
 * the mapping from an SDP m= line's formats to codec names (rtpmap, else the RFC 3551 static table).
 * G.722 samples at 16 kHz but is written G722/8000 in SDP and counts 8000 RTP timestamp units a second
 * (RFC 3551 §4.5.2: an error in RFC 1890 kept for compatibility), so `clockRate` is the RTP clock and
 * `sampleRate` the rate of the PCM the codec takes and gives.
 */
import { findAttribute, type SdpMedia } from './sdp.ts';

export type AudioCodecName = 'G722' | 'PCMU' | 'PCMA';

export interface AudioCodec {
  readonly name: AudioCodecName;
  readonly payloadType: number;
  /** the RTP clock (and the rate written in a=rtpmap) */
  readonly clockRate: 8000;
  /** PCM samples a second into the encoder and out of the decoder */
  readonly sampleRate: 8000 | 16000;
}

export const G722: AudioCodec = { name: 'G722', payloadType: 9, clockRate: 8000, sampleRate: 16000 };
export const PCMU: AudioCodec = { name: 'PCMU', payloadType: 0, clockRate: 8000, sampleRate: 8000 };
export const PCMA: AudioCodec = { name: 'PCMA', payloadType: 8, clockRate: 8000, sampleRate: 8000 };
export const STATIC_CODECS: readonly AudioCodec[] = [G722, PCMU, PCMA];
/** what we offer and accept, best first: wideband G.722 before G.711 (issue 13) */
export const DEFAULT_CODECS: readonly AudioCodecName[] = ['G722', 'PCMU', 'PCMA'];
export const DEFAULT_TELEPHONE_EVENT_PT = 101;

/** RFC 3551 Table 4: static audio payload types, for naming formats offered without an rtpmap */
const STATIC_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'PCMU'],
  [3, 'GSM'],
  [4, 'G723'],
  [5, 'DVI4'],
  [8, 'PCMA'],
  [9, 'G722'],
  [13, 'CN'],
  [15, 'G728'],
  [18, 'G729'],
]);

export interface OfferedFormat {
  readonly payloadType: number;
  /** encoding name as written (rtpmap) or from the static table; null when unknown */
  readonly name: string | null;
  readonly clockRate: number | null;
}

export function describeFormats(m: SdpMedia): OfferedFormat[] {
  const rtpmaps = new Map<number, { name: string; rate: number | null }>();
  for (const a of m.attributes) {
    if (a.name.toLowerCase() !== 'rtpmap' || a.value === null) continue;
    const r = /^(\d+)\s+([^/\s]+)(?:\/(\d+))?/.exec(a.value);
    if (r !== null) rtpmaps.set(Number(r[1]), { name: r[2] ?? '', rate: r[3] === undefined ? null : Number(r[3]) });
  }
  const out: OfferedFormat[] = [];
  for (const f of m.formats) {
    if (!/^\d+$/.test(f)) continue;
    const pt = Number(f);
    const map = rtpmaps.get(pt);
    if (map !== undefined) out.push({ payloadType: pt, name: map.name, clockRate: map.rate });
    else out.push({ payloadType: pt, name: STATIC_NAMES.get(pt) ?? null, clockRate: pt < 96 ? 8000 : null });
  }
  return out;
}

/**
 * A format we can use as audio codec, matching by name (case-insensitive) and an 8000 clock. G722/16000
 * (the sampling rate written by mistake, seen from some phones) is taken as G.722 too: the payload is
 * the same, and our answer writes the RFC 3551 form.
 */
export function codecFor(f: OfferedFormat, supported: readonly AudioCodecName[]): AudioCodec | null {
  const name = f.name?.toUpperCase();
  const codec = STATIC_CODECS.find((c) => c.name === name && supported.includes(c.name));
  if (codec === undefined) return null;
  const rateOk = f.clockRate === null || f.clockRate === 8000 || (codec.name === 'G722' && f.clockRate === 16000);
  return rateOk ? { ...codec, payloadType: f.payloadType } : null;
}

/** "G.722 (HD)", "G.711 µ-law" ... for the call screen */
export function codecLabel(codec: AudioCodec): string {
  return codec.name === 'G722' ? 'G.722' : codec.name === 'PCMU' ? 'G.711 µ-law' : 'G.711 A-law';
}

export function isTelephoneEvent(f: OfferedFormat): boolean {
  return f.name?.toLowerCase() === 'telephone-event' && (f.clockRate === null || f.clockRate === 8000);
}

/** the payload type of telephone-event/8000 in an m= line, or null */
export function telephoneEventPayloadType(m: SdpMedia): number | null {
  return describeFormats(m).find(isTelephoneEvent)?.payloadType ?? null;
}

export function ptimeOf(m: SdpMedia): number | null {
  const v = findAttribute(m.attributes, 'ptime')?.value;
  return v !== undefined && v !== null && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
}
