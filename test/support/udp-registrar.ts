/**
 * A tiny UDP registrar/proxy stand-in for the issue 10 proofs: answers REGISTER with a digest challenge
 * (realm `realm`) then 200 echoing the Contact, remembers the Contact the app registered, and lets a
 * test send requests to the app "through the proxy" (from the proxy's address) and read the answers.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createResponse, newBranch, parseMessage, serializeMessage, type SipRequest, type SipResponse } from '../../main/sip/message/index.ts';
import { waitFor } from './peers.ts';

export interface UdpRegistrar {
  readonly port: number;
  readonly address: string;
  readonly received: SipRequest[];
  readonly responses: SipResponse[];
  /** the Contact URI of the app's last REGISTER (without <>), and where it came from */
  contact(): { readonly uri: string; readonly address: string; readonly port: number } | null;
  /** raw request text to the app from the proxy's socket; resolves with the final response (or throws after timeoutMs) */
  request(text: string, timeoutMs?: number): Promise<SipResponse>;
  /** what answers a request the app sends (default: 200; REGISTER is handled) */
  onRequest: ((request: SipRequest) => { status: number; headers?: [string, string][] } | null) | null;
  /** true: the host is up but answers nothing (a frozen PBX, a firewall that drops): no response, no ICMP */
  silent: boolean;
  close(): void;
}

/** `port` 0 picks a free one; a given port brings a stopped registrar back where the app expects it */
export async function startUdpRegistrar(address = '127.0.0.1', realm = 'pbx.test', port = 0): Promise<UdpRegistrar> {
  const socket: Socket = createSocket('udp4');
  const received: SipRequest[] = [];
  const responses: SipResponse[] = [];
  let contact: { uri: string; address: string; port: number } | null = null;
  const self: UdpRegistrar = {
    port: 0,
    address,
    received,
    responses,
    contact: () => contact,
    onRequest: null,
    silent: false,
    request: async (text, timeoutMs = 10_000) => {
      const to = contact;
      if (to === null) throw new Error('the app has not registered');
      const callId = /\r\nCall-ID: *([^\r\n]+)/i.exec(text)?.[1];
      const bytes = Buffer.from(text.replace(/BRANCH/g, newBranch()).replace(/PROXY/g, `${address}:${self.port}`));
      socket.send(bytes, to.port, to.address);
      await waitFor(() => responses.some((r) => r.callId === callId && r.status >= 200), `final response to ${callId ?? '?'}`, timeoutMs);
      const final = responses.find((r) => r.callId === callId && r.status >= 200);
      if (final === undefined) throw new Error('no final response');
      return final;
    },
    close: () => socket.close(),
  };
  socket.on('message', (data: Buffer, from: RemoteInfo) => {
    let message;
    try {
      message = parseMessage(data);
    } catch {
      return;
    }
    if (message.kind === 'response') {
      responses.push(message);
      return;
    }
    received.push(message);
    if (self.silent) return;
    const answer = (status: number, headers: [string, string][] = []) => {
      socket.send(serializeMessage(createResponse(message, status, undefined, { toTag: 'registrar1', headers })), from.port, from.address);
    };
    if (message.method === 'REGISTER') {
      if (!message.headers.has('Authorization')) {
        answer(401, [['WWW-Authenticate', `Digest realm="${realm}", nonce="reg-${received.length}", qop="auth"`]]);
        return;
      }
      const value = message.headers.get('Contact') ?? '';
      const uri = value.includes('<') ? value.slice(value.indexOf('<') + 1, value.indexOf('>')) : value;
      if (!/;expires=0\b/.test(value) && message.headers.get('Expires') !== '0') contact = { uri, address: from.address, port: from.port };
      answer(200, [['Contact', `${value};expires=120`]]);
      return;
    }
    if (message.method === 'ACK') return;
    const custom = self.onRequest?.(message) ?? null;
    answer(custom?.status ?? 200, custom?.headers ?? []);
  });
  await new Promise<void>((resolve) => socket.bind(port, address, resolve));
  (self as { port: number }).port = socket.address().port;
  return self;
}

/** A MESSAGE as a proxy would relay it (Via of the proxy, Record-Route none), for `request()` */
export function relayedMessage(requestUri: string, from: string, body: string, callId: string, cseq = 1): string {
  return (
    `MESSAGE ${requestUri} SIP/2.0\r\nVia: SIP/2.0/UDP PROXY;branch=BRANCH\r\nMax-Forwards: 69\r\n` +
    `From: <${from}>;tag=f-${callId}\r\nTo: <sip:alice@pbx.test>\r\nCall-ID: ${callId}\r\nCSeq: ${cseq} MESSAGE\r\n` +
    `Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}
