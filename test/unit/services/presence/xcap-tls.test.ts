/**
 * XCAP over HTTPS for TLS accounts (xcap-tls.ts): the account's SIP TLS trust (pinned certificate as CA and
 * SHA-256 pin, name checks) decides, and an untrusted server never receives a request, credentials or body.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putDocument, type XcapAccess } from '../../../../main/services/presence/xcap-client.ts';
import { trustOf } from '../../../../main/services/sip-stack-account.ts';
import { makeSelfSignedCert, type TestCert } from '../../../support/tls-cert.ts';
import { waitFor } from '../../../support/peers.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

let server: Server;
let served: TestCert;
let other: TestCert;
let root: string;
const seen: Seen[] = [];

beforeAll(async () => {
  served = makeSelfSignedCert({ commonName: 'xcap.test', ipAddresses: ['127.0.0.1'] });
  other = makeSelfSignedCert({ commonName: 'xcap.test', ipAddresses: ['127.0.0.1'] });
  server = createServer({ cert: served.certPem, key: served.keyPem }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="example.test", nonce="abc123", qop="auth", algorithm=MD5' });
        res.end();
      } else {
        res.writeHead(200);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/xcap-root`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const access = (pinnedPem: string | null): XcapAccess => {
  const trust = trustOf(pinnedPem);
  return { root, aor: 'sip:alice@example.test', username: 'alice', password: 'secret', ...(trust !== undefined ? { trust } : {}) };
};
const url = (): URL => new URL(`${root}/pres-rules/users/sip:alice@example.test/index`);
const DOC = '<ruleset xmlns="urn:ietf:params:xml:ns:common-policy"/>';

describe('XCAP over https with the account\'s SIP TLS trust', () => {
  it('a pinned certificate that differs from the server\'s: refused in words, no request reaches the server', async () => {
    seen.length = 0;
    const r = await putDocument(access(other.certPem), url(), DOC, 'application/auth-policy+xml');
    expect(r.status).toBe(0);
    expect(r.problem).toMatch(/^XCAP server not trusted: pinned certificate mismatch/);
    // the check saw the server's real certificate, and nothing was written after the handshake
    expect(r.problem).toContain(`SHA-256 ${served.fingerprint256.slice(0, 23)}`);
    expect(seen).toEqual([]);
  });

  it('not one byte of application data reaches a server whose certificate is not the pinned one', async () => {
    let bytes = 0;
    let closed = 0;
    const raw = createTlsServer({ cert: served.certPem, key: served.keyPem }, (s) => {
      s.on('data', (c: Buffer) => {
        bytes += c.length;
        s.end();
      });
      s.on('error', () => undefined);
    });
    raw.on('connection', (c) => c.on('close', () => (closed += 1)));
    raw.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const rawRoot = `https://127.0.0.1:${String((raw.address() as AddressInfo).port)}/xcap-root`;
      const a = { ...access(other.certPem), root: rawRoot };
      const r = await putDocument(a, new URL(`${rawRoot}/pres-rules/users/sip:alice@example.test/index`), DOC, 'application/auth-policy+xml');
      expect(r.problem).toMatch(/^XCAP server not trusted: pinned certificate mismatch/);
      await waitFor(() => closed === 1, 'the refused connection closed at the server', 10_000);
      expect(bytes).toBe(0);
    } finally {
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });

  it('no pinned certificate: the self-signed server is not trusted (system roots), nothing sent', async () => {
    seen.length = 0;
    const r = await putDocument(access(null), url(), DOC, 'application/auth-policy+xml');
    expect(r.status).toBe(0);
    expect(r.problem).toBe('XCAP server not trusted: certificate not trusted (self-signed)');
    expect(seen).toEqual([]);
  });

  it('the pinned certificate matches: the PUT goes over https and answers the digest challenge', async () => {
    seen.length = 0;
    const r = await putDocument(access(served.certPem), url(), DOC, 'application/auth-policy+xml');
    expect(r).toEqual({ status: 200, problem: null });
    expect(seen.map((s) => s.method)).toEqual(['PUT', 'PUT']);
    expect(seen[0]?.authorization).toBeUndefined();
    expect(seen[1]?.authorization).toMatch(/^Digest username="alice", realm="example.test"/);
    expect(seen[1]?.url).toBe('/xcap-root/pres-rules/users/sip:alice@example.test/index');
    expect(seen[1]?.body).toBe(DOC);
  });

  it('an http URL is refused for an https root (no downgrade)', async () => {
    const r = await putDocument(access(served.certPem), new URL(url().href.replace('https:', 'http:')), DOC, 'application/auth-policy+xml');
    expect(r.problem).toBe('not under the account\'s XCAP root');
  });
});
