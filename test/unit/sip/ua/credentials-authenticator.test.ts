import { describe, expect, it } from 'vitest';
import { createResponse } from '../../../../main/sip/message/index.ts';
import type { SipRequest, SipResponse } from '../../../../main/sip/message/index.ts';
import { Authenticator } from '../../../../main/sip/ua/credentials-authenticator.ts';
import { RealmBinding } from '../../../../main/sip/ua/realm-binding.ts';
import { parseAuthChallengeList } from '../../../../main/sip/ua/digest-challenge.ts';
import { computeDigestResponse } from '../../../../main/sip/ua/digest-response.ts';
import { addVia, buildRequest } from '../../../../main/sip/ua/uac-request.ts';

const CREDS = { username: 'alice', password: 's3cret' };

function register(cseq = 1, requestUri = 'sip:pbx.example.com'): SipRequest {
  const req = buildRequest({
    method: 'REGISTER',
    requestUri,
    from: { uri: 'sip:alice@pbx.example.com', displayName: 'Alice' },
    to: { uri: 'sip:alice@pbx.example.com' },
    callId: 'call-1@host',
    localTag: 'ftag',
    cseq,
    contact: { uri: 'sip:alice@192.0.2.10:5060' },
  });
  addVia(req, { transport: 'UDP', host: '192.0.2.10', port: 5060, branch: 'z9hG4bKold' });
  return req;
}

function challenge(req: SipRequest, status: 401 | 407, ...values: string[]): SipResponse {
  const name = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  return createResponse(req, status, undefined, { toTag: 'tt', headers: values.map((v) => [name, v] as [string, string]) });
}

function params(value: string | null): Map<string, string> {
  const p = value === null ? undefined : parseAuthChallengeList(value)?.[0]?.params;
  if (!p) throw new Error(`unreadable credentials ${value}`);
  return p;
}

function counter(start: number): () => number {
  let n = start;
  return () => ++n;
}

function auth(): Authenticator {
  return new Authenticator({ credentials: CREDS, cnonce: () => 'fixed-cnonce' });
}

