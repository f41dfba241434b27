/**
 * Issue 10, addressed to us (RFC 3261 §8.2.2.1): the Contact's user part is an unguessable token; an
 * out-of-dialog request whose Request-URI is neither our Contact nor our AOR gets 404 and reaches no handler.
 */
import { describe, expect, it } from 'vitest';
import { parseUri, type SipUri } from '../../../../main/sip/message/index.ts';
import { contactToken, isAddressedTo } from '../../../../main/sip/ua/contact-token.ts';
import { checkRequest } from '../../../../main/sip/ua/uas-checks.ts';
import { parseMessage, type SipRequest } from '../../../../main/sip/message/index.ts';
import { handleMessages } from '../../../../main/sip/ua/index.ts';
import { CONTACT_USER, flush, makeKit } from './user-agent-kit.ts';

const AOR = parseUri('sip:alice@example.test') as SipUri;
const source = { protocol: 'udp' as const, address: '127.0.0.1', port: 15060 };

function request(uri: string, method = 'MESSAGE', toTag = ''): string {
  const body = method === 'MESSAGE' ? 'hi' : '';
  return (
    `${method} ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:15060;branch=z9hG4bK-${Math.random().toString(36).slice(2)}\r\n` +
    `From: "Bob (CFO)" <sip:bob@example.test>;tag=b1\r\nTo: <sip:carol@example.test>${toTag}\r\nCall-ID: c-${Math.random()}\r\nCSeq: 1 ${method}\r\n` +
    `Max-Forwards: 70\r\n${body ? 'Content-Type: text/plain\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`
  );
}

describe('the Contact token', () => {
  it('is 128 random bits in URI-safe characters, different for every UA', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => contactToken()));
    expect(tokens.size).toBe(200);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(makeKit({}).ua.contact()).toBe(`<sip:${CONTACT_USER}@127.0.0.1:40000>`);
  });

  it('isAddressedTo: the token at any host, or the AOR (host case-insensitive, user exact); nothing else', () => {
    expect(isAddressedTo(parseUri('sip:tok@10.0.0.9:5070;transport=tcp'), 'tok', AOR)).toBe(true);
    expect(isAddressedTo(parseUri('sip:alice@EXAMPLE.test'), 'tok', AOR)).toBe(true);
    expect(isAddressedTo(parseUri('sip:Alice@example.test'), 'tok', AOR)).toBe(false);
    expect(isAddressedTo(parseUri('sip:nobody@192.0.2.1'), 'tok', AOR)).toBe(false);
    expect(isAddressedTo(parseUri('sip:alice@192.0.2.1'), 'tok', AOR)).toBe(false);
    expect(isAddressedTo(parseUri('sip:192.0.2.1'), 'tok', AOR)).toBe(false);
    expect(isAddressedTo(parseUri('tel:+15551234'), 'tok', AOR)).toBe(false);
  });

  it('checkRequest: 404 out of dialog only, after 405/416 (§8.2 order); in-dialog and CANCEL are not checked', () => {
    const options = { allowedMethods: ['MESSAGE', 'INVITE', 'CANCEL', 'ACK', 'BYE'], acceptedTypes: ['*/*'], supportedExtensions: [], addressedToUs: () => false };
    const check = (text: string) => checkRequest(parseMessage(Buffer.from(text)) as SipRequest, options);
    expect(check(request('sip:nobody@192.0.2.1'))).toMatchObject({ kind: 'reject', rule: '8.2.2.1-not-addressed', response: { status: 404 } });
    expect(check(request('sip:nobody@192.0.2.1', 'SUBSCRIBE'))).toMatchObject({ rule: '8.2.1-method' });
    expect(check(request('sip:nobody@192.0.2.1', 'BYE', ';tag=t1'))).toEqual({ kind: 'ok' });
    expect(check(request('sip:nobody@192.0.2.1', 'CANCEL'))).toEqual({ kind: 'ok' });
    expect(check(request('sip:nobody@192.0.2.1', 'ACK'))).toEqual({ kind: 'discard', rule: '8.2.2.1-not-addressed' });
  });
});

describe('UserAgent as UAS: a request for someone else (issue 10)', () => {
  it('MUST answer 404 to a MESSAGE for sip:nobody@192.0.2.1 and never hand it to the receiver; our Contact and AOR are heard', async () => {
    const kit = makeKit();
    const heard: string[] = [];
    handleMessages(kit.ua, (m) => {
      heard.push(m.request.uriText);
      return Promise.resolve({ status: 200 });
    });
    kit.loop.inject(request('sip:nobody@192.0.2.1'), source);
    kit.loop.inject(request('sip:alice@127.0.0.1:40000'), source);
    kit.loop.inject(request(`sip:${CONTACT_USER}@127.0.0.1:40000`), source);
    kit.loop.inject(request('sip:alice@example.test'), source);
    await flush();
    const statuses = kit.loop.sent.map((s) => (s.message.kind === 'response' ? s.message.status : 0));
    expect(statuses).toEqual([404, 404, 200, 200]);
    expect(heard).toEqual([`sip:${CONTACT_USER}@127.0.0.1:40000`, 'sip:alice@example.test']);
  });
});
