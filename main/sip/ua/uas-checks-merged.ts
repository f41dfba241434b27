/**
 * Merged-request detection (RFC 3261 §8.2.2.2): a request without a To tag whose From tag, Call-ID
 * and CSeq match a request already received, but which arrived on a different branch (it forked
 * and reached us twice), gets 482 (Loop Detected). Entries live as long as a server transaction
 * could (64*T1 = 32 s by default), measured on the injected clock. MESSAGE is exempt (see isMerged).
 */
import type { SipRequest } from '../message/index.ts';

export interface MergedRequestDetector {
  /** true when `request` is a merged copy; otherwise records it and returns false */
  isMerged(request: SipRequest): boolean;
}

interface Seen {
  readonly via: string;
  readonly expiresAt: number;
}

const MAX_ENTRIES = 4096;

export class MergedRequestTable implements MergedRequestDetector {
  private readonly clock: { now(): number };
  private readonly lifetimeMs: number;
  private readonly seen = new Map<string, Seen>();

  constructor(clock: { now(): number }, lifetimeMs = 32_000) {
    this.clock = clock;
    this.lifetimeMs = lifetimeMs;
  }

  isMerged(request: SipRequest): boolean {
    // ACK and CANCEL share the INVITE's branch and CSeq number by design (§9.1, §17.1.1.3)
    if (request.toTag !== null || request.method === 'ACK' || request.method === 'CANCEL') return false;
    // MESSAGE is exempt: storing it is idempotent (Call-ID + CSeq + From tag, issue 11), so a copy that
    // forked to us twice, or the same request re-sent by a restarted sender on a new branch, is answered
    // 200 and stored once, where a 482 would fail a message the user did send (RFC 3428 pager mode)
    if (request.method === 'MESSAGE') return false;
    const now = this.clock.now();
    this.prune(now);
    const fromTag = request.fromTag ?? '';
    const cseq = request.cseq;
    const key = `${fromTag}\n${request.callId}\n${cseq.seq} ${cseq.method}`;
    const top = request.topVia;
    // the branch identifies the transaction; sent-by guards branch-less RFC 2543 clients
    const via = top === null ? '' : `${top.host}:${top.port ?? ''};${top.branch ?? ''}`;
    const old = this.seen.get(key);
    if (old !== undefined) return old.via !== via;
    this.seen.set(key, { via, expiresAt: now + this.lifetimeMs });
    return false;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.seen) {
      if (entry.expiresAt > now && this.seen.size <= MAX_ENTRIES) break;
      this.seen.delete(key);
    }
  }
}
