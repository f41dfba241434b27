/**
 * Issue 10, realm binding (RFC 3261 §22): the password answers only the account's realms; a foreign
 * realm's 401/407 is not answered and the request fails with the plain reason.
 */
import { describe, expect, it } from 'vitest';
import { createResponse } from '../../../../main/sip/message/index.ts';
import type { SipRequest, SipResponse } from '../../../../main/sip/message/index.ts';
import { Authenticator } from '../../../../main/sip/ua/credentials-authenticator.ts';
import { RealmBinding } from '../../../../main/sip/ua/realm-binding.ts';
import { addVia, buildRequest } from '../../../../main/sip/ua/uac-request.ts';
import { flush, lastRequest, makeKit, reply } from './user-agent-kit.ts';

const CREDS = { username: 'alice', password: 's3cret' };

function request(method: 'REGISTER' | 'MESSAGE' | 'INVITE', cseq = 1): SipRequest {
  const req = buildRequest({
    method,
    requestUri: method === 'REGISTER' ? 'sip:pbx.example.com' : 'sip:bob@pbx.example.com',
    from: { uri: 'sip:alice@pbx.example.com' },
    to: { uri: method === 'REGISTER' ? 'sip:alice@pbx.example.com' : 'sip:bob@pbx.example.com' },
    callId: `${method}-1@host`,
    localTag: 'ftag',
    cseq,
  });
  addVia(req, { transport: 'UDP', host: '192.0.2.10', port: 5060, branch: `z9hG4bK${method}${cseq}` });
  return req;
}

function challenge(req: SipRequest, status: 401 | 407, ...realms: string[]): SipResponse {
  const name = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  return createResponse(req, status, undefined, {
    toTag: 'tt',
    headers: realms.map((r, i) => [name, `Digest realm="${r}", nonce="n${i}", qop="auth"`] as [string, string]),
  });
}

const next = (n: number) => () => n + 1;

describe('RealmBinding rules (issue 10, RFC 3261 §22)', () => {
  it('a configured realm and the extra realms are the only ones answered, for every method', () => {
    const b = new RealmBinding({ configured: 'pbx.example.com', extra: ['edge-proxy', ' '] });
    expect(b.realms()).toEqual(['pbx.example.com', 'edge-proxy']);
    for (const method of ['REGISTER', 'MESSAGE', 'INVITE']) {
      expect(b.allows('pbx.example.com', method)).toBe(true);
      expect(b.allows('edge-proxy', method)).toBe(true);
      expect(b.allows('attacker.example', method)).toBe(false);
      // realms compare exactly: a look-alike is another realm
      expect(b.allows('PBX.example.com', method)).toBe(false);
    }
  });

  it('with nothing bound, only a REGISTER challenge (the configured registrar) is answered, then its realm is learned once', () => {
    const learned: string[] = [];
    const b = new RealmBinding({ onLearned: (r) => learned.push(r) });
    expect(b.realm).toBeNull();
    expect(b.allows('anything', 'REGISTER')).toBe(true);
    expect(b.allows('anything', 'MESSAGE')).toBe(false);
    b.learn('pbx.example.com');
    b.learn('second.example');
    expect(learned).toEqual(['pbx.example.com']);
    expect(b.realm).toBe('pbx.example.com');
    expect(b.allows('second.example', 'REGISTER')).toBe(false);
    expect(b.allows('pbx.example.com', 'MESSAGE')).toBe(true);
  });

  it('a configured realm wins over a learned one and is never replaced by learning', () => {
    const learned: string[] = [];
    const b = new RealmBinding({ configured: 'mine', learned: 'old', onLearned: (r) => learned.push(r) });
    b.learn('other');
    expect(b.realm).toBe('mine');
    expect(b.allows('old', 'MESSAGE')).toBe(false);
    expect(learned).toEqual([]);
  });
});

