/**
 * Cross-check against an independent digest implementation: the server side of the `sip` npm
 * package (node_modules/sip/digest.js) issues the challenge and verifies our answers, through the
 * wire format both ways (its serializer → our parser, our serializer → its parser).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage } from '../../../../main/sip/message/index.ts';
import type { SipRequest } from '../../../../main/sip/message/index.ts';
import { Authenticator } from '../../../../main/sip/ua/credentials-authenticator.ts';
import { addVia, buildRequest } from '../../../../main/sip/ua/uac-request.ts';

interface SipJs {
  parse(text: string): unknown;
  stringify(msg: unknown): string;
  makeResponse(rq: unknown, status: number, reason: string): unknown;
}
interface DigestJs {
  challenge(ctx: Record<string, unknown>, rs: unknown): unknown;
  authenticateRequest(ctx: Record<string, unknown>, rq: unknown, creds: { user: string; password: string }): boolean;
}

const require = createRequire(import.meta.url);
const sipjs = require('sip') as SipJs;
const digestjs = require('sip/digest') as DigestJs;

function register(cseq: number): SipRequest {
  const req = buildRequest({
    method: 'REGISTER',
    requestUri: 'sip:sip.example.com',
    from: { uri: 'sip:alice@sip.example.com' },
    to: { uri: 'sip:alice@sip.example.com' },
    callId: 'interop-1',
    localTag: 'abc',
    cseq,
    contact: { uri: 'sip:alice@127.0.0.1:5099' },
  });
  addVia(req, { transport: 'UDP', host: '127.0.0.1', port: 5099 });
  return req;
}

function toPeer(req: SipRequest): unknown {
  if (req.headers.get('Via') === null) addVia(req, { transport: 'UDP', host: '127.0.0.1', port: 5099 });
  return sipjs.parse(serializeMessage(req).toString('utf8'));
}

describe('digest interop with the sip npm package server side (RFC 2617 MD5, qop=auth)', () => {
  it('its challenge parses, our answer verifies, the pre-emptive answer verifies with nc=2, a wrong password does not', () => {
    const ctx: Record<string, unknown> = { realm: 'sip.example.com', opaque: 'xyz' };
    const first = register(1);
    const rs = sipjs.makeResponse(toPeer(first), 401, 'Unauthorized');
    digestjs.challenge(ctx, rs);
    const challenge = parseMessage(Buffer.from(sipjs.stringify(rs)));
    if (challenge.kind !== 'response') throw new Error('expected a response');

    const auth = new Authenticator({ credentials: { username: 'alice', password: 'wonderland' } });
    let cseq = 1;
    const out = auth.respondToChallenge(first, challenge, () => ++cseq);
    if (out.kind !== 'retry') throw new Error(out.failure.message);
    expect(digestjs.authenticateRequest(ctx, toPeer(out.request), { user: 'alice', password: 'wonderland' })).toBe(true);

    const next = register(++cseq);
    auth.applyCached(next);
    expect(digestjs.authenticateRequest(ctx, toPeer(next), { user: 'alice', password: 'wonderland' })).toBe(true);

    const wrong = new Authenticator({ credentials: { username: 'alice', password: 'guess' } });
    const ctx2: Record<string, unknown> = { realm: 'sip.example.com' };
    const rs2 = sipjs.makeResponse(toPeer(register(1)), 401, 'Unauthorized');
    digestjs.challenge(ctx2, rs2);
    const challenge2 = parseMessage(Buffer.from(sipjs.stringify(rs2)));
    if (challenge2.kind !== 'response') throw new Error('expected a response');
    const bad = wrong.respondToChallenge(register(1), challenge2, () => 2);
    if (bad.kind !== 'retry') throw new Error('expected retry');
    expect(digestjs.authenticateRequest(ctx2, toPeer(bad.request), { user: 'alice', password: 'wonderland' })).toBe(false);
  });
});
