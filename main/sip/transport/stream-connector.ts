/**
 * Opens outgoing TCP and TLS connections (RFC 3261 §18.1.1), with a connect timeout on the injected
 * clock and TLS server verification per tls-trust.ts. Resolves with the connected socket, rejects with
 * a TransportError whose message says what went wrong in words ("certificate not trusted (self-signed)").
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Clock } from '../transaction/clock.ts';
import { networkReason } from './network-reason.ts';
import { describeTlsError, tlsConnectOptions, verifyPeer, type TlsTrust } from './tls-trust.ts';
import { TransportError, type Endpoint } from './types.ts';

export interface ConnectOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly trust?: TlsTrust;
  /** extra node:tls options (client certificate for mutual TLS); verification settings cannot be relaxed */
  readonly tlsClient?: Pick<ConnectionOptions, 'cert' | 'key'>;
}

function label(destination: Endpoint): string {
  const host = destination.address.includes(':') ? `[${destination.address}]` : destination.address;
  return `${destination.protocol.toUpperCase()} ${host}:${destination.port}`;
}

export function openStream(destination: Endpoint, options: ConnectOptions): Promise<Socket> {
  if (destination.protocol === 'udp') throw new Error('openStream: UDP has no connections');
  return new Promise<Socket>((resolve, reject) => {
    let settled = false;
    let socket: Socket;
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      options.clock.clearTimeout(timer);
      socket.destroy();
      reject(new TransportError(`${label(destination)}: ${reason}`, destination));
    };
    const succeed = (): void => {
      if (settled) return;
      settled = true;
      options.clock.clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(socket);
    };
    const onError = (err: Error): void => {
      const code = (err as { code?: unknown }).code;
      const tlsFailure = destination.protocol === 'tls' && typeof code === 'string' && !/^E[A-Z]+$/.test(code);
      fail(tlsFailure ? describeTlsError(err) : networkReason(err));
    };
    const timer = options.clock.setTimeout(() => fail(`no connection within ${options.timeoutMs} ms`), options.timeoutMs);
    if (destination.protocol === 'tcp') {
      socket = netConnect({ host: destination.address, port: destination.port });
      socket.once('connect', succeed);
    } else {
      const tlsOptions: ConnectionOptions = { ...tlsConnectOptions(destination, options.trust), ...options.tlsClient };
      const tlsSocket = tlsConnect(tlsOptions);
      socket = tlsSocket;
      tlsSocket.once('secureConnect', () => {
        const problem = verifyPeer(tlsSocket, options.trust);
        if (problem === null) succeed();
        else fail(problem);
      });
    }
    socket.on('error', onError);
  });
}
