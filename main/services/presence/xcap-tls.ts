/**
 * XCAP over HTTPS (RFC 4825 §6.2: XCAP runs over HTTP, TLS where the signalling is protected) for a TLS
 * account, with exactly the trust of its SIP TLS connection: the same options (tlsConnectOptions: SNI and
 * name check against the PBX's host, the account's pinned certificate as CA / SHA-256 pin) and the same
 * check after the handshake (verifyPeer, RFC 5922). The socket is handed to the HTTP request only once the
 * peer is trusted, so no request line, credentials or body is ever written to an untrusted server.
 */
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { describeTlsError, tlsConnectOptions, verifyPeer, type TlsTrust } from '../../sip/transport/tls-trust.ts';

/** the server's certificate failed the account's checks; the message is the reason in words */
export class XcapTrustError extends Error {}

/**
 * A `createConnection` for node:http: TLS to `host:port`, verified with the account's trust, then given
 * to the request (or the reason it was refused). `host` is the PBX's host as the account names it: the
 * certificate is checked against it, as for the SIP connection (target-resolution: serverName = URI host).
 */
export function verifiedTlsConnection(host: string, port: number, trust: TlsTrust | undefined, timeoutMs: number) {
  // node:http ignores the socket when err is set (ClientRequest emits 'error' instead)
  return (_options: unknown, done: (err: Error | null, socket: Duplex) => void): undefined => {
    let settled = false;
    const socket = tlsConnect(tlsConnectOptions({ protocol: 'tls', address: host, port, serverName: host }, trust));
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      socket.removeListener('error', onError);
      if (err === null) {
        done(null, socket);
        return;
      }
      socket.destroy();
      done(err, socket);
    };
    const onError = (err: Error): void => {
      const code = (err as { code?: unknown }).code;
      // a certificate refused during the handshake (CA mode) is a trust failure; ECONNREFUSED etc. are not
      finish(typeof code === 'string' && !/^E[A-Z]+$/.test(code) ? new XcapTrustError(describeTlsError(err)) : err);
    };
    socket.once('secureConnect', () => {
      const problem = verifyPeer(socket, trust);
      finish(problem === null ? null : new XcapTrustError(problem));
    });
    socket.on('error', onError);
    socket.setTimeout(timeoutMs, () => finish(new Error('timed out')));
    return undefined;
  };
}
