/**
 * The UAC side of digest authentication (RFC 3261 §22.2, §22.3, §8.1.3.5).
 *
 * - `respondToChallenge`: after a 401/407, the same request again with a new CSeq, the same Call-ID,
 *   From tag and To, and one Authorization/Proxy-Authorization per challenged realm. Via headers are
 *   removed: the caller adds a fresh top Via with a new branch (§8.1.1.7).
 * - One retry per challenge: a request that already answered a realm and is challenged again for it
 *   without stale=true ends with `wrong-credentials` — never a loop. stale=true (RFC 2617 §3.2.1)
 *   retries with the new nonce, at most `maxStaleRetries` times in a row.
 * - Credentials are cached per (kind, realm) and added pre-emptively to later requests
 *   (`applyCached`) with the next nc; proxy credentials go with every request of this account,
 *   WWW credentials only to the Request-URI (user and host) they were asked for.
 * - Realm binding (issue 10, realm-binding.ts): a challenge from a realm that is not the account's is
 *   never answered (the request fails with `unknown-realm`); the realm of the registrar's first
 *   successful challenge is learned when none was configured.
 */
import { isSipUri } from '../message/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { answerChallenge, challengeHeaderName, credentialsHeaderName, randomCnonce } from './digest-answer.ts';
import type { DigestCredentials } from './digest-answer.ts';
import { parseAuthChallengeList, parseDigestChallenges } from './digest-challenge.ts';
import type { ChallengeKind } from './digest-challenge.ts';
import { isSessionAlgorithm } from './digest-algorithm.ts';
import { selectChallenges } from './digest-select.ts';
import { CredentialsCache, realmKey } from './credentials-cache.ts';
import type { CachedRealm } from './credentials-cache.ts';
import { authFailure } from './credentials-failure.ts';
import { RealmBinding } from './realm-binding.ts';
import type { AuthFailure } from './credentials-failure.ts';

export type { DigestCredentials } from './digest-answer.ts';

/** Credentials for a realm; null when we have none for it. */
export type CredentialsLookup = (realm: string, kind: ChallengeKind) => DigestCredentials | null;

export interface AuthenticatorOptions {
  /** one user name/password for every realm, or a lookup per realm */
  readonly credentials: DigestCredentials | CredentialsLookup;
  /** cnonce source (tests inject a fixed one); default 128 random bits */
  readonly cnonce?: () => string;
  /** allow qop=auth-int when a realm offers nothing else; default true */
  readonly allowAuthInt?: boolean;
  /** add cached credentials to new requests; default true */
  readonly preemptive?: boolean;
  /** stale=true retries in a row before giving up; default 2 */
  readonly maxStaleRetries?: number;
  /** the realms the password may answer (issue 10); default: bound on the registrar's first challenge */
  readonly realms?: RealmBinding;
}

export type AuthOutcome =
  | { readonly kind: 'retry'; readonly request: SipRequest; readonly notes: readonly string[] }
  | { readonly kind: 'failed'; readonly failure: AuthFailure };

export class Authenticator {
  readonly cache = new CredentialsCache();
  readonly realms: RealmBinding;
  private readonly lookup: CredentialsLookup;
  private readonly cnonce: () => string;
  private readonly allowAuthInt: boolean;
  private readonly preemptive: boolean;
  private readonly maxStaleRetries: number;

  constructor(options: AuthenticatorOptions) {
    const c = options.credentials;
    this.lookup = typeof c === 'function' ? c : () => c;
    this.cnonce = options.cnonce ?? randomCnonce;
    this.allowAuthInt = options.allowAuthInt ?? true;
    this.preemptive = options.preemptive ?? true;
    this.maxStaleRetries = options.maxStaleRetries ?? 2;
    this.realms = options.realms ?? new RealmBinding();
  }

