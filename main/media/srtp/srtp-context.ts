/**
 * SRTP and SRTCP packet transforms (RFC 3711) for the AES_CM_128_HMAC_SHA1_80 and _32 suites (RFC 4568
 * §6.2): one `SrtpContext` per direction and master key. The sender protects, the receiver unprotects;
 * the receiver keeps, per SSRC, the rollover counter (§3.3.1), the replay list (§3.3.2) and checks the
 * authentication tag before anything is decrypted (§3.3, step 5 before step 6). Never throws on input
 * from the network: unprotect answers `{ ok: false, reason }` so the caller drops the packet.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { aesCmXor, packetIv, sessionKeys, type SessionKeys } from './srtp-keys.ts';

export type SrtpSuite = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32';

/** RFC 4568 §6.2.1/§6.2.2: SRTP tag length per suite; SRTCP always uses the 80-bit tag (RFC 3711 §5.2) */
const RTP_TAG_LENGTH: Readonly<Record<SrtpSuite, number>> = { AES_CM_128_HMAC_SHA1_80: 10, AES_CM_128_HMAC_SHA1_32: 4 };
const RTCP_TAG_LENGTH = 10;
const REPLAY_WINDOW = 64; // RFC 3711 §3.3.2: at least 64
const RTCP_INDEX_MODULUS = 2 ** 31;

export type UnprotectResult = { readonly ok: true; readonly packet: Buffer } | { readonly ok: false; readonly reason: string };

interface ReceiveState {
  roc: number;
  /** highest sequence number received (s_l) */
  highest: number;
  /** bit i set = index (maxIndex - i) was received */
  window: bigint;
  maxIndex: number;
}

/** RTP header length: fixed 12 octets, CSRCs, and the extension header if X is set (RFC 3550 §5.1, §5.3.1). */
function rtpHeaderLength(p: Uint8Array): number | null {
  if (p.length < 12 || (p[0]! >> 6) !== 2) return null;
  let n = 12 + 4 * (p[0]! & 0x0f);
  if ((p[0]! & 0x10) !== 0) {
    if (p.length < n + 4) return null;
    n += 4 + 4 * ((p[n + 2]! << 8) | p[n + 3]!);
  }
  return n <= p.length ? n : null;
}

function tag(key: Buffer, parts: readonly Uint8Array[], length: number): Buffer {
  const h = createHmac('sha1', key);
  for (const p of parts) h.update(p);
  return h.digest().subarray(0, length);
}

function rocBytes(roc: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(roc >>> 0);
  return b;
}

export class SrtpContext {
  readonly #rtp: SessionKeys;
  readonly #rtcp: SessionKeys;
  readonly #rtpTag: number;
  /** sender side: per SSRC, the ROC of the last sent sequence number */
  readonly #sent = new Map<number, { roc: number; last: number }>();
  #rtcpSentIndex = 0;
  /** receiver side */
  readonly #received = new Map<number, ReceiveState>();
  readonly #rtcpReceived = new Map<number, { max: number; window: bigint }>();

  readonly suite: SrtpSuite;

  constructor(suite: SrtpSuite, masterKey: Uint8Array, masterSalt: Uint8Array) {
    this.suite = suite;
    this.#rtp = sessionKeys(masterKey, masterSalt, 'rtp');
    this.#rtcp = sessionKeys(masterKey, masterSalt, 'rtcp');
    this.#rtpTag = RTP_TAG_LENGTH[suite];
  }

