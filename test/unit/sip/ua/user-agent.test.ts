import { describe, expect, it } from 'vitest';
import { createResponse, type SipRequest, type SipResponse } from '../../../../main/sip/message/index.ts';
import { buildRequest, handleMessages, localFailureOf, sendPagerMessage } from '../../../../main/sip/ua/index.ts';
import { CONTACT_USER, flush, lastRequest, makeKit, PROXY, PROXY_CHALLENGE, reply, sentRequests } from './user-agent-kit.ts';

function options(uaKit: ReturnType<typeof makeKit>, body = 'hi'): SipRequest {
  const { ua } = uaKit;
  return buildRequest({
    method: 'OPTIONS',
    requestUri: 'sip:bob@example.test',
    from: { uri: ua.aor },
    to: { uri: 'sip:bob@example.test' },
    cseq: ua.nextCSeq(),
    body,
    contentType: 'text/plain',
  });
}

describe('UserAgent as UAC (RFC 3261 §8.1)', () => {
  it('MUST send to the outbound proxy with a z9hG4bK branch and rport (§8.1.1.7, RFC 3581)', async () => {
    const kit = makeKit();
    void kit.ua.sendRequest(options(kit));
    await flush();
    const sent = lastRequest(kit.loop, 'OPTIONS');
    expect(sent.destination).toMatchObject({ protocol: 'udp', address: '127.0.0.1', port: 15060 });
    const via = sent.message.topVia;
    expect(via?.branch).toMatch(/^z9hG4bK/);
    expect(via?.rport).toBeNull();
    expect(sent.message.uriText).toBe('sip:bob@example.test');
  });

  it('MUST answer a 407 once with Proxy-Authorization, a new CSeq and a new branch (§8.1.3.5, §22.3)', async () => {
    const kit = makeKit();
    const result = kit.ua.sendRequest(options(kit));
    await flush();
    const first = lastRequest(kit.loop, 'OPTIONS');
    reply(kit.loop, first, 407, [PROXY_CHALLENGE]);
    await flush();
    const second = lastRequest(kit.loop, 'OPTIONS');
    expect(second).not.toBe(first);
    expect(second.message.cseq.seq).toBe(first.message.cseq.seq + 1);
    expect(second.message.callId).toBe(first.message.callId);
    expect(second.message.topVia?.branch).not.toBe(first.message.topVia?.branch);
    expect(second.message.headers.get('Proxy-Authorization')).toMatch(/^Digest .*username="alice"/);
    reply(kit.loop, second, 200);
    expect((await result).status).toBe(200);
  });

  it('MUST stop after a second challenge for the same realm and report wrong credentials (§22.2: no loop)', async () => {
    const kit = makeKit();
    let failure = '';
    const result = kit.ua.sendRequest(options(kit), { onAuthFailure: (f) => (failure = f.reason) });
    await flush();
    reply(kit.loop, lastRequest(kit.loop, 'OPTIONS'), 407, [PROXY_CHALLENGE]);
    await flush();
    reply(kit.loop, lastRequest(kit.loop, 'OPTIONS'), 407, [PROXY_CHALLENGE]);
    expect((await result).status).toBe(407);
    expect(failure).toBe('wrong-credentials');
    expect(sentRequests(kit.loop, 'OPTIONS')).toHaveLength(2);
  });

  it('MUST send a request larger than 1300 bytes over TCP when the path MTU is unknown (§18.1.1)', async () => {
    const kit = makeKit();
    void kit.ua.sendRequest(options(kit, 'x'.repeat(1400)));
    await flush();
    const sent = lastRequest(kit.loop, 'OPTIONS');
    expect(sent.destination.protocol).toBe('tcp');
    expect(sent.message.topVia?.transport).toBe('TCP');
  });

  it('MUST treat a transport failure as 503 and keep its cause (§8.1.3.1)', async () => {
    const kit = makeKit();
    kit.loop.failSends(() => 'connection refused');
    const response = await kit.ua.sendRequest(options(kit));
    expect(response.status).toBe(503);
    expect(localFailureOf(response)).toMatchObject({ kind: 'transport', protocol: 'udp', reason: expect.stringContaining('refused') });
  });

  it('MUST treat a timeout as 408 after Timer F = 64*T1 (§17.1.2.2, §8.1.3.1)', async () => {
    const kit = makeKit();
    const result = kit.ua.sendRequest(options(kit));
    await flush();
    kit.clock.advance(64 * 500);
    const response = await result;
    expect(response.status).toBe(408);
    expect(localFailureOf(response)?.kind).toBe('timeout');
    // Timer E over UDP: 500, 1000, 2000, 4000, 4000 ... until 32 s: 11 transmissions
    expect(sentRequests(kit.loop, 'OPTIONS')).toHaveLength(11);
  });

  it('a request still waiting when the UA closes ends at once as a local transport failure (quit never hangs on it)', async () => {
    const kit = makeKit();
    let settled: SipResponse | null = null;
    void kit.ua.sendRequest(options(kit)).then((r) => (settled = r));
    await flush();
    expect(sentRequests(kit.loop, 'OPTIONS')).toHaveLength(1);
    kit.clock.advance(2_000);
    await flush();
    expect(settled).toBeNull();
    kit.ua.close();
    await flush();
    const response = settled as SipResponse | null;
    expect(response?.status).toBe(503);
    expect(localFailureOf(response as SipResponse)).toMatchObject({ kind: 'transport', reason: 'the SIP stack was closed' });
    // nothing more goes out for it, and a request after close is refused without touching the wire
    const sentBefore = kit.loop.sent.length;
    kit.clock.advance(64 * 500);
    await expect(kit.ua.sendRequest(options(kit))).rejects.toThrow('UserAgent is closed');
    expect(kit.loop.sent.length).toBe(sentBefore);
  });
});

