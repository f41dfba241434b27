import { describe, expect, it } from 'vitest';
import { formatUri, parseMessage, parseNameAddr, parseUri, serializeMessage } from '../../../../main/sip/message/index.ts';
import type { SipRequest } from '../../../../main/sip/message/index.ts';
import {
  BRANCH_COOKIE,
  addVia,
  applyRouteSet,
  buildRequest,
  newBranch,
  newCallId,
  newTag,
} from '../../../../main/sip/ua/uac-request.ts';

const base = {
  method: 'MESSAGE',
  requestUri: 'sip:bob@example.com',
  from: { uri: 'sip:alice@example.com', displayName: 'Alice Liddell' },
  to: { uri: 'sip:bob@example.com' },
  cseq: 1,
};

/** serialize + parse: what a peer would read (the parser requires a Via, the transport's part) */
function roundTrip(req: SipRequest): SipRequest {
  if (req.headers.get('Via') === null) addVia(req, { transport: 'UDP', host: '192.0.2.1' });
  const parsed = parseMessage(serializeMessage(req));
  if (parsed.kind !== 'request') throw new Error('not a request');
  return parsed;
}

describe('buildRequest (RFC 3261 §8.1.1)', () => {
  it('MUST contain To, From with tag, Call-ID, CSeq, Max-Forwards 70 (§8.1.1, §8.1.1.6)', () => {
    const req = buildRequest(base);
    addVia(req, { transport: 'udp', host: '192.0.2.1', port: 5060 });
    const r = roundTrip(req);
    expect(r.method).toBe('MESSAGE');
    expect(r.uriText).toBe('sip:bob@example.com');
    expect(r.maxForwards).toBe(70);
    expect(r.from.displayName).toBe('Alice Liddell');
    expect(r.fromTag).toMatch(/^[0-9a-f]{16}$/);
    expect(r.toTag).toBeNull(); // §8.1.1.2: no To tag outside a dialog
    expect(r.callId).toMatch(/^[0-9a-f]{32}$/);
    expect(r.cseq).toEqual({ seq: 1, method: 'MESSAGE' });
    expect(r.headers.get('Route')).toBeNull();
  });

  it('uses the given Call-ID, local tag, To tag, Contact, extra headers and body', () => {
    const req = buildRequest({
      ...base,
      callId: 'abc@host',
      localTag: 'lt',
      to: { uri: 'sip:bob@example.com', tag: 'rt' },
      contact: { uri: 'sip:alice@192.0.2.1:5070;transport=tcp' },
      body: 'hi \u00e9',
      contentType: 'text/plain;charset=UTF-8',
      extraHeaders: [{ name: 'Subject', value: 'x' }, { name: 'User-Agent', value: 'test' }],
      maxForwards: 10,
    });
    const r = roundTrip(req);
    expect(r.callId).toBe('abc@host');
    expect(r.fromTag).toBe('lt');
    expect(r.toTag).toBe('rt');
    expect(r.contact).not.toBe('*');
    expect(r.contact === '*' ? null : formatUri(r.contact[0]?.uri ?? parseUri('sip:x'))).toBe('sip:alice@192.0.2.1:5070;transport=tcp');
    expect(r.headers.get('Subject')).toBe('x');
    expect(r.headers.get('User-Agent')).toBe('test');
    expect(r.contentType?.subtype).toBe('plain');
    expect(r.body.toString('utf8')).toBe('hi \u00e9');
    expect(r.contentLength).toBe(Buffer.byteLength('hi \u00e9'));
    expect(r.maxForwards).toBe(10);
  });

  it('takes extra headers as name/value pairs too', () => {
    expect(buildRequest({ ...base, extraHeaders: [['Subject', 'y']] }).headers.get('Subject')).toBe('y');
  });

  it('generates a Call-ID "hex@host" when a host is given (§8.1.1.4)', () => {
    expect(buildRequest({ ...base, callIdHost: 'client.example.com' }).callId).toMatch(/^[0-9a-f]{32}@client\.example\.com$/);
  });

  it('§8.1.1.5: CSeq MUST be below 2**31; a body needs a Content-Type', () => {
    expect(() => buildRequest({ ...base, cseq: 2 ** 31 })).toThrow(RangeError);
    expect(() => buildRequest({ ...base, body: 'x' })).toThrow(/contentType/);
  });

  it('§8.1.1.3 / §19.3: tags, Call-IDs and branches are random and unique', () => {
    const tags = new Set(Array.from({ length: 200 }, () => newTag()));
    expect(tags.size).toBe(200);
    expect(new Set(Array.from({ length: 200 }, () => newCallId())).size).toBe(200);
    expect(newBranch().startsWith(BRANCH_COOKIE)).toBe(true);
    expect(newBranch()).not.toBe(newBranch());
  });
});