  /** RFC 3711 §3.3: encrypt the payload (after header, CSRCs and extension), append the tag over header + payload + ROC. */
  protectRtp(packet: Uint8Array): Buffer {
    const headerLength = rtpHeaderLength(packet);
    if (headerLength === null) throw new RangeError('not an RTP packet');
    const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
    const ssrc = view.readUInt32BE(8);
    const seq = view.readUInt16BE(2);
    const state = this.#sent.get(ssrc);
    let roc = state?.roc ?? 0;
    if (state !== undefined && seq < state.last && state.last - seq > 0x8000) roc = (roc + 1) >>> 0; // wrapped
    this.#sent.set(ssrc, { roc, last: seq });
    const index = roc * 0x10000 + seq;
    const payload = aesCmXor(this.#rtp.cipherKey, packetIv(this.#rtp.cipherSalt, ssrc, index), view.subarray(headerLength));
    const body = Buffer.concat([view.subarray(0, headerLength), payload]);
    return Buffer.concat([body, tag(this.#rtp.authKey, [body, rocBytes(roc)], this.#rtpTag)]);
  }

  /** RFC 3711 §3.3 receiver steps: estimate the index, replay check, authenticate, then decrypt. */
  unprotectRtp(packet: Uint8Array): UnprotectResult {
    const data = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
    if (data.length < 12 + this.#rtpTag) return { ok: false, reason: 'too short for SRTP' };
    const body = data.subarray(0, data.length - this.#rtpTag);
    const headerLength = rtpHeaderLength(body);
    if (headerLength === null) return { ok: false, reason: 'not an RTP packet' };
    const ssrc = body.readUInt32BE(8);
    const seq = body.readUInt16BE(2);
    const state = this.#received.get(ssrc);
    const roc = state === undefined ? 0 : estimateRoc(state, seq);
    const index = roc * 0x10000 + seq;
    if (state !== undefined && replayed(state.maxIndex, state.window, index)) return { ok: false, reason: 'replayed packet' };
    const expected = tag(this.#rtp.authKey, [body, rocBytes(roc)], this.#rtpTag);
    if (!timingSafeEqual(expected, data.subarray(body.length))) return { ok: false, reason: 'authentication failed' };
    const payload = aesCmXor(this.#rtp.cipherKey, packetIv(this.#rtp.cipherSalt, ssrc, index), body.subarray(headerLength));
    this.#accept(ssrc, state, roc, seq, index);
    return { ok: true, packet: Buffer.concat([body.subarray(0, headerLength), payload]) };
  }

  /** RFC 3711 §3.4: encrypt all after the first 8 octets, append E=1 | SRTCP index, then the 80-bit tag. */
  protectRtcp(packet: Uint8Array): Buffer {
    if (packet.length < 8) throw new RangeError('not an RTCP packet');
    const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
    const index = this.#rtcpSentIndex;
    this.#rtcpSentIndex = (this.#rtcpSentIndex + 1) % RTCP_INDEX_MODULUS;
    const ssrc = view.readUInt32BE(4);
    const encrypted = aesCmXor(this.#rtcp.cipherKey, packetIv(this.#rtcp.cipherSalt, ssrc, index), view.subarray(8));
    const eIndex = Buffer.alloc(4);
    eIndex.writeUInt32BE((0x80000000 | index) >>> 0);
    const body = Buffer.concat([view.subarray(0, 8), encrypted, eIndex]);
    return Buffer.concat([body, tag(this.#rtcp.authKey, [body], RTCP_TAG_LENGTH)]);
  }

  unprotectRtcp(packet: Uint8Array): UnprotectResult {
    const data = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
    if (data.length < 8 + 4 + RTCP_TAG_LENGTH) return { ok: false, reason: 'too short for SRTCP' };
    const body = data.subarray(0, data.length - RTCP_TAG_LENGTH);
    if (!timingSafeEqual(tag(this.#rtcp.authKey, [body], RTCP_TAG_LENGTH), data.subarray(body.length))) return { ok: false, reason: 'authentication failed' };
    const eIndex = body.readUInt32BE(body.length - 4);
    const index = eIndex & 0x7fffffff;
    const ssrc = body.readUInt32BE(4);
    const seen = this.#rtcpReceived.get(ssrc);
    if (seen !== undefined && replayed(seen.max, seen.window, index)) return { ok: false, reason: 'replayed packet' };
    this.#rtcpReceived.set(ssrc, slide(seen?.max ?? -1, seen?.window ?? 0n, index));
    const inner = body.subarray(8, body.length - 4);
    const clear = (eIndex & 0x80000000) !== 0 ? aesCmXor(this.#rtcp.cipherKey, packetIv(this.#rtcp.cipherSalt, ssrc, index), inner) : inner;
    return { ok: true, packet: Buffer.concat([body.subarray(0, 8), clear]) };
  }

  #accept(ssrc: number, state: ReceiveState | undefined, roc: number, seq: number, index: number): void {
    if (state === undefined) {
      this.#received.set(ssrc, { roc, highest: seq, window: 1n, maxIndex: index });
      return;
    }
    const next = slide(state.maxIndex, state.window, index);
    state.window = next.window;
    if (index > state.maxIndex) {
      state.maxIndex = index;
      state.roc = roc;
      state.highest = seq;
    }
  }
}

/** RFC 3711 §3.3.1 / Appendix A: the ROC guess v for sequence number `seq` given s_l and the stored ROC. */
export function estimateRoc(state: { readonly roc: number; readonly highest: number }, seq: number): number {
  const { roc, highest } = state;
  if (highest < 0x8000) return seq - highest > 0x8000 ? (roc - 1 + 2 ** 32) % 2 ** 32 : roc;
  return highest - 0x8000 > seq ? (roc + 1) % 2 ** 32 : roc;
}

/** true when `index` is older than the window or already in it (RFC 3711 §3.3.2) */
function replayed(max: number, window: bigint, index: number): boolean {
  if (index > max) return false;
  const age = max - index;
  if (age >= REPLAY_WINDOW) return true;
  return ((window >> BigInt(age)) & 1n) === 1n;
}

function slide(max: number, window: bigint, index: number): { max: number; window: bigint } {
  const mask = (1n << BigInt(REPLAY_WINDOW)) - 1n;
  if (index > max) {
    const shift = index - max;
    const moved = shift >= REPLAY_WINDOW ? 0n : (window << BigInt(shift)) & mask;
    return { max: index, window: moved | 1n };
  }
  return { max, window: window | (1n << BigInt(max - index)) };
}
