import { describe, expect, it } from 'vitest';
import { SipParseError, parseMessage } from '../../../../main/sip/message/index.ts';
import type { PartialMessage, SipRequest } from '../../../../main/sip/message/index.ts';
import { badRequestFor, buildBadRequest } from '../../../../main/sip/ua/uas-checks-bad-request.ts';
import { MergedRequestTable } from '../../../../main/sip/ua/uas-checks-merged.ts';
import { checkRequest } from '../../../../main/sip/ua/uas-checks.ts';
import type { UasCheckOptions } from '../../../../main/sip/ua/uas-checks.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

interface Spec {
  method?: string;
  uri?: string;
  branch?: string;
  toTag?: string;
  cseq?: number;
  extra?: string[];
  body?: string;
}

function request(spec: Spec = {}): SipRequest {
  const method = spec.method ?? 'MESSAGE';
  const body = spec.body ?? '';
  const lines = [
    `${method} ${spec.uri ?? 'sip:alice@192.0.2.1'} SIP/2.0`,
    `Via: SIP/2.0/UDP 192.0.2.9:5060;branch=${spec.branch ?? 'z9hG4bK1'}`,
    'Max-Forwards: 70',
    `To: <sip:alice@example.com>${spec.toTag !== undefined ? `;tag=${spec.toTag}` : ''}`,
    'From: "Bob" <sip:bob@example.com>;tag=ft',
    'Call-ID: cid@192.0.2.9',
    `CSeq: ${spec.cseq ?? 1} ${method}`,
    ...(spec.extra ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  const m = parseMessage(Buffer.from(lines.join('\r\n')));
  if (m.kind !== 'request') throw new Error('not a request');
  return m;
}

const options: UasCheckOptions = {
  allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'MESSAGE'],
  acceptedTypes: ['text/plain', 'message/*', 'application/sdp'],
  supportedExtensions: ['timer', 'path'],
  toTag: 'uas-tag',
};

function reject(req: SipRequest, o: UasCheckOptions = options) {
  const r = checkRequest(req, o);
  if (r.kind !== 'reject') throw new Error(`expected reject, got ${r.kind}`);
  return r;
}

describe('checkRequest (RFC 3261 §8.2)', () => {
  it('passes a well-formed supported request', () => {
    expect(checkRequest(request({ extra: ['Content-Type: text/plain', 'Require: timer'], body: 'hi' }), options)).toEqual({ kind: 'ok' });
  });

  it('§8.2.1: an unsupported method MUST get 405 with Allow listing the supported ones', () => {
    const r = reject(request({ method: 'SUBSCRIBE' }));
    expect(r.rule).toBe('8.2.1-method');
    expect(r.response.status).toBe(405);
    expect(r.response.allow).toEqual(options.allowedMethods);
    // §8.2.6.2: the response To gets the UAS tag, the rest is copied
    expect(r.response.toTag).toBe('uas-tag');
    expect(r.response.callId).toBe('cid@192.0.2.9');
    expect(r.response.cseq).toEqual({ seq: 1, method: 'SUBSCRIBE' });
    expect(r.response.topVia?.branch).toBe('z9hG4bK1');
  });

  it('§8.2.2.1: an unsupported Request-URI scheme SHOULD get 416', () => {
    expect(reject(request({ uri: 'http://example.com/x' })).response.status).toBe(416);
    expect(reject(request({ uri: 'tel:+15551234' })).response.status).toBe(416);
    expect(checkRequest(request({ uri: 'tel:+15551234' }), { ...options, supportedSchemes: ['sip', 'sips', 'tel'] }).kind).toBe('ok');
  });

  it('§8.2.2.2: same From tag, Call-ID and CSeq on another branch without To tag MUST get 482', () => {
    const clock = new FakeClock();
    const merged = new MergedRequestTable(clock);
    const o = { ...options, mergedRequestDetector: merged };
    const method = 'OPTIONS';
    expect(checkRequest(request({ method, branch: 'z9hG4bKa' }), o).kind).toBe('ok');
    // a retransmission (same branch) is not a merge
    expect(checkRequest(request({ method, branch: 'z9hG4bKa' }), o).kind).toBe('ok');
    const r = reject(request({ method, branch: 'z9hG4bKb' }), o);
    expect(r.rule).toBe('8.2.2.2-merged');
    expect(r.response.status).toBe(482);
    expect(r.response.reason).toBe('Loop Detected');
    // a new CSeq is a new request
    expect(checkRequest(request({ method, branch: 'z9hG4bKc', cseq: 2 }), o).kind).toBe('ok');
    // in-dialog requests (To tag) are never merged requests
    expect(checkRequest(request({ method, branch: 'z9hG4bKd', toTag: 'x' }), o).kind).toBe('ok');
    // MESSAGE is exempt: its storage is idempotent, a restarted sender's re-send on a new branch gets 200
    expect(checkRequest(request({ branch: 'z9hG4bKm1', cseq: 9 }), o).kind).toBe('ok');
    expect(checkRequest(request({ branch: 'z9hG4bKm2', cseq: 9 }), o).kind).toBe('ok');
  });

  it('§8.2.2.2: merged-request memory ends after the transaction lifetime (fake clock)', () => {
    const clock = new FakeClock();
    const merged = new MergedRequestTable(clock, 32_000);
    expect(merged.isMerged(request({ method: 'OPTIONS', branch: 'z9hG4bKa' }))).toBe(false);
    clock.advance(31_999);
    expect(merged.isMerged(request({ method: 'OPTIONS', branch: 'z9hG4bKb' }))).toBe(true);
    clock.advance(1);
    expect(merged.isMerged(request({ method: 'OPTIONS', branch: 'z9hG4bKb' }))).toBe(false);
    expect(merged.size).toBe(1);
  });

  it('§8.2.2.3: an unknown option-tag in Require MUST get 420 with Unsupported listing it', () => {
    const r = reject(request({ extra: ['Require: timer, foo', 'Require: bar'] }));
    expect(r.response.status).toBe(420);
    expect(r.response.unsupported).toEqual(['foo', 'bar']);
  });

  it('§8.2.2.3: Require is not checked on CANCEL', () => {
    expect(checkRequest(request({ method: 'CANCEL', extra: ['Require: foo'] }), options).kind).toBe('ok');
  });

  it('§8.2.3: a body type we do not understand MUST get 415 with Accept', () => {
    const r = reject(request({ extra: ['Content-Type: application/json'], body: '{}' }));
    expect(r.rule).toBe('8.2.3-content-type');
    expect(r.response.status).toBe(415);
    expect(r.response.headers.get('Accept')).toBe('text/plain, message/*, application/sdp');
    // a wildcard accepts the subtype; an empty body needs no type
    expect(checkRequest(request({ extra: ['Content-Type: message/cpim'], body: 'x' }), options).kind).toBe('ok');
    expect(checkRequest(request({ extra: ['Content-Type: application/json'] }), options).kind).toBe('ok');
  });

  it('§8.2.3: an unknown Content-Encoding gets 415 with Accept-Encoding', () => {
    const r = reject(request({ extra: ['Content-Type: text/plain', 'Content-Encoding: gzip'], body: 'x' }));
    expect(r.rule).toBe('8.2.3-content-encoding');
    expect(r.response.headers.get('Accept-Encoding')).toBe('identity');
  });

  it('§12.2.2: a request with a To tag matching no dialog MUST get 481', () => {
    const o = { ...options, dialogExists: (req: SipRequest) => req.toTag === 'known' };
    expect(checkRequest(request({ method: 'BYE', toTag: 'known' }), o).kind).toBe('ok');
    const r = reject(request({ method: 'BYE', toTag: 'gone' }), o);
    expect(r.response.status).toBe(481);
    // the response keeps the request's To tag instead of adding ours (§8.2.6.2)
    expect(r.response.toTag).toBe('gone');
  });

  it('§17.2.1: an ACK is never answered: a failing ACK is discarded', () => {
    const o = { ...options, dialogExists: () => false };
    expect(checkRequest(request({ method: 'ACK', toTag: 'gone' }), o)).toEqual({ kind: 'discard', rule: '12.2.2-no-dialog' });
  });

  it('§16.3 step 3 is a proxy rule: Max-Forwards 0 passes for a UA, 483 only when forwarding', () => {
    const req = request();
    req.headers.set('Max-Forwards', '0');
    expect(checkRequest(req, options).kind).toBe('ok');
    expect(reject(req, { ...options, wouldForward: true }).response.status).toBe(483);
    const opt = request({ method: 'OPTIONS' });
    opt.headers.set('Max-Forwards', '0');
    expect(checkRequest(opt, { ...options, wouldForward: true }).kind).toBe('ok');
  });

  it('the first failing rule in §8.2 order wins (405 before 420 before 415)', () => {
    expect(reject(request({ method: 'PUBLISH', extra: ['Require: foo'] })).response.status).toBe(405);
    expect(reject(request({ extra: ['Require: foo', 'Content-Type: application/json'], body: '{}' })).response.status).toBe(420);
  });

  it('a header that does not parse (Require) is rejected at parse time and answered 400 naming it', () => {
    let error: unknown = null;
    try {
      request({ extra: ['Require: bad header ,,'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SipParseError);
    const e = error as SipParseError;
    expect(e.reason).toMatch(/^Require: /);
    const partial = e.partial;
    expect(partial).not.toBeNull();
    const r = buildBadRequest(partial as PartialMessage, e.reason);
    expect(r?.status).toBe(400);
    expect(r?.reason).toMatch(/^Bad Request \(Require/);
  });
});

describe('buildBadRequest (RFC 3261 §8.2, §21.4.1): stateless 400 from a partial parse', () => {
  const partial: PartialMessage = {
    kind: 'request',
    method: 'INVITE',
    headers: [
      { name: 'v', value: 'SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKx' },
      { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.8;branch=z9hG4bKy' },
      { name: 'f', value: '<sip:bob@example.com>;tag=1' },
      { name: 'To', value: '<sip:alice@example.com>' },
      { name: 'i', value: 'cid' },
      { name: 'CSeq', value: '7 INVITE' },
      { name: 'Subject', value: 'ignored' },
    ],
  };

  it('copies Via (all, in order), From, To (+tag), Call-ID, CSeq and names the defect', () => {
    const r = buildBadRequest(partial, 'Content-Length: not a number', { toTag: 't1' });
    expect(r?.status).toBe(400);
    expect(r?.reason).toBe('Bad Request (Content-Length: not a number)');
    expect(r?.via.map((v) => v.branch)).toEqual(['z9hG4bKx', 'z9hG4bKy']);
    expect(r?.toTag).toBe('t1');
    expect(r?.callId).toBe('cid');
    expect(r?.cseq).toEqual({ seq: 7, method: 'INVITE' });
    expect(r?.headers.get('Subject')).toBeNull();
  });

  it('keeps the Reason-Phrase on one line (§25.1 TEXT-UTF8, no CR/LF)', () => {
    expect(buildBadRequest(partial, 'bad\r\nInjected: yes')?.reason).toBe('Bad Request (bad Injected: yes)');
  });

  it('sends nothing when Call-ID (or another core header) is missing, for ACK, or for a response', () => {
    expect(buildBadRequest({ ...partial, headers: partial.headers.filter((h) => h.name !== 'i') }, 'x')).toBeNull();
    expect(buildBadRequest({ ...partial, method: 'ACK' }, 'x')).toBeNull();
    expect(buildBadRequest({ kind: 'response', status: 200, headers: partial.headers }, 'x')).toBeNull();
    const badVia = partial.headers.map((h) => (h.name === 'v' ? { name: 'v', value: 'garbage' } : h));
    expect(buildBadRequest({ ...partial, headers: badVia }, 'x')).toBeNull();
  });

  it('from the parser: a malformed CSeq gives 400 once the core headers were read', () => {
    const raw = [
      'MESSAGE sip:alice@example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKq',
      'From: <sip:bob@example.com>;tag=a',
      'To: <sip:alice@example.com>',
      'Call-ID: c1',
      'CSeq: 1 MESSAGE',
      'Max-Forwards: 70',
      'Expires: soon',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    let error: unknown = null;
    try {
      parseMessage(Buffer.from(raw));
    } catch (e) {
      error = e;
    }
    if (!(error instanceof SipParseError)) throw new Error('expected the parser to reject the message');
    const r = badRequestFor(error);
    expect(r?.status).toBe(400);
    expect(r?.reason).toMatch(/^Bad Request \(/);
    expect(r?.callId).toBe('c1');
  });

  it('status 505 from the parser keeps its own reason phrase (§8.2: bad SIP-Version)', () => {
    const r = badRequestFor(new SipParseError('SIP/3.0 not supported', 0, partial, 505));
    expect(r?.status).toBe(505);
    expect(r?.reason).toBe('Version Not Supported');
  });
});
