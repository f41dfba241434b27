/**
 * SRTP in SDP offer/answer with SDES (RFC 4568): which transport and `a=crypto` lines we offer, how an
 * offer is answered, and what a local/remote pair negotiated.
 *
 * - `required`: the offer is `RTP/SAVP` with our crypto lines; an answer without a usable line fails.
 * - `offered`: best effort, as PBXs expect it: `RTP/AVP` carrying crypto lines (RFC 4568 §7.1.1 lets a
 *   crypto line sit on RTP/AVP only by local policy; Asterisk, FreeSWITCH and baresip accept it); an
 *   answer with a matching line turns SRTP on, one without leaves the call in clear.
 * - no policy: plain RTP/AVP; an RTP/SAVP offer is refused (488) with the reason.
 */
import { parseCryptoAttribute, formatCryptoAttribute, type CryptoAttribute } from './srtp/sdes.ts';
import type { SrtpSuite } from './srtp/srtp-context.ts';
import type { SdpAttribute, SdpMedia } from './sdp.ts';

export const PLAIN_PROTO = 'RTP/AVP';
export const SECURE_PROTO = 'RTP/SAVP';

export interface SrtpPolicy {
  readonly mode: 'offered' | 'required';
  /** our master keys, one per suite, in our preference order; kept for the whole call so re-offers do not re-key */
  readonly keys: readonly CryptoAttribute[];
}

export interface NegotiatedSrtp {
  readonly suite: SrtpSuite;
  /** the key we protect with (our line) */
  readonly ours: CryptoAttribute;
  /** the key we unprotect with (their line) */
  readonly theirs: CryptoAttribute;
}

/** The `a=crypto` values of one m= line, in order (the offerer's preference, RFC 4568 §7.1.1). */
export function cryptoLines(media: SdpMedia): string[] {
  return media.attributes.filter((a) => a.name.toLowerCase() === 'crypto' && a.value !== null).map((a) => a.value!);
}

/** The transport and crypto attributes of our offer (RFC 4568 §7.1.1). */
export function offerSrtp(policy: SrtpPolicy | undefined): { readonly proto: string; readonly attributes: SdpAttribute[] } {
  if (policy === undefined) return { proto: PLAIN_PROTO, attributes: [] };
  return { proto: policy.mode === 'required' ? SECURE_PROTO : PLAIN_PROTO, attributes: policy.keys.map((k) => ({ name: 'crypto', value: formatCryptoAttribute(k) })) };
}

export type SrtpAnswer = { readonly ok: true; readonly proto: string; readonly attributes: SdpAttribute[] } | { readonly ok: false; readonly reason: string };

/**
 * How we answer one offered audio m= line (RFC 4568 §7.1.2): the first offered crypto line whose suite we
 * hold a key for is accepted with its tag and our key of that suite.
 */
export function answerSrtp(offered: SdpMedia, policy: SrtpPolicy | undefined): SrtpAnswer {
  const proto = offered.proto.toUpperCase();
  if (proto !== PLAIN_PROTO && proto !== SECURE_PROTO) return { ok: false, reason: `no supported audio transport (offered: ${offered.proto})` };
  if (policy === undefined) {
    if (proto === SECURE_PROTO) return { ok: false, reason: 'encrypted media (RTP/SAVP) offered, but SRTP is off for this account' };
    return { ok: true, proto: PLAIN_PROTO, attributes: [] };
  }
  for (const value of cryptoLines(offered)) {
    const theirs = parseCryptoAttribute(value);
    const ours = theirs === null ? undefined : policy.keys.find((k) => k.suite === theirs.suite);
    if (theirs !== null && ours !== undefined) {
      return { ok: true, proto, attributes: [{ name: 'crypto', value: formatCryptoAttribute({ ...ours, tag: theirs.tag }) }] };
    }
  }
  if (proto === SECURE_PROTO) return { ok: false, reason: 'encrypted media offered with no crypto suite we support' };
  if (policy.mode === 'required') return { ok: false, reason: 'the other side offered unencrypted media and this account requires SRTP' };
  return { ok: true, proto: PLAIN_PROTO, attributes: [] };
}

/**
 * What a final local/remote pair negotiated: SRTP when both m= lines carry a crypto line with the same tag
 * and suite; null for clear RTP. Fails when our line asked for SRTP as required (RTP/SAVP) and the other
 * side's has no match (RFC 4568 §7.1.3: the offerer MUST NOT fall back silently).
 */
export function negotiatedSrtp(local: SdpMedia, remote: SdpMedia): { readonly ok: true; readonly srtp: NegotiatedSrtp | null } | { readonly ok: false; readonly reason: string } {
  const ours = cryptoLines(local).map(parseCryptoAttribute).filter((c): c is CryptoAttribute => c !== null);
  const theirs = cryptoLines(remote).map(parseCryptoAttribute).filter((c): c is CryptoAttribute => c !== null);
  for (const t of theirs) {
    const o = ours.find((c) => c.tag === t.tag && c.suite === t.suite);
    if (o !== undefined) return { ok: true, srtp: { suite: t.suite, ours: o, theirs: t } };
  }
  if (local.proto.toUpperCase() === SECURE_PROTO || remote.proto.toUpperCase() === SECURE_PROTO) {
    return { ok: false, reason: 'the other side did not accept encrypted media (no matching crypto line)' };
  }
  return { ok: true, srtp: null };
}
