/**
 * TLS over real sockets (RFC 3261 §26.3.1, RFC 5922): the server certificate is verified by default
 * (chain and name); a self-signed certificate is trusted only when pinned for that destination.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createResponse, parseMessage, type SipRequest } from '../../main/sip/message/index.ts';
import { newBranch } from '../../main/sip/message/index.ts';
import type { TlsTrust } from '../../main/sip/transport/tls-trust.ts';
import { SipTransportLayer, type TransportLayerOptions } from '../../main/sip/transport/transport-layer.ts';
import { TransportError, type Endpoint } from '../../main/sip/transport/types.ts';
import { responseDestination } from '../../main/sip/transport/via-rewrite.ts';
import { makeSelfSignedCert, type TestCert } from '../support/tls-cert.ts';
import { requestText } from '../unit/sip/transport/sip-text.ts';
import { nextMessage, portOf } from '../unit/sip/transport/transport-test-kit.ts';

let cert: TestCert;
let other: TestCert;
let server: SipTransportLayer;
let dest: Endpoint;
const clients: SipTransportLayer[] = [];

beforeAll(async () => {
  cert = makeSelfSignedCert({ commonName: 'sip.test', dnsNames: ['sip.test'], ipAddresses: ['127.0.0.1'] });
  other = makeSelfSignedCert({ commonName: 'other.test', dnsNames: ['other.test'] });
  server = await SipTransportLayer.create({ listen: [{ protocol: 'tls', address: '127.0.0.1', port: 0 }], tlsServer: { cert: cert.certPem, key: cert.keyPem } });
  dest = { protocol: 'tls', address: '127.0.0.1', port: portOf(server, 'tls'), serverName: 'sip.test' };
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function client(trust?: TlsTrust, extra: TransportLayerOptions = {}): Promise<SipTransportLayer> {
  const c = await SipTransportLayer.create({ ...(trust ? { tlsTrust: () => trust } : {}), ...extra });
  clients.push(c);
  return c;
}
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const request = (): SipRequest => parseMessage(Buffer.from(requestText(`SIP/2.0/TLS x.invalid;branch=${newBranch()}`))) as SipRequest;

describe('TLS server verification (RFC 3261 §26.3.1)', () => {
  it('a self-signed certificate is refused by default with a clear reason', async () => {
    const c = await client();
    const sending = c.send(request(), dest);
    await expect(sending).rejects.toBeInstanceOf(TransportError);
    await expect(sending).rejects.toThrow(/^TLS 127\.0\.0\.1:\d+: certificate not trusted \(self-signed\)$/);
    expect(c.connections.all()).toHaveLength(0);
  });

  it('the certificate pinned as `ca` for this destination is trusted; request and response flow', async () => {
    const c = await client({ ca: [cert.certPem] });
    const arriving = nextMessage(server);
    const used = await c.send(request(), dest);
    expect(used.connectionId).toMatch(/^tls-/);
    const inbound = await arriving;
    expect(inbound.source.protocol).toBe('tls');
    expect(inbound.message.topVia?.transport).toBe('TLS');
    const via = inbound.message.topVia;
    if (via === null) throw new Error('no Via');
    const back = nextMessage(c);
    await server.send(createResponse(inbound.message as SipRequest, 200, 'OK', { toTag: 'x' }), responseDestination(via, inbound.source));
    const response = await back;
    expect(response.message.kind === 'response' && response.message.status).toBe(200);
    expect(response.source.connectionId).toBe(used.connectionId);
  });

  it('the certificate pinned by SHA-256 fingerprint is trusted', async () => {
    const c = await client({ fingerprints256: [cert.fingerprint256.toLowerCase()] });
    const arriving = nextMessage(server);
    await c.send(request(), dest);
    expect((await arriving).source.protocol).toBe('tls');
  });

  it('a pin for another certificate does not help', async () => {
    const byFingerprint = await client({ fingerprints256: [other.fingerprint256] });
    await expect(byFingerprint.send(request(), dest)).rejects.toThrow(/pinned certificate mismatch.*certificate not trusted \(self-signed\)/);
    const byCa = await client({ ca: [other.certPem] });
    await expect(byCa.send(request(), dest)).rejects.toThrow(/certificate not trusted \(self-signed\)/);
  });

  it('a trusted certificate for another name fails with "certificate name mismatch"', async () => {
    const c = await client({ ca: [cert.certPem] });
    await expect(c.send(request(), { ...dest, serverName: 'pbx.example.com' })).rejects.toThrow(/certificate name mismatch/);
  });

  it('with a fingerprint pin for another certificate: an untrusted one is refused as self-signed, a CA-trusted one for another name as a name mismatch', async () => {
    const c = await client({ fingerprints256: [other.fingerprint256] });
    const presented = cert.fingerprint256.slice(0, 23);
    const pinMismatch = `pinned certificate mismatch: the server presented another certificate (SHA-256 ${presented}…); `;
    await expect(c.send(request(), { ...dest, serverName: 'pbx.example.com' })).rejects.toThrow(
      new RegExp(`^TLS 127\\.0\\.0\\.1:\\d+: ${escape(pinMismatch)}certificate not trusted \\(self-signed\\)$`),
    );
    const trusted = await client({ ca: [cert.certPem], fingerprints256: [other.fingerprint256] });
    await expect(trusted.send(request(), { ...dest, serverName: 'pbx.example.com' })).rejects.toThrow(
      new RegExp(`^TLS 127\\.0\\.0\\.1:\\d+: ${escape(pinMismatch)}certificate name mismatch \\(not valid for pbx\\.example\\.com\\)$`),
    );
  });

  it('issue 11: a wrong pin reads differently from no pin, and each names the check that failed', async () => {
    const none = await client();
    const noPin = await none.send(request(), dest).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    const wrong = await client({ fingerprints256: [other.fingerprint256] });
    const wrongPin = await wrong.send(request(), dest).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    expect(noPin).toMatch(/: certificate not trusted \(self-signed\)$/);
    expect(wrongPin).toMatch(/: pinned certificate mismatch: the server presented another certificate \(SHA-256 [0-9A-F:]{23}…\); certificate not trusted \(self-signed\)$/);
    expect(wrongPin).toContain(cert.fingerprint256.slice(0, 23));
    expect(wrongPin).not.toBe(noPin);
    // wrong host name, with the issuer trusted: named as such
    const byCa = await client({ ca: [cert.certPem] });
    await expect(byCa.send(request(), { ...dest, serverName: 'pbx.example.com' })).rejects.toThrow(/: certificate name mismatch \(.*pbx\.example\.com.*\)$/);
  });

  it('without a serverName the IP address is checked against the certificate (IP SAN)', async () => {
    const c = await client({ ca: [cert.certPem] });
    const { serverName: _unused, ...byAddress } = dest;
    const arriving = nextMessage(server);
    await c.send(request(), byAddress);
    expect((await arriving).source.protocol).toBe('tls');
  });
});