describe('Authenticator: first challenge (RFC 3261 §22.2, §8.1.3.5)', () => {
  it('MUST re-send with an incremented CSeq, same Call-ID/From tag/To and a correct Authorization', () => {
    const a = auth();
    const req = register(1);
    const res = challenge(req, 401, 'Digest realm="pbx", nonce="n1", qop="auth", algorithm=MD5, opaque="op"');
    const out = a.respondToChallenge(req, res, counter(1));
    if (out.kind !== 'retry') throw new Error(out.failure.message);
    const r = out.request;
    expect(r.cseq).toEqual({ seq: 2, method: 'REGISTER' });
    expect(r.callId).toBe('call-1@host');
    expect(r.fromTag).toBe('ftag');
    expect(r.toTag).toBeNull();
    expect(r.headers.getAll('Via')).toEqual([]); // the caller adds a Via with a new branch (§8.1.1.7)
    const p = params(r.headers.get('Authorization'));
    expect(p.get('uri')).toBe('sip:pbx.example.com');
    expect(p.get('nc')).toBe('00000001');
    expect(p.get('cnonce')).toBe('fixed-cnonce');
    expect(p.get('opaque')).toBe('op'); // RFC 2617 §3.2.2: opaque returned unchanged
    expect(p.get('response')).toBe(
      computeDigestResponse({
        algorithm: 'MD5', username: 'alice', password: 's3cret', realm: 'pbx', nonce: 'n1', method: 'REGISTER',
        uri: 'sip:pbx.example.com', qop: 'auth', nc: 1, cnonce: 'fixed-cnonce',
      }),
    );
    // the original request is untouched
    expect(req.cseq.seq).toBe(1);
    expect(req.headers.get('Authorization')).toBeNull();
  });

  it('answers a 407 with Proxy-Authorization and keeps an existing Authorization for another kind', () => {
    const a = auth();
    const req = register(1);
    const first = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="pbx", nonce="n1"'), counter(1));
    if (first.kind !== 'retry') throw new Error('expected retry');
    const second = a.respondToChallenge(first.request, challenge(first.request, 407, 'Digest realm="proxy", nonce="p1", qop=auth'), counter(2));
    if (second.kind !== 'retry') throw new Error(second.failure.message);
    expect(second.request.headers.getAll('Authorization')).toHaveLength(1);
    expect(params(second.request.headers.get('Proxy-Authorization')).get('realm')).toBe('proxy');
    expect(second.request.cseq.seq).toBe(3);
  });

  it('RFC 3261 §22.3: answers every realm of a forked 407 with its own Proxy-Authorization', () => {
    const a = auth();
    const req = register(1);
    const out = a.respondToChallenge(
      req,
      challenge(req, 407, 'Digest realm="a", nonce="1"', 'Digest realm="b", nonce="2", algorithm=SHA-256, qop="auth"'),
      counter(1),
    );
    if (out.kind !== 'retry') throw new Error('expected retry');
    expect(out.request.headers.getAll('Proxy-Authorization').map((v) => params(v).get('realm'))).toEqual(['a', 'b']);
  });

  it('RFC 7616 §3.4.3: with qop=auth-int only, hashes the body and says so in notes', () => {
    const a = new Authenticator({ credentials: CREDS, cnonce: () => 'fixed-cnonce', realms: new RealmBinding({ configured: 'pbx' }) });
    const req = buildRequest({
      method: 'MESSAGE', requestUri: 'sip:bob@pbx.example.com', from: { uri: 'sip:alice@pbx.example.com' },
      to: { uri: 'sip:bob@pbx.example.com' }, cseq: 1, body: 'hello', contentType: 'text/plain',
    });
    const out = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="pbx", nonce="n", qop="auth-int"'), counter(1));
    if (out.kind !== 'retry') throw new Error('expected retry');
    const p = params(out.request.headers.get('Authorization'));
    expect(p.get('qop')).toBe('auth-int');
    expect(out.notes.join(' ')).toMatch(/auth-int/);
    expect(p.get('response')).toBe(
      computeDigestResponse({
        algorithm: 'MD5', username: 'alice', password: 's3cret', realm: 'pbx', nonce: 'n', method: 'MESSAGE',
        uri: 'sip:bob@pbx.example.com', qop: 'auth-int', nc: 1, cnonce: 'fixed-cnonce', body: 'hello',
      }),
    );
  });
});

