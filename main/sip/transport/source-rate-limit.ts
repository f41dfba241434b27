/**
 * Per-source rate limit at the transport edge (issue 10, "bounded cost"): a token bucket per source
 * address, consulted before any other work is done on the bytes (no trace, no parse). A datagram over
 * the limit is dropped without a response and counted.
 *
 * Sources off the registered path get a small budget (a scanner, a flood from a neighbour, stray
 * responses). The registered path (the PBX, source-guard.ts) is not limited by default: every request it
 * relays is answered, and its overload is bounded by the server transaction cap, which answers 503 with
 * Retry-After (RFC 3261 §21.5.4, §20.33) instead of dropping in silence — over TCP nothing would
 * retransmit a dropped request, and over UDP the PBX would only retransmit it into the same limit.
 *
 * The map of buckets is bounded: when it is full, buckets that have refilled (idle sources: forgetting
 * them loses nothing) are swept; if none has, new sources share one overflow bucket, so a flood from many
 * spoofed addresses costs at most one bucket's rate, never memory.
 */
import type { Clock } from '../transaction/clock.ts';
import { normalizeAddress } from './source-guard.ts';

export interface RateBudget {
  /** tokens (messages) added per second */
  readonly perSecond: number;
  /** bucket size: how many may arrive back to back */
  readonly burst: number;
}

export interface SourceRateLimitOptions {
  readonly clock: Clock;
  /** sources off the registered path; default 20/s, burst 40 */
  readonly untrusted?: RateBudget;
  /** the registered path; default none (unlimited, see the module comment) */
  readonly trusted?: RateBudget | null;
  /** most sources remembered at once; default 4096 */
  readonly maxSources?: number;
}

export interface SourceRateLimitCounters {
  /** messages dropped because their source sent faster than its budget */
  readonly limitedMessages: number;
}

export const DEFAULT_UNTRUSTED_BUDGET: RateBudget = { perSecond: 20, burst: 40 };
export const DEFAULT_MAX_RATE_SOURCES = 4096;
const OVERFLOW = '*overflow*';

interface Bucket {
  tokens: number;
  /** clock.now() of the last refill */
  at: number;
}

export class SourceRateLimit {
  readonly #clock: Clock;
  readonly #untrusted: RateBudget;
  readonly #trusted: RateBudget | null;
  readonly #max: number;
  readonly #buckets = new Map<string, Bucket>();
  #limited = 0;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: SourceRateLimitOptions) {
    this.#clock = options.clock;
    this.#untrusted = options.untrusted ?? DEFAULT_UNTRUSTED_BUDGET;
    this.#trusted = options.trusted ?? null;
    this.#max = Math.max(1, options.maxSources ?? DEFAULT_MAX_RATE_SOURCES);
  }

  /** whether one more message from `address` may be worked on now; `trusted`: on the registered path */
  admit(address: string, trusted: boolean): boolean {
    const budget = trusted ? this.#trusted : this.#untrusted;
    if (budget === null) return true;
    const now = this.#clock.now();
    const bucket = this.#bucketFor(`${trusted ? 't' : 'u'}:${normalizeAddress(address)}`, budget, now);
    this.#refill(bucket, budget, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.#limited++;
    return false;
  }

  /** sources currently remembered (bounded by maxSources, plus the overflow bucket) */
  get trackedSources(): number {
    return this.#buckets.size;
  }

  counters(): SourceRateLimitCounters {
    return { limitedMessages: this.#limited };
  }

  #refill(bucket: Bucket, budget: RateBudget, now: number): void {
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(budget.burst, bucket.tokens + (elapsed * budget.perSecond) / 1000);
    bucket.at = now;
  }

  #bucketFor(key: string, budget: RateBudget, now: number): Bucket {
    const known = this.#buckets.get(key);
    if (known !== undefined) return known;
    // at most one sweep a second: a spoofed flood of new sources must not make every datagram O(maxSources)
    if (this.#buckets.size >= this.#max && now - this.#lastSweep >= 1000) this.#sweep(now);
    if (this.#buckets.size >= this.#max) {
      const overflow = this.#buckets.get(OVERFLOW);
      if (overflow !== undefined) return overflow;
      const shared: Bucket = { tokens: budget.burst, at: now };
      this.#buckets.set(OVERFLOW, shared);
      return shared;
    }
    const fresh: Bucket = { tokens: budget.burst, at: now };
    this.#buckets.set(key, fresh);
    return fresh;
  }

  /** forgets every bucket that is full again: its source has been quiet long enough to lose nothing */
  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [key, bucket] of this.#buckets) {
      if (key === OVERFLOW) continue;
      const budget = key.startsWith('t:') ? this.#trusted : this.#untrusted;
      if (budget === null) {
        this.#buckets.delete(key);
        continue;
      }
      this.#refill(bucket, budget, now);
      if (bucket.tokens >= budget.burst) this.#buckets.delete(key);
    }
  }
}