describe('Authenticator with a realm binding', () => {
  it('a 401/407 from a foreign realm is not answered: unknown-realm with the plain reason', () => {
    const a = new Authenticator({ credentials: CREDS, realms: new RealmBinding({ configured: 'pbx.example.com' }) });
    for (const status of [401, 407] as const) {
      const req = request('MESSAGE');
      const out = a.respondToChallenge(req, challenge(req, status, 'attacker.example'), next(1));
      expect(out.kind).toBe('failed');
      if (out.kind !== 'failed') return;
      expect(out.failure).toMatchObject({ reason: 'unknown-realm', status, realm: 'attacker.example' });
      expect(out.failure.message).toBe('asked for a password by an unknown realm attacker.example');
    }
    expect(a.cache.all()).toHaveLength(0);
  });

  it('a challenge listing our realm and a foreign one answers ours only', () => {
    const a = new Authenticator({ credentials: CREDS, realms: new RealmBinding({ configured: 'pbx.example.com' }) });
    const req = request('INVITE');
    const out = a.respondToChallenge(req, challenge(req, 407, 'attacker.example', 'pbx.example.com'), next(1));
    if (out.kind !== 'retry') throw new Error('expected a retry');
    const answers = out.request.headers.getAll('Proxy-Authorization');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain('realm="pbx.example.com"');
  });

  it('learns the realm of the first REGISTER that succeeded after answering it; a MESSAGE challenge for another realm then fails', () => {
    const learned: string[] = [];
    const a = new Authenticator({ credentials: CREDS, realms: new RealmBinding({ onLearned: (r) => learned.push(r) }) });
    const reg = request('REGISTER');
    // before any success, a MESSAGE challenge is not answered at all
    const early = request('MESSAGE');
    expect(a.respondToChallenge(early, challenge(early, 407, 'pbx.example.com'), next(1)).kind).toBe('failed');
    const out = a.respondToChallenge(reg, challenge(reg, 401, 'pbx.example.com'), next(1));
    if (out.kind !== 'retry') throw new Error('expected a retry');
    // a failed REGISTER teaches nothing
    expect(a.checkFinalResponse(out.request, createResponse(out.request, 500, undefined, { toTag: 'x' }))).toBeNull();
    expect(learned).toEqual([]);
    const again = a.respondToChallenge(reg, challenge(reg, 401, 'pbx.example.com'), next(5));
    if (again.kind !== 'retry') throw new Error('expected a retry');
    a.checkFinalResponse(again.request, createResponse(again.request, 200, undefined, { toTag: 'x' }));
    expect(learned).toEqual(['pbx.example.com']);
    const msg = request('MESSAGE', 7);
    expect(a.respondToChallenge(msg, challenge(msg, 407, 'pbx.example.com'), next(7)).kind).toBe('retry');
    const evil = request('MESSAGE', 9);
    const refused = a.respondToChallenge(evil, challenge(evil, 401, 'attacker.example'), next(9));
    expect(refused.kind === 'failed' && refused.failure.reason).toBe('unknown-realm');
  });

  it('cached credentials of a realm are never added to a request the binding does not allow', () => {
    const a = new Authenticator({ credentials: CREDS, realms: new RealmBinding() });
    const reg = request('REGISTER');
    const out = a.respondToChallenge(reg, challenge(reg, 407, 'proxy-realm'), next(1));
    expect(out.kind).toBe('retry');
    // nothing learned (no 2xx yet): the cached proxy realm stays off a MESSAGE
    expect(a.applyCached(request('MESSAGE', 3))).toEqual([]);
    expect(a.applyCached(request('REGISTER', 4))).toEqual(['proxy proxy-realm']);
  });
});

describe('UserAgent: a foreign-realm challenge to a MESSAGE (issue 10)', () => {
  it('is not answered (no second MESSAGE on the wire); the failure reaches the caller and the UA listeners', async () => {
    const kit = makeKit();
    const seen: string[] = [];
    kit.ua.onAuthFailure((req, f) => seen.push(`${req.method}: ${f.message}`));
    const failures: string[] = [];
    const req = buildRequest({ method: 'MESSAGE', requestUri: 'sip:bob@example.test', from: { uri: 'sip:alice@example.test' }, to: { uri: 'sip:bob@example.test' }, callId: 'c1', cseq: 1, body: 'hi', contentType: 'text/plain' });
    const done = kit.ua.sendRequest(req, { onAuthFailure: (f) => failures.push(f.message) });
    await flush();
    reply(kit.loop, lastRequest(kit.loop, 'MESSAGE'), 401, [['WWW-Authenticate', 'Digest realm="attacker.example", nonce="evil", qop="auth"']]);
    const response = await done;
    expect(response.status).toBe(401);
    expect(kit.loop.sent.filter((s) => s.message.kind === 'request')).toHaveLength(1);
    expect(failures).toEqual(['asked for a password by an unknown realm attacker.example']);
    expect(seen).toEqual(['MESSAGE: asked for a password by an unknown realm attacker.example']);
  });
});