describe('UserAgent as UAS (RFC 3261 §8.2)', () => {
  const source = { protocol: 'udp' as const, address: '127.0.0.1', port: 15060 };
  const request = (method: string, extra = '', body = ''): string =>
    `${method} sip:${CONTACT_USER}@127.0.0.1:40000 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:15060;branch=z9hG4bK-${method}-${extra.length}\r\n` +
    `From: <sip:bob@example.test>;tag=b1\r\nTo: <sip:alice@example.test>\r\nCall-ID: c-${method}\r\nCSeq: 1 ${method}\r\nMax-Forwards: 70\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

  it('MUST answer an unknown method with 405 and Allow (§8.2.1)', () => {
    const kit = makeKit();
    kit.loop.inject(request('SUBSCRIBE'), source);
    const response = kit.loop.sent[0]?.message;
    expect(response?.kind === 'response' && response.status).toBe(405);
    expect(response?.headers.get('Allow')).toContain('OPTIONS');
  });

  it('MUST answer a MESSAGE 200 only after the receiver resolved, with no body and no Contact (RFC 3428 §7)', async () => {
    const kit = makeKit();
    let release: (() => void) | undefined;
    handleMessages(kit.ua, () => new Promise((r) => (release = () => r({ status: 200 }))));
    kit.loop.inject(request('MESSAGE', 'Content-Type: text/plain\r\n', 'hello'), source);
    await flush();
    expect(kit.loop.sent).toHaveLength(0);
    release?.();
    await flush();
    const response = kit.loop.sent[0]?.message;
    expect(response?.kind === 'response' && response.status).toBe(200);
    expect(response?.headers.has('Contact')).toBe(false);
    expect(response?.body.length).toBe(0);
  });

  it('an overloaded receiver answers 503 with Retry-After in seconds (RFC 3261 §21.5.4, §20.33)', async () => {
    const kit = makeKit();
    handleMessages(kit.ua, () => Promise.resolve({ status: 503, reason: 'Busy storing messages', retryAfterSeconds: 2 }));
    kit.loop.inject(request('MESSAGE', 'Content-Type: text/plain\r\n', 'hello'), source);
    await flush();
    const response = kit.loop.sent[0]?.message;
    expect(response?.kind === 'response' && response.status).toBe(503);
    expect(response?.kind === 'response' && response.reason).toBe('Busy storing messages');
    expect(response?.headers.get('Retry-After')).toBe('2');
    expect(response?.body.length).toBe(0);
  });

  it('MUST answer a MESSAGE body type it does not accept with 415 and Accept (§8.2.3)', () => {
    const kit = makeKit();
    handleMessages(kit.ua, () => Promise.resolve({ status: 200 }));
    kit.loop.inject(request('MESSAGE', 'Content-Type: image/png\r\n', 'png'), source);
    const response = kit.loop.sent[0]?.message;
    expect(response?.kind === 'response' && response.status).toBe(415);
    expect(response?.headers.get('Accept')).toBe('text/plain, message/cpim');
  });

  it('MUST answer a CANCEL for a pending INVITE with 200 and the INVITE with 487 (§9.2)', () => {
    const kit = makeKit();
    const cancelled: string[] = [];
    kit.ua.onRequest('INVITE', () => undefined, { acceptedTypes: ['application/sdp'] });
    kit.ua.onCancel((invite) => cancelled.push(invite.callId));
    const invite = request('INVITE', 'Contact: <sip:bob@127.0.0.1:15060>\r\n');
    kit.loop.inject(invite, source);
    const branch = /branch=([^\r\n;]+)/.exec(invite)?.[1] ?? '';
    kit.loop.inject(request('CANCEL').replace(/branch=[^\r\n;]+/, `branch=${branch}`).replace('c-CANCEL', 'c-INVITE'), source);
    const statuses = kit.loop.sent.map((r) => (r.message.kind === 'response' ? `${r.message.status} ${r.message.cseq.method}` : ''));
    expect(statuses).toContain('200 CANCEL');
    expect(statuses).toContain('487 INVITE');
    expect(cancelled).toEqual(['c-INVITE']);
  });

  it('MUST answer a CANCEL that matches no transaction with 481 (§9.2)', () => {
    const kit = makeKit();
    kit.loop.inject(request('CANCEL'), source);
    const response = kit.loop.sent[0]?.message;
    expect(response?.kind === 'response' && response.status).toBe(481);
  });
});

describe('MESSAGE UAC glue (RFC 3428)', () => {
  it('MUST carry Date and Expires, no Contact, a new Call-ID per message, and turn im: into sip: (§4, §5, §7)', async () => {
    const kit = makeKit();
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const send = () => sendPagerMessage(kit.ua, { target: 'im:bob@example.test', body: Buffer.from('hi'), contentType: 'text/plain;charset=UTF-8', expiresSeconds: 60, date });
    void send();
    void send();
    await flush();
    const [a, b] = sentRequests(kit.loop, 'MESSAGE').map((s) => s.message as SipRequest);
    expect(a?.uriText).toBe('sip:bob@example.test');
    expect(a?.headers.get('To')).toContain('sip:bob@example.test');
    expect(a?.headers.has('Contact')).toBe(false);
    expect(a?.headers.get('Date')).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
    expect(a?.headers.get('Expires')).toBe('60');
    expect(a?.callId).not.toBe(b?.callId);
    expect(a?.headers.has('Route')).toBe(false);
  });

  it('MUST send with the Call-ID, CSeq and From tag it is given, so a re-send after a restart is a retransmission (RFC 3261 §17.2.3)', async () => {
    const kit = makeKit();
    const wire = { callId: 'c0ffee0123456789', cseq: 7, fromTag: 'tag42' };
    const message = { target: 'sip:bob@example.test', body: Buffer.from('hi'), contentType: 'text/plain;charset=UTF-8', expiresSeconds: null, date: new Date(0), wire };
    const result = sendPagerMessage(kit.ua, message);
    await flush();
    const first = lastRequest(kit.loop, 'MESSAGE');
    const sent = first.message as SipRequest;
    expect(sent.callId).toBe('c0ffee0123456789');
    expect(sent.cseq).toEqual({ seq: 7, method: 'MESSAGE' });
    expect(sent.fromTag).toBe('tag42');
    // a proxy challenge: the same Call-ID and From tag, the next CSeq (§8.1.3.5), as on the first run
    reply(kit.loop, first, 407, [PROXY_CHALLENGE]);
    await flush();
    const second = lastRequest(kit.loop, 'MESSAGE').message as SipRequest;
    expect([second.callId, second.cseq.seq, second.fromTag]).toEqual(['c0ffee0123456789', 8, 'tag42']);
    reply(kit.loop, lastRequest(kit.loop, 'MESSAGE'), 200);
    expect((await result).status).toBe(200);
  });

  it('MUST re-send a kept request with the same Via branch (a retransmission to every server, §17.2.3), its digest retry with another', async () => {
    const wire = { callId: 'c0ffee0123456789', cseq: 7, fromTag: 'tag42' };
    const message = { target: 'sip:bob@example.test', body: Buffer.from('hi'), contentType: 'text/plain;charset=UTF-8', expiresSeconds: null, date: new Date(0), wire };
    /** one run of the app: the request, the proxy's 407, the retry with credentials; their branches */
    const run = async (): Promise<string[]> => {
      const kit = makeKit();
      const result = sendPagerMessage(kit.ua, message);
      await flush();
      const first = lastRequest(kit.loop, 'MESSAGE');
      reply(kit.loop, first, 407, [PROXY_CHALLENGE]);
      await flush();
      const retry = lastRequest(kit.loop, 'MESSAGE');
      reply(kit.loop, retry, 200);
      await result;
      return [first.message.topVia?.branch ?? '', retry.message.topVia?.branch ?? ''];
    };
    const before = await run();
    const after = await run(); // a new process after a crash, the same stored identity
    expect(after).toEqual(before);
    expect(before[0]).toMatch(/^z9hG4bK[A-Za-z0-9_-]{22}$/);
    expect(before[1]).not.toBe(before[0]);
    // another message (another Call-ID) or one without a kept identity: another branch
    const kit = makeKit();
    void sendPagerMessage(kit.ua, { ...message, wire: { ...wire, callId: 'another' } });
    void sendPagerMessage(kit.ua, { ...message, wire: null });
    await flush();
    const others = sentRequests(kit.loop, 'MESSAGE').map((s) => s.message.topVia?.branch);
    expect(others).toHaveLength(2);
    for (const b of others) expect(before).not.toContain(b);
  });
});

describe('INVITE as UAC (§9.1, §13.2.2.4, RFC 6026)', () => {
  const invite = (kit: ReturnType<typeof makeKit>): SipRequest =>
    buildRequest({ method: 'INVITE', requestUri: 'sip:bob@example.test', from: { uri: kit.ua.aor }, to: { uri: 'sip:bob@example.test' }, cseq: kit.ua.nextCSeq(), contact: kit.ua.contact(PROXY) });

  it('MUST NOT send CANCEL before a provisional response, and MUST send it once one arrives (§9.1)', async () => {
    const kit = makeKit();
    const handle = await kit.ua.sendInvite(invite(kit), { onFinal: () => undefined });
    handle.cancel();
    expect(sentRequests(kit.loop, 'CANCEL')).toHaveLength(0);
    reply(kit.loop, lastRequest(kit.loop, 'INVITE'), 180);
    const cancel = lastRequest(kit.loop, 'CANCEL').message;
    expect(cancel.topVia?.branch).toBe(handle.request.topVia?.branch);
    expect(cancel.cseq).toEqual({ seq: handle.request.cseq.seq, method: 'CANCEL' });
  });

  it('MUST deliver every 2xx (retransmissions and forks) to the caller (RFC 6026 §8.4)', async () => {
    const kit = makeKit();
    const finals: string[] = [];
    await kit.ua.sendInvite(invite(kit), { onFinal: (r) => finals.push(`${r.status} ${r.toTag ?? ''}`) });
    const sent = lastRequest(kit.loop, 'INVITE');
    const ok = (tag: string) => createResponse(sent.message, 200, undefined, { toTag: tag });
    kit.loop.inject(ok('fork-a'), sent.destination);
    kit.loop.inject(ok('fork-a'), sent.destination);
    kit.loop.inject(ok('fork-b'), sent.destination);
    expect(finals).toEqual(['200 fork-a', '200 fork-a', '200 fork-b']);
  });

  it('MUST send the ACK for a 2xx statelessly with a new branch (§13.2.2.4)', async () => {
    const kit = makeKit();
    const ack = buildRequest({ method: 'ACK', requestUri: 'sip:bob@127.0.0.1:5070', from: { uri: kit.ua.aor }, localTag: 'a', to: { uri: 'sip:bob@example.test', tag: 'b' }, callId: 'x', cseq: 1 });
    await kit.ua.sendAck(ack, PROXY);
    const sent = lastRequest(kit.loop, 'ACK');
    expect(sent.message.topVia?.branch).toMatch(/^z9hG4bK/);
    expect(kit.ua.transactions.clientTransactionCount).toBe(0);
  });
});