  /**
   * Adds cached credentials to a new request (§22.3: a UA MAY cache credentials and use them in
   * later requests to the same realm). Not for ACK/CANCEL: those reuse the INVITE's credentials
   * (§22.1, §17.1.1.3). Call it after the CSeq is set; returns the realms applied.
   */
  applyCached(request: SipRequest): readonly string[] {
    if (!this.preemptive || request.method === 'ACK' || request.method === 'CANCEL') return [];
    const host = protectionSpaceOf(request);
    const applied: string[] = [];
    for (const entry of this.cache.all()) {
      const c = entry.chosen.challenge;
      if (c.kind === 'www' && entry.host !== null && entry.host !== host) continue;
      if (hasCredentialsFor(request, c.kind, c.realm)) continue;
      if (!this.realms.allows(c.realm, request.method)) continue;
      const creds = this.lookup(c.realm, c.kind);
      if (creds === null) continue;
      this.addAnswer(request, entry, creds);
      applied.push(realmKey(c.kind, c.realm));
    }
    if (applied.length > 0) {
      this.cache.recordAttempt(request.callId, request.cseq.seq, {
        answered: new Set(),
        preemptive: new Set(applied),
        staleRetries: 0,
      });
    }
    return applied;
  }

  /**
   * A 401 or 407 to `request`: the request to send next, or why we stop.
   * `nextCSeq` gives the CSeq number for the new request (§8.1.3.5: "the CSeq ... MUST be
   * incremented"; within a dialog it comes from the dialog's local sequence, §12.2.1.1).
   */
  respondToChallenge(request: SipRequest, response: SipResponse, nextCSeq: () => number): AuthOutcome {
    const status = response.status;
    const kinds: ChallengeKind[] = status === 407 ? ['proxy'] : status === 401 ? ['www'] : [];
    const values = kinds.flatMap((k) => response.headers.getAll(challengeHeaderName(k)).map((v) => ({ k, v })));
    const challenges = [];
    const problems: string[] = [];
    const foreign: string[] = [];
    for (const { k, v } of values) {
      const parsed = parseDigestChallenges([v], k);
      // RFC 3261 §22 + issue 10: a realm that is not the account's gets no digest of our password
      for (const c of parsed.challenges) {
        if (this.realms.allows(c.realm, request.method)) challenges.push(c);
        else if (!foreign.includes(c.realm)) foreign.push(c.realm);
      }
      problems.push(...parsed.problems);
    }
    if (challenges.length === 0 && foreign.length > 0) {
      return failed(authFailure('unknown-realm', status, foreign[0] ?? null, foreign.map((r) => `not our realm: ${r}`)));
    }
    const selection = selectChallenges(challenges, { allowAuthInt: this.allowAuthInt });
    const firstRealm = challenges[0]?.realm ?? null;
    if (selection.chosen.length === 0) {
      const rejected = selection.rejected.map((r) => `${r.realm}: ${r.reason}`);
      return failed(
        challenges.length === 0 && problems.every((p) => !/scheme is not supported/.test(p))
          ? authFailure('no-challenge', status, null, problems)
          : authFailure('unsupported-challenge', status, firstRealm, [...problems, ...rejected]),
      );
    }
    const previous = this.cache.attempt(request.callId, request.cseq.seq);
    let staleRetries = 0;
    for (const { challenge } of selection.chosen) {
      const key = realmKey(challenge.kind, challenge.realm);
      const answered = previous
        ? previous.answered.has(key)
        : // credentials we did not put there: treat as an answer, so we never loop on them
          hasCredentialsFor(request, challenge.kind, challenge.realm);
      if (!answered) continue;
      if (!challenge.stale) return failed(authFailure('wrong-credentials', status, challenge.realm));
      staleRetries = (previous?.staleRetries ?? 0) + 1;
      if (staleRetries > this.maxStaleRetries) {
        return failed(authFailure('too-many-stale-nonces', status, challenge.realm));
      }
    }
    const credsByRealm: { entry: CachedRealm; creds: DigestCredentials }[] = [];
    const host = protectionSpaceOf(request);
    for (const chosen of selection.chosen) {
      const c = chosen.challenge;
      const creds = this.lookup(c.realm, c.kind);
      if (creds === null) return failed(authFailure('no-credentials', status, c.realm));
      credsByRealm.push({ entry: this.cache.remember(chosen, host, this.cnonce), creds });
    }

    const retry = request.clone();
    retry.headers.set('CSeq', `${nextCSeq()} ${request.method}`);
    // §8.1.1.7: a new request gets a new branch; the caller adds the top Via
    retry.headers.remove('Via');
    for (const { entry } of credsByRealm) removeCredentialsFor(retry, entry.chosen.challenge.kind, entry.chosen.challenge.realm);
    for (const { entry, creds } of credsByRealm) this.addAnswer(retry, entry, creds);
    // realms answered earlier in this exchange stay answered: a server alternating realms cannot loop us
    const answeredKeys = new Set(previous?.answered ?? []);
    for (const { entry } of credsByRealm) answeredKeys.add(realmKey(entry.chosen.challenge.kind, entry.chosen.challenge.realm));
    const preemptive = new Set([...(previous?.preemptive ?? [])].filter((k) => !answeredKeys.has(k)));
    this.cache.recordAttempt(retry.callId, retry.cseq.seq, { answered: answeredKeys, preemptive, staleRetries });
    this.cache.dropAttempt(request.callId, request.cseq.seq);
    return { kind: 'retry', request: retry, notes: [...selection.notes, ...problems] };
  }

