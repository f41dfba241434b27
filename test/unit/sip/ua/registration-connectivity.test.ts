import { describe, expect, it } from 'vitest';
import { causeOfWords, describeRegisterFailure, Registration } from '../../../../main/sip/ua/index.ts';
import type { RegistrationStatus } from '../../../../main/sip/ua/index.ts';
import { flush, lastRequest, makeKit, reply, sentRequests, WWW_CHALLENGE } from './user-agent-kit.ts';

const EPOCH = 1_700_000_000_000;

function setup(protocol: 'udp' | 'tcp' = 'udp') {
  const kit = makeKit({ protocol });
  const states: RegistrationStatus[] = [];
  const registration = new Registration({
    ua: kit.ua,
    expires: 600,
    backoff: { initialMs: 5_000, maxMs: 300_000, random: () => 0 },
    keepAliveIntervalMs: 0,
    wallClock: () => EPOCH + kit.clock.now(),
  });
  registration.onStatus((s) => states.push(s));
  return { ...kit, registration, states };
}

async function register(s: ReturnType<typeof setup>): Promise<void> {
  await flush();
  reply(s.loop, lastRequest(s.loop, 'REGISTER'), 401, [WWW_CHALLENGE]);
  await flush();
  const second = lastRequest(s.loop, 'REGISTER');
  reply(s.loop, second, 200, [['Contact', `${second.message.headers.get('Contact') ?? ''};expires=600`]]);
  await flush();
  expect(s.registration.status.state).toBe('registered');
}

describe('Registration as connectivity: a dead PBX is noticed at once (RFC 3261 §18.4, RFC 5626 §4.4)', () => {
  it('an ICMP error for the registrar of a UDP registration MUST end "registered" at once (cause unreachable)', async () => {
    const s = setup('udp');
    s.registration.start();
    await register(s);
    const flow = s.ua.flow;
    if (flow === null) throw new Error('no flow');
    s.loop.emitError({ protocol: 'udp', address: flow.address, port: flow.port }, 'ICMP port unreachable: nothing listens on the PBX port');
    expect(s.registration.status).toMatchObject({ state: 'failed', cause: 'unreachable', reason: expect.stringContaining('ICMP port unreachable') });
  });

  it('ignores an ICMP error for some other UDP destination', async () => {
    const s = setup('udp');
    s.registration.start();
    await register(s);
    s.loop.emitError({ protocol: 'udp', address: '192.0.2.9', port: 5060 }, 'ICMP port unreachable');
    expect(s.registration.status.state).toBe('registered');
  });

  it('retries a cheap failure (ICMP, refused, connection lost) within 4 s, not after the 5 s..5 min backoff', async () => {
    const s = setup('udp');
    s.registration.start();
    await register(s);
    const flow = s.ua.flow;
    if (flow === null) throw new Error('no flow');
    s.loop.emitError({ protocol: 'udp', address: flow.address, port: flow.port }, 'ICMP port unreachable');
    const failed = s.registration.status;
    if (failed.state !== 'failed') throw new Error('not failed');
    expect(failed.retryAt).toBe(EPOCH + s.clock.now() + 4_000);
    const count = sentRequests(s.loop, 'REGISTER').length;
    s.clock.advance(3_999);
    await flush();
    expect(sentRequests(s.loop, 'REGISTER')).toHaveLength(count);
    s.clock.advance(1);
    await flush();
    expect(sentRequests(s.loop, 'REGISTER')).toHaveLength(count + 1);
    expect(s.registration.status.state).toBe('registering');
  });

  it('networkChanged(): an offline account registers again at once, without waiting for its backoff', async () => {
    const s = setup('udp');
    s.registration.start();
    await flush();
    reply(s.loop, lastRequest(s.loop, 'REGISTER'), 503, [], 'Service Unavailable');
    await flush();
    expect(s.registration.status).toMatchObject({ state: 'failed', cause: 'server-error' });
    const count = sentRequests(s.loop, 'REGISTER').length;
    s.registration.networkChanged();
    await flush();
    expect(sentRequests(s.loop, 'REGISTER')).toHaveLength(count + 1);
    expect(s.registration.status).toEqual({ state: 'registering' });
  });

  it('verify(): a registered account stops counting as registered and REGISTERs now (a MESSAGE got no answer)', async () => {
    const s = setup('udp');
    s.registration.start();
    await register(s);
    const count = sentRequests(s.loop, 'REGISTER').length;
    s.registration.verify();
    expect(s.registration.status).toEqual({ state: 'registering' });
    await flush();
    expect(sentRequests(s.loop, 'REGISTER')).toHaveLength(count + 1);
    // the PBX does not answer either: Timer F (§17.1.2.2), offline with cause no-answer
    s.clock.advance(32_000);
    await flush();
    expect(s.registration.status).toMatchObject({ state: 'failed', code: 408, cause: 'no-answer' });
  });

  it('a broken TCP flow is offline with cause connection-lost', async () => {
    const s = setup('tcp');
    s.registration.start();
    await register(s);
    const flow = s.ua.flow;
    if (flow === null) throw new Error('no flow');
    s.loop.emitError(flow, 'keep-alive: no pong within 10000 ms');
    expect(s.registration.status).toMatchObject({ state: 'failed', cause: 'connection-lost' });
  });

  it('names the cause behind transport words', () => {
    expect(causeOfWords('TLS 127.0.0.1:5061: certificate not trusted (self-signed)')).toBe('tls');
    expect(causeOfWords('TCP 127.0.0.1:5060: connection refused')).toBe('refused');
    expect(causeOfWords('ICMP port unreachable: nothing listens on the PBX port')).toBe('unreachable');
    expect(causeOfWords('host unreachable')).toBe('unreachable');
    expect(causeOfWords('connection timed out')).toBe('no-answer');
    expect(causeOfWords('connection reset by peer')).toBe('connection-lost');
    expect(typeof describeRegisterFailure).toBe('function');
  });
});
