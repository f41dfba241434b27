import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../main/sip/message/index.ts';
import { backoffDelay, refreshDelayMs, Registration } from '../../../../main/sip/ua/index.ts';
import type { RegistrationStatus } from '../../../../main/sip/ua/index.ts';
import { flush, lastRequest, makeKit, reply, sentRequests, WWW_CHALLENGE } from './user-agent-kit.ts';

const EPOCH = 1_700_000_000_000;

function setup(options: { protocol?: 'udp' | 'tcp'; password?: string; expires?: number } = {}) {
  const kit = makeKit(options);
  const states: RegistrationStatus[] = [];
  const registration = new Registration({
    ua: kit.ua,
    expires: options.expires ?? 60,
    backoff: { initialMs: 5_000, maxMs: 300_000, random: () => 0 },
    keepAliveIntervalMs: 0,
    wallClock: () => EPOCH + kit.clock.now(),
  });
  registration.onStatus((s) => states.push(s));
  return { ...kit, registration, states };
}

/** answers the pending REGISTER: 401, then 200 granting `granted` seconds */
async function completeRegister(s: ReturnType<typeof setup>, granted: number): Promise<SipRequest> {
  await flush();
  const first = lastRequest(s.loop, 'REGISTER');
  if (first.message.headers.has('Authorization')) {
    reply(s.loop, first, 200, [['Contact', `${first.message.headers.get('Contact') ?? ''};expires=${granted}`]]);
    await flush();
    return first.message;
  }
  reply(s.loop, first, 401, [WWW_CHALLENGE]);
  await flush();
  const second = lastRequest(s.loop, 'REGISTER');
  reply(s.loop, second, 200, [['Contact', `${second.message.headers.get('Contact') ?? ''};expires=${granted}`]]);
  await flush();
  return second.message;
}

