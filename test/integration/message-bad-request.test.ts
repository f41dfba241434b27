/**
 * RFC 3261 §8.2 / §18.3 over a real UDP socket: a MESSAGE whose CSeq does not parse is answered with a
 * stateless 400 naming the defect (the UA core answers from what the parser could read); one without a
 * Call-ID cannot be answered and is dropped. A well-formed MESSAGE to a UA without a MESSAGE handler gets
 * 405 with Allow.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../main/sip/transaction/index.ts';
import { SipTransportLayer } from '../../main/sip/transport/index.ts';
import { UserAgent } from '../../main/sip/ua/index.ts';

let layer: SipTransportLayer | null = null;
let socket: Socket | null = null;

afterEach(async () => {
  socket?.close();
  socket = null;
  await layer?.close();
  layer = null;
});

async function setup(): Promise<{ port: number; ua: UserAgent; ask: (text: string, waitMs?: number) => Promise<string | null> }> {
  layer = await SipTransportLayer.create({ listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }] });
  const port = layer.listening()[0]?.port ?? 0;
  const ua = new UserAgent({ transport: layer, clock: systemClock, aor: 'sip:alice@example.test', authUser: 'alice', password: 'x', outboundProxy: null, transportProtocol: 'udp' });
  const s = createSocket('udp4');
  socket = s;
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const ask = (text: string, waitMs = 1_000): Promise<string | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        s.off('message', onMessage);
        resolve(null);
      }, waitMs);
      const onMessage = (data: Buffer): void => {
        clearTimeout(timer);
        s.off('message', onMessage);
        resolve(data.toString('utf8'));
      };
      s.on('message', onMessage);
      s.send(text.replace(/SENDERPORT/g, String(s.address().port)), port, '127.0.0.1');
    });
  return { port, ua, ask };
}

const message = (headers: string): string =>
  `MESSAGE sip:alice@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:SENDERPORT;branch=z9hG4bK${Math.random().toString(36).slice(2)}\r\n` +
  `From: <sip:bob@example.test>;tag=b1\r\nTo: <sip:alice@example.test>\r\n${headers}Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;

describe('UA core answers malformed requests statelessly (RFC 3261 §8.2, §18.3)', () => {
  it('MUST answer a request with an unreadable CSeq with 400 naming the defect', async () => {
    const { ask } = await setup();
    const answer = await ask(message('Call-ID: bad-cseq\r\nCSeq: abc MESSAGE\r\n'));
    expect(answer).toMatch(/^SIP\/2\.0 400 Bad Request \(CSeq/);
    expect(answer).toMatch(/\r\nCall-ID: bad-cseq\r\n/);
    expect(answer).toMatch(/\r\nTo: <sip:alice@example.test>;tag=/);
  });

  it('drops a request without Call-ID: no response can be matched to it (§8.1.1); the UA stays alive', async () => {
    const { ask } = await setup();
    // no fixed silence window: the dropped request is followed by a valid one on the same socket, and
    // the first (and only) answer that comes back is the valid one's — a hung UA would answer nothing
    const seen: string[] = [];
    socket?.on('message', (d) => seen.push(d.toString('utf8')));
    socket?.send(message('CSeq: 1 MESSAGE\r\n').replace(/SENDERPORT/g, String(socket.address().port)), layer?.listening()[0]?.port ?? 0, '127.0.0.1');
    const answer = await ask(message('Call-ID: after-the-drop\r\nCSeq: 2 MESSAGE\r\n'), 10_000);
    expect(answer).toMatch(/^SIP\/2\.0 405 /);
    expect(answer).toMatch(/\r\nCall-ID: after-the-drop\r\n/);
    expect(seen).toEqual([answer]);
  });

  it('MUST answer a well-formed MESSAGE with 405 and Allow when no handler is registered (§8.2.1)', async () => {
    const { ask } = await setup();
    const answer = await ask(message('Call-ID: no-handler\r\nCSeq: 1 MESSAGE\r\n'));
    expect(answer).toMatch(/^SIP\/2\.0 405 /);
    expect(answer).toMatch(/\r\nAllow: ACK, CANCEL, OPTIONS\r\n/);
  });
});
