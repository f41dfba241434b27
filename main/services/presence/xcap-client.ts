/**
 * A small XCAP client (RFC 4825) for one document: the user's pres-rules (RFC 5025) on the PBX.
 *
 * - §6.1 / §8.2.1: PUT of the whole document replaces it; the document URI is
 *   `<xcap-root>/pres-rules/users/<our AOR>/index` (RFC 5025 §9.5 users tree, document "index").
 * - §6.2: HTTP digest with the account's credentials (RFC 7616), answered with the SIP stack's digest
 *   code: a 401 is answered once, a second 401 is a failure (wrong password), no other scheme.
 * - Only to the XCAP root the account names (derived from its PBX, see xcapRootFor): no redirects are
 *   followed, plain http only where the SIP signalling is plain too; for a TLS account https on its SIP
 *   TLS port with the trust of its SIP TLS connection (xcap-tls.ts), refused before anything is sent.
 * Bounded: a 10 s timeout per request, at most 16 KiB of any response body read.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AccountDto } from '#shared/domain/account.ts';
import { parseUri, isSipUri } from '../../sip/message/index.ts';
import type { TlsTrust } from '../../sip/transport/tls-trust.ts';
import { answerChallenge, randomCnonce } from '../../sip/ua/digest-answer.ts';
import { parseDigestChallenges } from '../../sip/ua/digest-challenge.ts';
import { selectChallenges } from '../../sip/ua/digest-select.ts';
import { verifiedTlsConnection, XcapTrustError } from './xcap-tls.ts';

export interface XcapAccess {
  /** e.g. http://pbx.example.com:5060/xcap-root */
  readonly root: string;
  readonly aor: string;
  readonly username: string;
  readonly password: string;
  /** https roots: the account's explicit TLS trust (its pinned certificate), as for its SIP connection */
  readonly trust?: TlsTrust;
}

export interface XcapResult {
  /** the HTTP status, or 0 when the server could not be reached */
  readonly status: number;
  readonly problem: string | null;
}

const TIMEOUT_MS = 10_000;
const MAX_BODY = 16 * 1024;

/**
 * The XCAP root on the account's PBX: the outbound proxy when there is one, else the registrar, on its
 * SIP port, path /xcap-root (Kamailio's xcap_server answers HTTP on its SIP TCP port). TLS accounts get
 * https on the SIP TLS port (default 5061, RFC 3261 §19.1.2): Kamailio's xhttp answers there too.
 */
export function xcapRootFor(account: Pick<AccountDto, 'outboundProxy' | 'registrar' | 'transport' | 'port'>): string | null {
  const tls = account.transport === 'tls';
  const defaultPort = tls ? 5061 : 5060;
  let host: string;
  let port: number;
  try {
    if (account.outboundProxy !== null && account.outboundProxy !== '') {
      const uri = parseUri(account.outboundProxy);
      if (!isSipUri(uri)) return null;
      host = uri.host;
      port = uri.port ?? defaultPort;
    } else {
      const uri = parseUri(`sip:${account.registrar}`);
      if (!isSipUri(uri)) return null;
      host = uri.host;
      port = account.port ?? uri.port ?? defaultPort;
    }
  } catch {
    return null;
  }
  return `${tls ? 'https' : 'http'}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${String(port)}/xcap-root`;
}

/** RFC 5025 §9.5: the user's pres-rules document */
export function presRulesUrl(access: Pick<XcapAccess, 'root' | 'aor'>): URL {
  const root = access.root.endsWith('/') ? access.root.slice(0, -1) : access.root;
  return new URL(`${root}/pres-rules/users/${access.aor}/index`);
}

/** RFC 4825 §7.1 / §8.2.1: PUT the whole document, answering one digest challenge */
export async function putDocument(access: XcapAccess, url: URL, body: string, contentType: string): Promise<XcapResult> {
  const scheme = access.root.startsWith('https:') ? 'https:' : 'http:';
  if (url.protocol !== scheme || !url.href.startsWith(access.root)) return { status: 0, problem: 'not under the account\'s XCAP root' };
  const path = url.pathname + url.search;
  let first = await send(url, body, contentType, null, access.trust);
  if (first.status !== 401) return result(first);
  const challenges = parseDigestChallenges(first.challenges, 'www');
  const chosen = selectChallenges(challenges.challenges, { allowAuthInt: false }).chosen[0];
  if (chosen === undefined) return { status: 401, problem: 'the XCAP server asks for an authentication we cannot answer' };
  const answer = answerChallenge(chosen, { username: access.username, password: access.password }, { method: 'PUT', uri: path, nc: 1, cnonce: randomCnonce() });
  first = await send(url, body, contentType, answer.value, access.trust);
  if (first.status === 401) return { status: 401, problem: 'the XCAP server refused the account\'s credentials' };
  return result(first);
}

interface Raw {
  readonly status: number;
  readonly challenges: string[];
  readonly problem: string | null;
}

function result(r: Raw): XcapResult {
  if (r.status >= 200 && r.status < 300) return { status: r.status, problem: null };
  return { status: r.status, problem: r.problem ?? `the XCAP server answered ${String(r.status)}` };
}

function send(url: URL, body: string, contentType: string, authorization: string | null, trust: TlsTrust | undefined): Promise<Raw> {
  return new Promise((resolve) => {
    // one connection per request: a server may close after its 401 (Kamailio does), a pooled socket would hang up
    const headers: Record<string, string> = { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
    if (authorization !== null) headers['Authorization'] = authorization;
    const onResponse = (res: IncomingMessage): void => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_BODY) res.destroy();
      });
      const done = (): void => {
        const values = res.headersDistinct['www-authenticate'] ?? [];
        resolve({ status: res.statusCode ?? 0, challenges: values, problem: null });
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    };
    const req = url.protocol === 'https:' ? httpsRequest(url, headers, trust, onResponse) : httpRequest(url, { method: 'PUT', headers, timeout: TIMEOUT_MS, agent: false }, onResponse);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => {
      const problem = e instanceof XcapTrustError ? `XCAP server not trusted: ${e.message}` : `XCAP server unreachable: ${e.message}`;
      resolve({ status: 0, challenges: [], problem });
    });
    req.end(body);
  });
}

/** https: the connection is made and verified by xcap-tls.ts before the request is written to it */
function httpsRequest(url: URL, headers: Record<string, string>, trust: TlsTrust | undefined, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? 443 : Number(url.port);
  const createConnection = verifiedTlsConnection(host, port, trust, TIMEOUT_MS);
  return httpRequest({ host, port, path: url.pathname + url.search, method: 'PUT', headers: { Host: url.host, ...headers }, timeout: TIMEOUT_MS, createConnection }, onResponse);
}