describe('Registration (RFC 3261 §10.2)', () => {
  it('MUST send REGISTER to the registrar domain with To = From = AOR, Contact and Expires (§10.2)', async () => {
    const s = setup();
    s.registration.start();
    await flush();
    const r = lastRequest(s.loop, 'REGISTER').message;
    expect(r.uriText).toBe('sip:example.test');
    expect(r.headers.get('To')).toBe('<sip:alice@example.test>');
    expect(r.headers.get('From')).toMatch(/^"?Alice"? <sip:alice@example.test>;tag=/);
    expect(r.headers.get('Contact')).toBe('<sip:c0ntact-t0ken@127.0.0.1:40000>');
    expect(r.headers.get('Expires')).toBe('60');
    expect(s.states).toEqual([{ state: 'registering' }]);
  });

  it('is registered until now + the granted expires, and MUST refresh at max(expires/2, expires-30 s) with the same Call-ID and a higher CSeq (§10.2.4)', async () => {
    const s = setup({ expires: 3600 });
    s.registration.start();
    const registered = await completeRegister(s, 600);
    const t0 = s.clock.now();
    expect(s.registration.status).toEqual({ state: 'registered', until: EPOCH + t0 + 600_000 });
    const before = sentRequests(s.loop, 'REGISTER').length;
    s.clock.advance(570_000 - 1);
    expect(sentRequests(s.loop, 'REGISTER')).toHaveLength(before);
    s.clock.advance(1);
    await flush();
    const refresh = lastRequest(s.loop, 'REGISTER');
    expect(refresh.at).toBe(t0 + 570_000);
    expect(refresh.message.callId).toBe(registered.callId);
    expect(refresh.message.cseq.seq).toBeGreaterThan(registered.cseq.seq);
    expect(refresh.message.headers.get('Contact')).toBe(registered.headers.get('Contact'));
    // cached credentials go with the refresh (§22.3)
    expect(refresh.message.headers.has('Authorization')).toBe(true);
    expect(refreshDelayMs(60)).toBe(30_000);
    expect(refreshDelayMs(10)).toBe(5_000);
  });

  it('MUST retry at once with Min-Expires after 423 Interval Too Brief (§10.2.8)', async () => {
    const s = setup({ expires: 5 });
    s.registration.start();
    await flush();
    reply(s.loop, lastRequest(s.loop, 'REGISTER'), 423, [['Min-Expires', '30']]);
    await flush();
    const retry = lastRequest(s.loop, 'REGISTER');
    expect(retry.message.headers.get('Expires')).toBe('30');
    expect(retry.at).toBe(s.clock.now());
  });

  it('a wrong password ends in failed with the code and plain words, and no automatic retry', async () => {
    const s = setup({ password: 'nope' });
    s.registration.start();
    await flush();
    reply(s.loop, lastRequest(s.loop, 'REGISTER'), 401, [WWW_CHALLENGE]);
    await flush();
    reply(s.loop, lastRequest(s.loop, 'REGISTER'), 401, [WWW_CHALLENGE]);
    await flush();
    expect(s.registration.status).toEqual({ state: 'failed', code: 401, reason: 'wrong password (401)', retryAt: null, cause: 'auth' });
    s.clock.advance(3_600_000);
    expect(sentRequests(s.loop, 'REGISTER')).toHaveLength(2);
  });

  it('retries a failure with exponential backoff 5 s, 10 s, 20 s (jitter off)', async () => {
    const s = setup();
    s.registration.start();
    const instants: number[] = [];
    for (let i = 0; i < 4; i++) {
      await flush();
      const r = lastRequest(s.loop, 'REGISTER');
      instants.push(r.at);
      reply(s.loop, r, 503, [], 'Service Unavailable');
      await flush();
      const status = s.registration.status;
      expect(status.state).toBe('failed');
      if (status.state === 'failed') expect(status.reason).toBe('Service Unavailable (503)');
      s.clock.advance(backoffDelay(i + 1, { initialMs: 5_000, random: () => 0 }));
    }
    expect(instants.slice(1).map((t, i) => t - (instants[i] ?? 0))).toEqual([5_000, 10_000, 20_000]);
    expect(backoffDelay(20, { random: () => 0 })).toBe(300_000);
    expect(backoffDelay(1, { random: () => 0.999, jitter: 0.2 })).toBeGreaterThanOrEqual(4_000);
  });

  it('a REGISTER that gets no answer fails with 408 "PBX not answering" after Timer F (§17.1.2.2)', async () => {
    const s = setup();
    s.registration.start();
    await flush();
    s.clock.advance(32_000);
    await flush();
    expect(s.registration.status).toMatchObject({ state: 'failed', code: 408, reason: 'PBX not answering over UDP (408)' });
  });

  it('MUST unregister the bound Contact with Expires: 0 on stop (§10.2.2)', async () => {
    const s = setup();
    s.registration.start();
    const registered = await completeRegister(s, 60);
    const stopped = s.registration.stop();
    await flush();
    const un = lastRequest(s.loop, 'REGISTER');
    expect(un.message.headers.get('Expires')).toBe('0');
    expect(un.message.headers.get('Contact')).toBe(registered.headers.get('Contact'));
    expect(un.message.callId).toBe(registered.callId);
    reply(s.loop, un, 200);
    await stopped;
    expect(s.registration.status).toEqual({ state: 'unregistered' });
    s.clock.advance(3_600_000);
    expect(sentRequests(s.loop, 'REGISTER').at(-1)).toBe(un);
  });

  it('registers again (after backoff) when the connection of a TCP registration breaks', async () => {
    const s = setup({ protocol: 'tcp' });
    s.registration.start();
    await completeRegister(s, 600);
    const flow = s.ua.flow;
    expect(flow?.connectionId).toMatch(/^loop-/);
    s.loop.emitError(flow ?? { protocol: 'tcp', address: '', port: 0 }, 'connection closed by peer');
    expect(s.registration.status).toMatchObject({ state: 'failed', code: null, reason: expect.stringContaining('connection to the PBX lost') });
    const count = sentRequests(s.loop, 'REGISTER').length;
    s.clock.advance(5_000);
    await flush();
    expect(sentRequests(s.loop, 'REGISTER')).toHaveLength(count + 1);
  });
});

describe('Registration stopped while a REGISTER is in flight', () => {
  it('MUST remove the binding that REGISTER created once its 2xx arrives (§10.2.2)', async () => {
    const s = setup();
    s.registration.start();
    await flush();
    reply(s.loop, lastRequest(s.loop, 'REGISTER'), 401, [WWW_CHALLENGE]);
    await flush();
    const pending = lastRequest(s.loop, 'REGISTER');
    await s.registration.stop();
    expect(s.registration.status).toEqual({ state: 'unregistered' });
    reply(s.loop, pending, 200, [['Contact', `${pending.message.headers.get('Contact') ?? ''};expires=60`]]);
    await flush();
    const un = lastRequest(s.loop, 'REGISTER');
    expect(un).not.toBe(pending);
    expect(un.message.headers.get('Expires')).toBe('0');
    expect(un.message.headers.get('Contact')).toBe(pending.message.headers.get('Contact'));
    expect(s.registration.status).toEqual({ state: 'unregistered' });
  });
});