  /**
   * A final response other than 401/407 to a request we authorized. 403 to a request that carried
   * our credentials means the credentials were refused (many PBXs answer a wrong password so);
   * anything else returns null. Also forgets the request's record.
   */
  checkFinalResponse(request: SipRequest, response: SipResponse): AuthFailure | null {
    const record = this.cache.attempt(request.callId, request.cseq.seq);
    this.cache.dropAttempt(request.callId, request.cseq.seq);
    if (record !== undefined && request.method === 'REGISTER' && response.status >= 200 && response.status < 300) {
      // the registrar's first successful challenge binds its realm (WWW first: the registrar's own)
      const keys = [...record.answered, ...record.preemptive];
      const realmOf = (k: string) => k.slice(k.indexOf(' ') + 1);
      const www = keys.find((k) => k.startsWith('www '));
      const learned = www ?? keys[0];
      if (learned !== undefined) this.realms.learn(realmOf(learned));
    }
    if (response.status !== 403 || record === undefined) return null;
    const keys = [...record.answered, ...record.preemptive];
    if (keys.length === 0) return null;
    const realm = keys[0]?.slice(keys[0].indexOf(' ') + 1) ?? null;
    return authFailure('wrong-credentials', 403, realm);
  }

  /** Drops cached credentials, e.g. after the user changed the password. */
  forgetAll(): void {
    this.cache.clear();
  }

  private addAnswer(request: SipRequest, entry: CachedRealm, creds: DigestCredentials): void {
    const alg = entry.chosen.challenge.algorithm;
    const nc = this.cache.nextNc(entry);
    const cnonce = alg !== null && isSessionAlgorithm(alg) ? entry.sessionCnonce : this.cnonce();
    const answer = answerChallenge(entry.chosen, creds, {
      method: request.method,
      uri: request.uriText,
      nc,
      cnonce,
      body: request.body,
    });
    request.headers.append(answer.headerName, answer.value);
  }
}

function failed(failure: AuthFailure): AuthOutcome {
  return { kind: 'failed', failure };
}

/**
 * The protection space of WWW credentials (RFC 3261 §22.1, RFC 7616 §3.6): the Request-URI they were
 * asked for, user and host. So the registrar's credentials go with every REGISTER but never with a
 * MESSAGE to bob@ that domain, where the proxy would pass them on to bob's device.
 */
export function protectionSpaceOf(request: SipRequest): string | null {
  const u = request.uri;
  return isSipUri(u) ? `${u.user === null ? '' : `${u.user}@`}${u.host.toLowerCase()}` : null;
}

function credentialRealm(value: string): string | null {
  return parseAuthChallengeList(value)?.[0]?.params.get('realm') ?? null;
}

function hasCredentialsFor(request: SipRequest, kind: ChallengeKind, realm: string): boolean {
  return request.headers.getAll(credentialsHeaderName(kind)).some((v) => credentialRealm(v) === realm);
}

function removeCredentialsFor(request: SipRequest, kind: ChallengeKind, realm: string): void {
  const name = credentialsHeaderName(kind);
  const keep = request.headers.getAll(name).filter((v) => credentialRealm(v) !== realm);
  request.headers.remove(name);
  for (const v of keep) request.headers.append(name, v);
}
