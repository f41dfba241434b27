/**
 * What the re-send of a kept MESSAGE relies on at the proxy (issue 11), shown on Kamailio's tm with msilo
 * (MESSAGE to carol, who is offline: stored, 202): a copy of a request with the same Via (branch, sent-by,
 * transport), Call-ID and CSeq is a retransmission (RFC 3261 §17.2.3) that tm absorbs — msilo does not
 * store it again — and tm answers it from the transaction, but to where the first copy came from
 * (RFC 3581 rport: its source address and, on TCP, its connection).
 *  - UDP from the same port (the app keeps its port across restarts): answered, stored once.
 *  - UDP from another port: absorbed, the answer goes to the old port: the sender hears nothing.
 *  - TCP on a new connection after the first was reset: absorbed, the answer goes to the dead connection:
 *    the sender hears nothing. So over TCP a re-send after a reset cannot be answered from the first
 *    transaction; after tm forgets it, a re-send is stored again. That is why the TCP-reset proof of
 *    text/plain is not possible with this proxy: there the CPIM Message-ID makes the receiver dedupe.
 * Each "heard nothing" is judged after a later request on the same socket or connection was answered.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio | null = null;
const closers: (() => void)[] = [];
afterAll(async () => {
  for (const c of closers) c();
  await kamailio?.stop();
});

function message(o: { transport: 'UDP' | 'TCP'; sentBy: number; proxy: number; branch: string; callId: string }): string {
  return [
    'MESSAGE sip:carol@example.test SIP/2.0',
    `Via: SIP/2.0/${o.transport} 127.0.0.1:${String(o.sentBy)};branch=${o.branch};rport`,
    'Max-Forwards: 70',
    // a foreign From: the lab's proxy asks no credentials of it (route AUTH), so the bytes stay identical
    'From: <sip:dave@foreign.test>;tag=f1',
    'To: <sip:carol@example.test>',
    `Call-ID: ${o.callId}`,
    'CSeq: 1 MESSAGE',
    'Content-Type: text/plain',
    'Content-Length: 5',
    '',
    'hello',
  ].join('\r\n');
}

/** status lines received, per Call-ID */
type Heard = { callId: string; status: string }[];
function listen(heard: Heard) {
  return (data: Buffer): void => {
    for (const m of data.toString().split(/(?=SIP\/2\.0 \d{3})/)) {
      const status = /^SIP\/2\.0 (\d{3})/.exec(m)?.[1];
      const callId = /\r\nCall-ID:\s*([^\r\n]+)/i.exec(m)?.[1];
      if (status !== undefined && callId !== undefined) heard.push({ callId, status });
    }
  };
}

async function udpOn(port: number, heard: Heard): Promise<UdpSocket> {
  const s = createSocket('udp4');
  s.on('message', listen(heard));
  await new Promise<void>((resolve) => s.bind(port, '127.0.0.1', () => resolve()));
  closers.push(() => s.close());
  return s;
}

async function tcpTo(port: number, heard: Heard): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  s.on('data', listen(heard));
  s.on('error', () => undefined);
  await new Promise<void>((resolve) => s.once('connect', () => resolve()));
  closers.push(() => s.destroy());
  return s;
}

describe('Kamailio tm: a retransmission is absorbed and answered to the first copy\'s source (issue 11)', () => {
  it('UDP same port: answered, stored once; UDP other port and TCP new connection: absorbed, unanswered', async () => {
    const k = await startKamailioOnFreePorts(37_400, 200);
    kamailio = k.kamailio;
    const proxy = k.sipPort;
    const storedCount = (): number => k.kamailio.log().split('msilo: stored MESSAGE').length - 1;
    const answered = (heard: Heard, callId: string) => heard.filter((h) => h.callId === callId).map((h) => h.status);

    // UDP: the first copy, then the same bytes from a new socket on the same port (a restarted app)
    const first: Heard = [];
    const s1 = await udpOn(0, first);
    const port = s1.address().port;
    const udp = message({ transport: 'UDP', sentBy: port, proxy, branch: 'z9hG4bKkeep-udp', callId: 'udp-1' });
    s1.send(udp, proxy, '127.0.0.1');
    await waitFor(() => answered(first, 'udp-1').length > 0, '202 to the first copy');
    expect(storedCount()).toBe(1);
    s1.close();
    closers.pop();
    const again: Heard = [];
    const s2 = await udpOn(port, again);
    s2.send(udp, proxy, '127.0.0.1');
    await waitFor(() => answered(again, 'udp-1').length > 0, "tm's 202 to the re-send from the same port");
    expect(answered(again, 'udp-1')).toEqual(['202']);
    expect(storedCount()).toBe(1);

    // UDP: the same bytes from another port; a later request on that socket is the barrier
    const other: Heard = [];
    const s3 = await udpOn(0, other);
    s3.send(udp, proxy, '127.0.0.1');
    s3.send(message({ transport: 'UDP', sentBy: s3.address().port, proxy, branch: 'z9hG4bKbarrier-udp', callId: 'udp-barrier' }), proxy, '127.0.0.1');
    await waitFor(() => answered(other, 'udp-barrier').length > 0, 'the barrier answered');
    expect(answered(other, 'udp-1')).toEqual([]);
    expect(storedCount()).toBe(2); // the barrier only

    // TCP: the first copy answered on its connection, which is then reset; the same bytes on a new one
    const tcpFirst: Heard = [];
    const c1 = await tcpTo(proxy, tcpFirst);
    const sentBy = c1.localPort ?? 0;
    const tcp = message({ transport: 'TCP', sentBy, proxy, branch: 'z9hG4bKkeep-tcp', callId: 'tcp-1' });
    c1.write(tcp);
    await waitFor(() => answered(tcpFirst, 'tcp-1').length > 0, '202 on the first connection');
    expect(storedCount()).toBe(3);
    c1.resetAndDestroy();
    const tcpAgain: Heard = [];
    const c2 = await tcpTo(proxy, tcpAgain);
    c2.write(tcp);
    c2.write(message({ transport: 'TCP', sentBy, proxy, branch: 'z9hG4bKbarrier-tcp', callId: 'tcp-barrier' }));
    await waitFor(() => answered(tcpAgain, 'tcp-barrier').length > 0, 'the barrier answered on the new connection');
    expect(answered(tcpAgain, 'tcp-1')).toEqual([]);
    expect(storedCount()).toBe(4); // the barrier only: the re-send was absorbed, not stored again
  }, 60_000);
});
