/** TCP and TLS listening sockets (RFC 3261 §18.2): every accepted connection is handed to `onConnection`. */
import { createServer as createTcpServer, isIP, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { normalizeAddress } from './address.ts';

export interface StreamServer {
  readonly protocol: 'tcp' | 'tls';
  readonly server: Server;
  readonly address: string;
  readonly port: number;
}

export async function listenStream(
  protocol: 'tcp' | 'tls',
  address: string,
  port: number,
  tlsServer: { readonly cert: string; readonly key: string } | undefined,
  onConnection: (socket: Socket) => void,
): Promise<StreamServer> {
  if (protocol === 'tls' && !tlsServer) throw new Error('a TLS listener needs tlsServer { cert, key }');
  const server =
    protocol === 'tls' ? createTlsServer({ cert: tlsServer?.cert, key: tlsServer?.key, minVersion: 'TLSv1.2' }, onConnection) : createTcpServer(onConnection);
  // a failed TLS handshake from a client must not take anything down
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, ...(isIP(address) === 6 ? { ipv6Only: true } : {}) }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  // later errors (e.g. EMFILE on accept) must not crash the process
  server.on('error', () => undefined);
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('unexpected server address');
  return { protocol, server, address: normalizeAddress(a.address), port: a.port };
}
