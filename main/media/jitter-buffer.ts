/**
 * A small receive jitter buffer for fixed-ptime audio (RFC 3550 §6.4.1 explains why one is needed;
 * the behaviour below is ours, not an RFC's).
 *
 * - Ordering: frames are keyed by RTP sequence number and played strictly in sequence order
 *   (16-bit wrap handled with seqDistance).
 * - Target delay: playout of a talkspurt starts `targetDelayMs` (default 60 ms = 3 frames of 20 ms)
 *   after its first packet arrived; from then on one frame leaves per `pull()` (one per ptime tick).
 * - Late and duplicate packets are dropped and counted: "late" = its slot was already played.
 * - Missing frames: `pull()` returns `{ kind: 'missing' }` for the slot; concealment is done by the
 *   caller (see loss-concealer.ts).
 * - Adaptive-ish: when the buffered depth grows past target + `maxExcessFrames` (the sender's clock runs
 *   fast, or a burst arrived), the oldest frame is discarded so latency returns to the target; after
 *   `resyncAfterMissing` consecutive missing slots with nothing buffered (end of talkspurt, hold) the
 *   buffer goes idle and the next packet starts a new talkspurt with a fresh target delay. A packet that
 *   jumps more than `maxFrames` ahead also restarts buffering.
 */
import { seqDistance } from './rtp-sequence.ts';

export interface JitterBufferOptions {
  readonly frameMs?: number;
  readonly targetDelayMs?: number;
  readonly maxExcessFrames?: number;
  readonly maxFrames?: number;
  readonly resyncAfterMissing?: number;
}

export type JitterPull<T> =
  | { readonly kind: 'frame'; readonly seq: number; readonly item: T }
  | { readonly kind: 'missing'; readonly seq: number }
  | { readonly kind: 'idle' };

export type JitterPush = 'accepted' | 'late' | 'duplicate' | 'restarted';

export interface JitterBufferStats {
  played: number;
  missing: number;
  late: number;
  duplicate: number;
  discarded: number;
  restarts: number;
}

export class JitterBuffer<T> {
  private readonly frames = new Map<number, T>();
  private readonly targetDelayMs: number;
  private readonly targetFrames: number;
  private readonly maxExcessFrames: number;
  private readonly maxFrames: number;
  private readonly resyncAfterMissing: number;
  private state: 'idle' | 'buffering' | 'playing' = 'idle';
  private firstArrivalMs = 0;
  /** while buffering: the oldest sequence number seen; while playing: the next slot to play */
  private nextSeq = 0;
  private missingRun = 0;
  readonly stats: JitterBufferStats = { played: 0, missing: 0, late: 0, duplicate: 0, discarded: 0, restarts: 0 };

  constructor(options: JitterBufferOptions = {}) {
    const frameMs = options.frameMs ?? 20;
    this.targetDelayMs = options.targetDelayMs ?? 60;
    this.targetFrames = Math.max(1, Math.round(this.targetDelayMs / frameMs));
    this.maxExcessFrames = options.maxExcessFrames ?? 3;
    this.maxFrames = options.maxFrames ?? 50;
    this.resyncAfterMissing = options.resyncAfterMissing ?? 10;
  }

  get playing(): boolean {
    return this.state === 'playing';
  }

  get size(): number {
    return this.frames.size;
  }

  push(seq: number, item: T, nowMs: number): JitterPush {
    const s = seq & 0xffff;
    if (this.state === 'idle') {
      this.startBuffering(s, item, nowMs);
      return 'accepted';
    }
    const d = seqDistance(this.nextSeq, s);
    if (this.state === 'playing' && d < 0) {
      this.stats.late++;
      return 'late';
    }
    if (this.frames.has(s)) {
      this.stats.duplicate++;
      return 'duplicate';
    }
    if (Math.abs(d) >= this.maxFrames) {
      // far outside the window: the source jumped (restart, long hold); begin a new talkspurt
      this.stats.restarts++;
      this.frames.clear();
      this.startBuffering(s, item, nowMs);
      return 'restarted';
    }
    if (this.state === 'buffering' && d < 0) this.nextSeq = s; // an earlier packet overtook by a later one
    this.frames.set(s, item);
    return 'accepted';
  }

  pull(nowMs: number): JitterPull<T> {
    if (this.state === 'idle') return { kind: 'idle' };
    if (this.state === 'buffering') {
      if (nowMs - this.firstArrivalMs < this.targetDelayMs) return { kind: 'idle' };
      this.state = 'playing';
    }
    this.shrinkExcess();
    const seq = this.nextSeq;
    this.nextSeq = (seq + 1) & 0xffff;
    const item = this.frames.get(seq);
    if (item !== undefined) {
      this.frames.delete(seq);
      this.missingRun = 0;
      this.stats.played++;
      return { kind: 'frame', seq, item };
    }
    this.missingRun++;
    if (this.frames.size === 0 && this.missingRun > this.resyncAfterMissing) {
      this.state = 'idle';
      this.missingRun = 0;
      return { kind: 'idle' };
    }
    this.stats.missing++;
    return { kind: 'missing', seq };
  }

  reset(): void {
    this.frames.clear();
    this.state = 'idle';
    this.missingRun = 0;
  }

  private startBuffering(seq: number, item: T, nowMs: number): void {
    this.state = 'buffering';
    this.firstArrivalMs = nowMs;
    this.nextSeq = seq;
    this.missingRun = 0;
    this.frames.set(seq, item);
  }

  /** depth = slots from nextSeq to the newest buffered frame; trim the oldest while above target + excess */
  private shrinkExcess(): void {
    let newest = 0;
    for (const s of this.frames.keys()) newest = Math.max(newest, seqDistance(this.nextSeq, s) + 1);
    while (newest > this.targetFrames + this.maxExcessFrames) {
      if (this.frames.delete(this.nextSeq)) this.stats.discarded++;
      this.nextSeq = (this.nextSeq + 1) & 0xffff;
      newest--;
    }
  }
}
