/**
 * What we remember between requests (RFC 3261 §22.3 "caching credentials", RFC 7616 §3.4 nc):
 * - per (kind, realm): the last chosen challenge, its nonce count and, for "-sess", its cnonce;
 * - per sent request (Call-ID + CSeq): which realms it answered after a challenge and which it
 *   carried pre-emptively, so a second challenge for the same realm ends the exchange (no loop).
 */
import type { ChallengeKind } from './digest-challenge.ts';
import type { ChosenChallenge } from './digest-select.ts';

export interface CachedRealm {
  readonly chosen: ChosenChallenge;
  /** last nc sent with this nonce (0 = none yet) */
  nc: number;
  /** cnonce fixed for the nonce when the algorithm is "-sess" (RFC 2617 §3.2.2.2 session key) */
  readonly sessionCnonce: string;
  /** Request-URI host the challenge came for: pre-emptive WWW credentials only go there */
  readonly host: string | null;
}

export interface AttemptRecord {
  /** `${kind} ${realm}` answered in reply to a challenge */
  readonly answered: ReadonlySet<string>;
  /** `${kind} ${realm}` added pre-emptively from the cache */
  readonly preemptive: ReadonlySet<string>;
  /** consecutive stale=true retries that led to this request */
  readonly staleRetries: number;
}

export function realmKey(kind: ChallengeKind, realm: string): string {
  return `${kind} ${realm}`;
}

const MAX_ATTEMPTS = 256;

export class CredentialsCache {
  private readonly realms = new Map<string, CachedRealm>();
  private readonly attempts = new Map<string, AttemptRecord>();

  /**
   * Stores a chosen challenge. A new nonce restarts the count; the same nonce keeps counting
   * (RFC 7616 §3.4: nc counts the requests sent with one nonce).
   */
  remember(chosen: ChosenChallenge, host: string | null, newCnonce: () => string): CachedRealm {
    const c = chosen.challenge;
    const key = realmKey(c.kind, c.realm);
    const old = this.realms.get(key);
    if (old && old.chosen.challenge.nonce === c.nonce && old.chosen.challenge.algorithm === c.algorithm) {
      const kept: CachedRealm = { chosen, nc: old.nc, sessionCnonce: old.sessionCnonce, host: old.host ?? host };
      this.realms.set(key, kept);
      return kept;
    }
    const entry: CachedRealm = { chosen, nc: 0, sessionCnonce: newCnonce(), host };
    this.realms.set(key, entry);
    return entry;
  }

  /** The next nonce count for a cached realm (1 for a fresh nonce). */
  nextNc(entry: CachedRealm): number {
    entry.nc = entry.nc >= 0xffffffff ? 1 : entry.nc + 1;
    return entry.nc;
  }

  get(kind: ChallengeKind, realm: string): CachedRealm | undefined {
    return this.realms.get(realmKey(kind, realm));
  }

  all(): readonly CachedRealm[] {
    return [...this.realms.values()];
  }

  forget(kind: ChallengeKind, realm: string): void {
    this.realms.delete(realmKey(kind, realm));
  }

  clear(): void {
    this.realms.clear();
    this.attempts.clear();
  }

  recordAttempt(callId: string, cseq: number, record: AttemptRecord): void {
    const key = `${callId}\n${cseq}`;
    this.attempts.delete(key);
    this.attempts.set(key, record);
    // bounded: drop the oldest records (insertion order)
    while (this.attempts.size > MAX_ATTEMPTS) {
      const oldest = this.attempts.keys().next();
      if (oldest.done === true) break;
      this.attempts.delete(oldest.value);
    }
  }

  attempt(callId: string, cseq: number): AttemptRecord | undefined {
    return this.attempts.get(`${callId}\n${cseq}`);
  }

  dropAttempt(callId: string, cseq: number): void {
    this.attempts.delete(`${callId}\n${cseq}`);
  }
}
