/**
 * Choosing what to answer in a 401/407 (RFC 3261 §22.2/§22.3, RFC 7616 §3.7, RFC 8760 §2.4).
 *
 * Challenges are grouped by (kind, realm): a forked or proxied request can be challenged for several
 * realms at once and the UAC answers each realm it has credentials for (§22.3). Within a realm we take
 * the strongest algorithm we can compute (SHA-512-256 > SHA-256 > MD5, a "-sess" variant just above its
 * plain form), the earlier header winning a tie (RFC 8760 §2.3: the UAS lists its preference first).
 * qop: "auth" when offered; "auth-int" only when it is the only option and body hashing is allowed —
 * that choice is reported in `notes`, never made silently.
 */
import { algorithmStrength, isAlgorithmAvailable } from './digest-algorithm.ts';
import type { ChallengeKind, DigestChallenge } from './digest-challenge.ts';

export type DigestQop = 'auth' | 'auth-int';

export interface ChosenChallenge {
  readonly challenge: DigestChallenge;
  /** null = the server offered no qop (RFC 2069 compatibility: no cnonce/nc in the answer) */
  readonly qop: DigestQop | null;
}

export interface RejectedRealm {
  readonly kind: ChallengeKind;
  readonly realm: string;
  /** in plain words, e.g. "server only offers algorithm SHA3-256, which we do not support" */
  readonly reason: string;
}

export interface ChallengeSelection {
  /** one entry per (kind, realm) we can answer, in the order the realms first appeared */
  readonly chosen: readonly ChosenChallenge[];
  readonly rejected: readonly RejectedRealm[];
  /** choices worth telling the user or the log about (auth-int chosen, weaker algorithm used...) */
  readonly notes: readonly string[];
}

export interface SelectOptions {
  /** allow qop=auth-int when the server offers nothing else (we hash the body); default true */
  readonly allowAuthInt?: boolean;
}

function chooseQop(
  c: DigestChallenge,
  allowAuthInt: boolean,
): { qop: DigestQop | null } | { reason: string } {
  if (c.qop.length === 0) return { qop: null };
  if (c.qop.includes('auth')) return { qop: 'auth' };
  if (c.qop.includes('auth-int')) {
    return allowAuthInt
      ? { qop: 'auth-int' }
      : { reason: 'server requires qop=auth-int (body integrity), which is turned off' };
  }
  return { reason: `server only offers qop=${c.qop.join(',')}, which we do not support` };
}

export function selectChallenges(
  challenges: readonly DigestChallenge[],
  options: SelectOptions = {},
): ChallengeSelection {
  const allowAuthInt = options.allowAuthInt ?? true;
  const groups = new Map<string, DigestChallenge[]>();
  for (const c of challenges) {
    const key = `${c.kind}\u0000${c.realm}`;
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  const chosen: ChosenChallenge[] = [];
  const rejected: RejectedRealm[] = [];
  const notes: string[] = [];
  for (const group of groups.values()) {
    let best: { c: DigestChallenge; qop: DigestQop | null; strength: number } | null = null;
    const reasons: string[] = [];
    for (const c of group) {
      if (c.algorithm === null || !isAlgorithmAvailable(c.algorithm)) {
        reasons.push(`algorithm ${c.algorithmName} is not supported`);
        continue;
      }
      const q = chooseQop(c, allowAuthInt);
      if ('reason' in q) {
        reasons.push(q.reason);
        continue;
      }
      const strength = algorithmStrength(c.algorithm);
      if (best === null || strength > best.strength) best = { c, qop: q.qop, strength };
    }
    const first = group[0];
    if (first === undefined) continue;
    if (best === null) {
      rejected.push({ kind: first.kind, realm: first.realm, reason: reasons.join('; ') });
      continue;
    }
    if (best.qop === 'auth-int') {
      notes.push(`realm "${best.c.realm}" only offers qop=auth-int: the message body is hashed into the answer`);
    }
    chosen.push({ challenge: best.c, qop: best.qop });
  }
  return { chosen, rejected, notes };
}
