/**
 * 16-bit RTP sequence number arithmetic and the receiver's extended sequence tracking
 * (RFC 3550 §6.4.1 and Appendix A.1, with MAX_DROPOUT/MAX_MISORDER as in A.1).
 */

export const SEQ_MOD = 0x10000;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

/** Signed distance a→b in the 16-bit sequence space: positive when b comes after a (RFC 1982 style). */
export function seqDistance(a: number, b: number): number {
  const d = (b - a) & 0xffff;
  return d >= 0x8000 ? d - SEQ_MOD : d;
}

/** true when `b` is newer than `a`, across the 65535→0 wrap. */
export function seqNewer(b: number, a: number): boolean {
  return seqDistance(a, b) > 0;
}

/**
 * Extends 16-bit sequence numbers to a monotonic counter (cycles << 16 | seq), per RFC 3550 A.1.
 * `update` returns the extended number or null for a packet judged invalid (a big jump that is not
 * confirmed by the next packet, or a very late one).
 */
export class SequenceTracker {
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = SEQ_MOD + 1;
  private started = false;
  /** packets accepted by update() */
  received = 0;

  update(seq: number): number | null {
    if (!this.started) {
      this.init(seq);
      this.started = true;
      this.received = 1;
      return seq;
    }
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (udelta < MAX_DROPOUT) {
      // in order, with a permissible gap
      if (seq < this.maxSeq) this.cycles += SEQ_MOD; // sequence number wrapped
      this.maxSeq = seq;
    } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
      // a very large jump: accept only if the next packet confirms it (the source restarted)
      if (seq === this.badSeq) {
        this.init(seq);
      } else {
        this.badSeq = (seq + 1) & 0xffff;
        return null;
      }
    } else {
      // duplicate or reordered packet: extend relative to the current cycle
      this.received++;
      const ext = this.cycles + seq;
      return seq > this.maxSeq && this.cycles > 0 ? ext - SEQ_MOD : ext;
    }
    this.received++;
    return this.cycles + this.maxSeq;
  }

  get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }

  /** RFC 3550 A.3: expected = extended_max - base + 1 */
  get expected(): number {
    return this.started ? this.extendedMax - this.baseSeq + 1 : 0;
  }

  private init(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
  }
}
