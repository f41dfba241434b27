/**
 * Answering one chosen challenge: the Authorization (401) or Proxy-Authorization (407) header
 * (RFC 3261 §22.2, §22.3, §22.4; RFC 7616 §3.4; RFC 8760 §2.5).
 */
import { randomBytes } from 'node:crypto';
import type { ChallengeKind } from './digest-challenge.ts';
import { computeDigestResponse, digestUserhash, formatDigestCredentials } from './digest-response.ts';
import type { ChosenChallenge } from './digest-select.ts';

export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
}

export interface AnswerContext {
  readonly method: string;
  /** the Request-URI, formatted (RFC 3261 §22.4: digest-uri is the Request-URI) */
  readonly uri: string;
  /** nonce count for this nonce, 1-based */
  readonly nc: number;
  readonly cnonce: string;
  readonly body?: string | Uint8Array;
}

export interface DigestAnswer {
  readonly headerName: 'Authorization' | 'Proxy-Authorization';
  readonly value: string;
}

/** §22.2 / §22.3: 401 is answered with Authorization, 407 with Proxy-Authorization. */
export function credentialsHeaderName(kind: ChallengeKind): 'Authorization' | 'Proxy-Authorization' {
  return kind === 'www' ? 'Authorization' : 'Proxy-Authorization';
}

/** The header that carries challenges of a kind: WWW-Authenticate (401) or Proxy-Authenticate (407). */
export function challengeHeaderName(kind: ChallengeKind): 'WWW-Authenticate' | 'Proxy-Authenticate' {
  return kind === 'www' ? 'WWW-Authenticate' : 'Proxy-Authenticate';
}

/** cnonce: 128 random bits, base64url (RFC 7616 §3.4: an opaque quoted string). */
export function randomCnonce(): string {
  return randomBytes(16).toString('base64url');
}

export function answerChallenge(
  chosen: ChosenChallenge,
  credentials: DigestCredentials,
  ctx: AnswerContext,
): DigestAnswer {
  const c = chosen.challenge;
  const algorithm = c.algorithm;
  if (algorithm === null) throw new Error('answerChallenge: challenge has an unsupported algorithm');
  const usesCnonce = chosen.qop !== null;
  const response = computeDigestResponse({
    algorithm,
    username: credentials.username,
    password: credentials.password,
    realm: c.realm,
    nonce: c.nonce,
    method: ctx.method,
    uri: ctx.uri,
    qop: chosen.qop,
    nc: ctx.nc,
    cnonce: ctx.cnonce,
    ...(ctx.body !== undefined ? { body: ctx.body } : {}),
  });
  const value = formatDigestCredentials({
    // RFC 7616 §3.4.4: with userhash=true the username field carries H(username:realm)
    username: c.userhash ? digestUserhash(algorithm, credentials.username, c.realm) : credentials.username,
    realm: c.realm,
    nonce: c.nonce,
    uri: ctx.uri,
    response,
    algorithm: c.algorithmName,
    // a "-sess" algorithm without qop still needs the cnonce it hashed (RFC 2617 §3.2.2.2)
    cnonce: usesCnonce || algorithm.endsWith('-sess') ? ctx.cnonce : null,
    opaque: c.opaque,
    qop: chosen.qop,
    nc: usesCnonce ? ctx.nc : null,
    userhash: c.userhash,
  });
  return { headerName: credentialsHeaderName(c.kind), value };
}