describe('Authenticator: challenged again (one retry per challenge, never a loop)', () => {
  it('MUST stop with wrong-credentials when the retry is challenged again for the same realm without stale', () => {
    const a = auth();
    const req = register(1);
    const out = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="pbx", nonce="n1"'), counter(1));
    if (out.kind !== 'retry') throw new Error('expected retry');
    const again = a.respondToChallenge(out.request, challenge(out.request, 401, 'Digest realm="pbx", nonce="n2"'), counter(2));
    expect(again.kind).toBe('failed');
    if (again.kind !== 'failed') return;
    expect(again.failure).toMatchObject({ reason: 'wrong-credentials', status: 401, realm: 'pbx' });
    expect(again.failure.message).toBe('The server "pbx" rejected the user name or password.');
  });

  it('RFC 2617 §3.2.1: stale=true retries with the new nonce (nc restarts) without failing', () => {
    const a = auth();
    const req = register(1);
    const out = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="pbx", nonce="n1", qop=auth'), counter(1));
    if (out.kind !== 'retry') throw new Error('expected retry');
    const stale = a.respondToChallenge(out.request, challenge(out.request, 401, 'Digest realm="pbx", nonce="n2", qop=auth, stale=true'), counter(2));
    if (stale.kind !== 'retry') throw new Error('stale must retry');
    const p = params(stale.request.headers.get('Authorization'));
    expect(p.get('nonce')).toBe('n2');
    expect(p.get('nc')).toBe('00000001');
    expect(stale.request.headers.getAll('Authorization')).toHaveLength(1);
    // the stale retry is again "one retry": a non-stale challenge now is a failure
    const bad = a.respondToChallenge(stale.request, challenge(stale.request, 401, 'Digest realm="pbx", nonce="n3"'), counter(3));
    expect(bad.kind).toBe('failed');
  });

  it('gives up after maxStaleRetries stale challenges in a row', () => {
    const a = new Authenticator({ credentials: CREDS, maxStaleRetries: 2 });
    let req = register(1);
    let out = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="pbx", nonce="s0"'), counter(1));
    for (let i = 1; i <= 2; i++) {
      if (out.kind !== 'retry') throw new Error(`retry ${i}`);
      req = out.request;
      out = a.respondToChallenge(req, challenge(req, 401, `Digest realm="pbx", nonce="s${i}", stale=true`), counter(1 + i));
    }
    if (out.kind !== 'retry') throw new Error('second stale retry');
    const last = a.respondToChallenge(out.request, challenge(out.request, 401, 'Digest realm="pbx", nonce="s9", stale=true'), counter(9));
    expect(last.kind === 'failed' && last.failure.reason).toBe('too-many-stale-nonces');
  });

  it('a 403 to the authorized retry is reported as wrong-credentials with status 403', () => {
    const a = auth();
    const req = register(1);
    const out = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="pbx", nonce="n1"'), counter(1));
    if (out.kind !== 'retry') throw new Error('expected retry');
    const f = a.checkFinalResponse(out.request, createResponse(out.request, 403));
    expect(f).toMatchObject({ reason: 'wrong-credentials', status: 403, realm: 'pbx' });
    expect(f?.message).toMatch(/403 Forbidden/);
    // a 403 to a request that carried no credentials says nothing about the password
    const plain = register(5);
    expect(a.checkFinalResponse(plain, createResponse(plain, 403))).toBeNull();
  });

  it('never loops on credentials it did not add: a challenged request already carrying them fails', () => {
    const a = auth();
    const req = register(1);
    req.headers.append('Authorization', 'Digest username="x", realm="pbx", nonce="old", uri="sip:pbx.example.com", response="00"');
    const out = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="pbx", nonce="new"'), counter(1));
    expect(out.kind === 'failed' && out.failure.reason).toBe('wrong-credentials');
  });
});

describe('Authenticator: results that are not retries', () => {
  it('no-credentials when the lookup has none for the realm', () => {
    const a = new Authenticator({ credentials: (realm) => (realm === 'pbx' ? CREDS : null) });
    const req = register(1);
    const out = a.respondToChallenge(req, challenge(req, 407, 'Digest realm="elsewhere", nonce="n"'), counter(1));
    expect(out.kind === 'failed' && out.failure).toMatchObject({ reason: 'no-credentials', status: 407, realm: 'elsewhere' });
  });

  it('unsupported-challenge for Basic only or unknown algorithms; no-challenge for a bare 401', () => {
    const a = auth();
    const req = register(1);
    const basic = a.respondToChallenge(req, challenge(req, 401, 'Basic realm="pbx"'), counter(1));
    expect(basic.kind === 'failed' && basic.failure.reason).toBe('unsupported-challenge');
    const alg = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="pbx", nonce="n", algorithm=SHA3-256'), counter(1));
    expect(alg.kind === 'failed' && alg.failure.reason).toBe('unsupported-challenge');
    const bare = a.respondToChallenge(req, challenge(req, 401), counter(1));
    expect(bare.kind === 'failed' && bare.failure.reason).toBe('no-challenge');
  });
});