describe('route set (RFC 3261 §12.2.1.1, §16.12)', () => {
  const target = parseUri('sip:bob@192.0.2.4');

  it('loose routing: first route with lr keeps the remote target as Request-URI, Route = the set', () => {
    const req = buildRequest({
      ...base,
      requestUri: target,
      routeSet: ['<sip:p1.example.com;lr>', parseNameAddr('<sip:p2.example.com;lr>')],
    });
    const r = roundTrip(req);
    expect(r.uriText).toBe('sip:bob@192.0.2.4');
    expect(r.route.map((x) => formatUri(x.uri))).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
  });

  it('strict routing: the first route becomes the Request-URI and the remote target goes last', () => {
    const req = buildRequest({
      ...base,
      requestUri: target,
      routeSet: ['<sip:p1.example.com;method=INVITE>', '<sip:p2.example.com;lr>'],
    });
    const r = roundTrip(req);
    // §19.1.1: "method" is not allowed in a Request-URI and is stripped
    expect(r.uriText).toBe('sip:p1.example.com');
    expect(r.route.map((x) => formatUri(x.uri))).toEqual(['sip:p2.example.com;lr', 'sip:bob@192.0.2.4']);
  });

  it('an outbound proxy as a one-entry route set (§8.1.1.1) with a bare URI string', () => {
    const routed = applyRouteSet(target, [parseNameAddr('<sip:proxy.example.com;lr>')]);
    expect(formatUri(routed.requestUri)).toBe('sip:bob@192.0.2.4');
    const req = buildRequest({ ...base, routeSet: ['sip:proxy.example.com;lr'] });
    expect(req.route.map((x) => formatUri(x.uri))).toEqual(['sip:proxy.example.com;lr']);
  });

  it('empty route set: no Route header', () => {
    expect(applyRouteSet(target, [])).toEqual({ requestUri: target, route: [] });
  });
});

describe('addVia (RFC 3261 §8.1.1.7, §18.1.1, RFC 3581 §3)', () => {
  it('adds the top Via with the magic-cookie branch and rport', () => {
    const req = buildRequest(base);
    const branch = addVia(req, { transport: 'tcp', host: 'client.example.com', port: 5070 });
    expect(branch.startsWith('z9hG4bK')).toBe(true);
    const via = roundTrip(req).topVia;
    expect(via).toMatchObject({ transport: 'TCP', host: 'client.example.com', port: 5070, branch, rport: null });
  });

  it('puts a new Via on top of existing ones, brackets IPv6, rport can be left out', () => {
    const req = buildRequest(base);
    addVia(req, { transport: 'UDP', host: '192.0.2.1', branch: 'z9hG4bKfirst' });
    addVia(req, { transport: 'UDP', host: '2001:db8::1', port: 5060, branch: 'z9hG4bKsecond', rport: false });
    const vias = roundTrip(req).via;
    expect(vias.map((v) => v.branch)).toEqual(['z9hG4bKsecond', 'z9hG4bKfirst']);
    expect(vias[0]?.host).toBe('[2001:db8::1]');
    expect(vias[0]?.rport).toBeUndefined();
    expect(vias[1]?.port).toBeNull();
  });
});
