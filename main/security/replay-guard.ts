/**
 * Replay protection for protected messages (RFC 3428 §11.2): the signed inner Date must lie within a
 * window around now (default ±5 min, widened by the message's Expires), and the same
 * (signer, Message-ID or Date+digest) must not be accepted twice. The seen-cache is bounded (oldest
 * dropped first, and entries older than the window can never pass the Date check anyway) and can be
 * snapshotted for persistence.
 */

export interface ReplayCheck {
  /** signer certificate fingerprint */
  signer: string;
  /** inner Date */
  date: Date;
  /** inner Message-ID when present */
  messageId?: string;
  /** digest of the inner entity (hex), used when there is no Message-ID */
  digest: string;
  /** the MESSAGE's Expires in seconds, when present (RFC 3428 §5) */
  expires?: number;
}

export type ReplayVerdict = { ok: true } | { ok: false; status: 400; reason: string };

export interface ReplayGuardOptions {
  now?: () => number;
  windowMs?: number;
  maxEntries?: number;
  /** called with every accepted entry (the caller persists it) */
  onRemember?: (key: string, dateMs: number) => void;
}

export interface ReplaySnapshot {
  entries: Array<[key: string, seenAtDateMs: number]>;
}

export class ReplayGuard {
  private readonly now: () => number;
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly onRemember: (key: string, dateMs: number) => void;
  /** key → inner Date (ms); insertion ordered */
  private readonly seen = new Map<string, number>();

  constructor(options: ReplayGuardOptions = {}) {
    this.now = options.now ?? Date.now;
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.onRemember = options.onRemember ?? (() => undefined);
  }

  static keyOf(c: ReplayCheck): string {
    return c.messageId ? `${c.signer}|id|${c.messageId}` : `${c.signer}|dd|${c.date.getTime()}|${c.digest}`;
  }

  /** Check and, when accepted, remember. */
  check(c: ReplayCheck): ReplayVerdict {
    const now = this.now();
    const expiresMs = Math.min(Math.max(c.expires ?? 0, 0), 86_400) * 1000;
    const t = c.date.getTime();
    if (t > now + this.windowMs) return { ok: false, status: 400, reason: 'Protected Message Date In Future' };
    if (t < now - this.windowMs - expiresMs) return { ok: false, status: 400, reason: 'Protected Message Too Old (Replay?)' };
    const key = ReplayGuard.keyOf(c);
    if (this.seen.has(key)) return { ok: false, status: 400, reason: 'Replayed Protected Message' };
    this.seen.set(key, t);
    this.onRemember(key, t);
    this.evict(now);
    return { ok: true };
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    const horizon = now - this.windowMs - 86_400_000; // older than any window we'd accept
    for (const [k, t] of this.seen) {
      if (this.seen.size <= this.maxEntries && t >= horizon) break;
      if (t < horizon || this.seen.size > this.maxEntries) this.seen.delete(k);
    }
  }

  snapshot(): ReplaySnapshot {
    return { entries: [...this.seen] };
  }

  restore(s: ReplaySnapshot): void {
    for (const [k, t] of s.entries.slice(-this.maxEntries)) {
      if (typeof k === 'string' && Number.isFinite(t)) this.seen.set(k, t);
    }
    this.evict(this.now());
  }
}
