/**
 * The audio payload formats this client speaks (RFC 3551 §6 static types, RFC 4733 telephone-event) and
 * the mapping from an SDP m= line's formats to codec names (rtpmap, else the RFC 3551 static table).
 */
import { findAttribute, type SdpMedia } from './sdp.ts';

export type AudioCodecName = 'PCMU' | 'PCMA';

export interface AudioCodec {
  readonly name: AudioCodecName;
  readonly payloadType: number;
  readonly clockRate: 8000;
}

export const PCMU: AudioCodec = { name: 'PCMU', payloadType: 0, clockRate: 8000 };
export const PCMA: AudioCodec = { name: 'PCMA', payloadType: 8, clockRate: 8000 };
export const STATIC_CODECS: readonly AudioCodec[] = [PCMU, PCMA];
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

/** a format we can use as audio codec, matching by name (case-insensitive) and an 8 kHz clock */
export function codecFor(f: OfferedFormat, supported: readonly AudioCodecName[]): AudioCodec | null {
  const name = f.name?.toUpperCase();
  const codec = STATIC_CODECS.find((c) => c.name === name && supported.includes(c.name));
  if (codec === undefined || (f.clockRate !== null && f.clockRate !== 8000)) return null;
  return { ...codec, payloadType: f.payloadType };
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