describe('Authenticator: cached credentials (RFC 3261 §22.3)', () => {
  function authorized(a: Authenticator, qop = ', qop=auth'): void {
    const req = register(1);
    const out = a.respondToChallenge(req, challenge(req, 401, `Digest realm="pbx", nonce="n1"${qop}`), counter(1));
    if (out.kind !== 'retry') throw new Error('expected retry');
  }

  it('adds Authorization to a later request to the same host with the next nc', () => {
    const a = auth();
    authorized(a);
    const next = register(3);
    expect(a.applyCached(next)).toEqual(['www pbx']);
    const p = params(next.headers.get('Authorization'));
    expect(p.get('nonce')).toBe('n1');
    expect(p.get('nc')).toBe('00000002');
    const later = register(4);
    a.applyCached(later);
    expect(params(later.headers.get('Authorization')).get('nc')).toBe('00000003');
  });

  it('does not send WWW credentials to another host, nor on ACK or CANCEL', () => {
    const a = auth();
    authorized(a);
    expect(a.applyCached(register(3, 'sip:other.example.net'))).toEqual([]);
    const cancel = buildRequest({ method: 'CANCEL', requestUri: 'sip:pbx.example.com', from: { uri: 'sip:a@pbx.example.com' }, to: { uri: 'sip:b@pbx.example.com' }, cseq: 1 });
    expect(a.applyCached(cancel)).toEqual([]);
  });

  it("RFC 3261 §22.1: the registrar's WWW credentials stay with its Request-URI, never on a MESSAGE to a user of that domain", () => {
    const a = auth();
    authorized(a);
    const message = buildRequest({ method: 'MESSAGE', requestUri: 'sip:bob@pbx.example.com', from: { uri: 'sip:alice@pbx.example.com' }, to: { uri: 'sip:bob@pbx.example.com' }, cseq: 5 });
    expect(a.applyCached(message)).toEqual([]);
    expect(message.headers.get('Authorization')).toBeNull();
  });

  it('sends proxy credentials with every request of the account', () => {
    const a = auth();
    const req = register(1);
    const out = a.respondToChallenge(req, challenge(req, 407, 'Digest realm="proxy", nonce="p1", qop=auth'), counter(1));
    expect(out.kind).toBe('retry');
    const msg = register(3, 'sip:bob@other.example.net');
    expect(a.applyCached(msg)).toEqual(['proxy proxy']);
    expect(msg.headers.get('Proxy-Authorization')).not.toBeNull();
  });

  it('a pre-emptive answer that is challenged (nonce expired, no stale) gets one real retry', () => {
    const a = auth();
    authorized(a);
    const next = register(3);
    a.applyCached(next);
    const out = a.respondToChallenge(next, challenge(next, 401, 'Digest realm="pbx", nonce="n2", qop=auth'), counter(3));
    if (out.kind !== 'retry') throw new Error('pre-emptive credentials must not count as the retry');
    expect(params(out.request.headers.get('Authorization')).get('nonce')).toBe('n2');
    expect(out.request.headers.getAll('Authorization')).toHaveLength(1);
    const again = a.respondToChallenge(out.request, challenge(out.request, 401, 'Digest realm="pbx", nonce="n3", qop=auth'), counter(4));
    expect(again.kind).toBe('failed');
  });

  it('forgetAll drops the cache (password changed)', () => {
    const a = auth();
    authorized(a);
    a.forgetAll();
    expect(a.applyCached(register(3))).toEqual([]);
  });

  it('preemptive: false never adds credentials by itself', () => {
    const a = new Authenticator({ credentials: CREDS, preemptive: false });
    authorized(a);
    expect(a.applyCached(register(3))).toEqual([]);
  });
});

describe('Authenticator: several realms in one exchange', () => {
  it('a server alternating realms cannot make us loop: a realm answered earlier stays answered', () => {
    const a = auth();
    const req = register(1);
    const r1 = a.respondToChallenge(req, challenge(req, 401, 'Digest realm="A", nonce="1"'), counter(1));
    if (r1.kind !== 'retry') throw new Error('retry 1');
    const r2 = a.respondToChallenge(r1.request, challenge(r1.request, 401, 'Digest realm="B", nonce="2"'), counter(2));
    if (r2.kind !== 'retry') throw new Error('retry 2');
    const r3 = a.respondToChallenge(r2.request, challenge(r2.request, 401, 'Digest realm="A", nonce="3"'), counter(3));
    expect(r3.kind === 'failed' && r3.failure).toMatchObject({ reason: 'wrong-credentials', realm: 'A' });
  });
});
