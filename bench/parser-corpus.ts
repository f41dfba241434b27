import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
/**
 * Realistic messages for the parser benchmark (bench/parser.ts): what a messenger sees on the wire.
 * Content-Length is computed from the UTF-8 body, so every message is valid.
 */
function msg(head: string[], body = ''): Buffer {
  const b = Buffer.from(body, 'utf8');
  return Buffer.from(`${head.join('\r\n')}\r\nContent-Length: ${b.length}\r\n\r\n${body}`, 'utf8');
}

const via = 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport';
const sdp = [
  'v=0', 'o=alice 2890844526 2890844526 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', '',
].join('\r\n');

export const benchCorpus: { readonly name: string; readonly data: Buffer }[] = [
  { name: 'REGISTER with auth', data: msg([
    'REGISTER sip:pbx.example.com SIP/2.0', via, 'Max-Forwards: 70',
    'From: "Alice" <sip:alice@pbx.example.com>;tag=a73kszlfl', 'To: "Alice" <sip:alice@pbx.example.com>',
    'Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.10', 'CSeq: 2 REGISTER',
    'Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"',
    'Authorization: Digest username="alice", realm="pbx.example.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:pbx.example.com", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=00000001, opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    'User-Agent: SIP Messenger 0.1', 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, NOTIFY', 'Expires: 3600',
  ]) },
  { name: '401 with two challenges', data: msg([
    'SIP/2.0 401 Unauthorized', `${via};received=198.51.100.7`,
    'From: "Alice" <sip:alice@pbx.example.com>;tag=a73kszlfl', 'To: "Alice" <sip:alice@pbx.example.com>;tag=1410948204',
    'Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.10', 'CSeq: 1 REGISTER',
    'WWW-Authenticate: Digest realm="pbx.example.com", domain="sip:pbx.example.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=SHA-256',
    'WWW-Authenticate: Digest realm="pbx.example.com", domain="sip:pbx.example.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
    'Server: Kamailio 5.8',
  ]) },
  { name: 'INVITE with SDP', data: msg([
    'INVITE sip:bob@pbx.example.com SIP/2.0', via, 'Max-Forwards: 70',
    'From: "Alice" <sip:alice@pbx.example.com>;tag=9fxced76sl', 'To: <sip:bob@pbx.example.com>',
    'Call-ID: 3848276298220188511@192.0.2.10', 'CSeq: 1 INVITE',
    'Contact: <sip:alice@192.0.2.10:5060;transport=udp>', 'Content-Type: application/sdp',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE', 'Supported: replaces, timer', 'User-Agent: SIP Messenger 0.1',
  ], sdp) },
  { name: '200 with Record-Route', data: msg([
    'SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bKnashds8;received=203.0.113.1', via,
    'Record-Route: <sip:203.0.113.1;lr;ftag=9fxced76sl;did=4a1.b2c>', 'Record-Route: <sip:10.0.0.1;r2=on;lr>',
    'From: "Alice" <sip:alice@pbx.example.com>;tag=9fxced76sl', 'To: <sip:bob@pbx.example.com>;tag=8321234356',
    'Call-ID: 3848276298220188511@192.0.2.10', 'CSeq: 1 INVITE', 'Contact: <sip:bob@192.0.2.4:5062>',
    'Content-Type: application/sdp',
  ], sdp.replace(/192\.0\.2\.10/g, '192.0.2.4')) },
  { name: 'MESSAGE plain', data: msg([
    'MESSAGE sip:bob@pbx.example.com SIP/2.0', via, 'Max-Forwards: 70',
    'From: "Alice" <sip:alice@pbx.example.com>;tag=49583', 'To: <sip:bob@pbx.example.com>',
    'Call-ID: asd88asd77a@192.0.2.10', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain',
  ], 'Watson, come here.') },
  { name: 'MESSAGE CPIM', data: msg([
    'MESSAGE sip:bob@pbx.example.com SIP/2.0', via, 'Max-Forwards: 70',
    'From: <sip:alice@pbx.example.com>;tag=49584', 'To: <sip:bob@pbx.example.com>',
    'Call-ID: cpim1@192.0.2.10', 'CSeq: 1 MESSAGE', 'Content-Type: message/cpim',
  ], 'From: MR SANDERS <im:piglet@100akerwood.com>\r\nTo: Depressed Donkey <im:eeyore@100akerwood.com>\r\nDateTime: 2000-12-13T13:40:00-08:00\r\nSubject: the weather will be fine today\r\n\r\nContent-type: text/plain\r\nContent-ID: <1234567890@foo.com>\r\n\r\nHere is the text of my message.') },
  { name: 'MESSAGE UTF-8', data: msg([
    'MESSAGE sip:bob@pbx.example.com SIP/2.0', via, 'Max-Forwards: 70',
    'From: "Zoë Ångström" <sip:zoe@pbx.example.com>;tag=49585', 'To: <sip:bob@pbx.example.com>',
    'Call-ID: utf8-1@192.0.2.10', 'CSeq: 7 MESSAGE', 'Content-Type: text/plain;charset=UTF-8',
  ], 'Привет! 你好 👋 — ça va?') },
  { name: 'MESSAGE compact', data: msg([
    'MESSAGE sip:bob@pbx.example.com SIP/2.0', 'v: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bKc0mp4ct', 'Max-Forwards: 70',
    'f: <sip:alice@pbx.example.com>;tag=49586', 't: <sip:bob@pbx.example.com>', 'i: compact-1@192.0.2.10',
    'CSeq: 2 MESSAGE', 'c: text/plain',
  ], 'compact') },
  { name: 'MESSAGE folded', data: msg([
    'MESSAGE sip:bob@pbx.example.com SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.10:5060', '  ;branch=z9hG4bKf0ld3d',
    'Max-Forwards: 70', 'From: "Alice"', ' <sip:alice@pbx.example.com>;tag=49587', 'To: <sip:bob@pbx.example.com>',
    'Call-ID: folded-1@192.0.2.10', 'CSeq: 3', '  MESSAGE', 'Content-Type: text/plain',
  ], 'folded headers') },
  { name: 'MESSAGE in-dialog', data: msg([
    'MESSAGE sip:bob@192.0.2.4:5062 SIP/2.0', via, 'Max-Forwards: 70',
    'Route: <sip:203.0.113.1;lr;ftag=9fxced76sl;did=4a1.b2c>, <sip:10.0.0.1;r2=on;lr>',
    'From: "Alice" <sip:alice@pbx.example.com>;tag=9fxced76sl', 'To: <sip:bob@pbx.example.com>;tag=8321234356',
    'Call-ID: 3848276298220188511@192.0.2.10', 'CSeq: 3 MESSAGE', 'Content-Type: text/plain',
  ], 'in the call') },
  { name: '202 Accepted', data: msg([
    'SIP/2.0 202 Accepted', `${via};received=198.51.100.7`,
    'From: "Alice" <sip:alice@pbx.example.com>;tag=49583', 'To: <sip:bob@pbx.example.com>;tag=ab8asdasd9',
    'Call-ID: asd88asd77a@192.0.2.10', 'CSeq: 1 MESSAGE', 'Server: Kamailio 5.8',
  ]) },
];

/**
 * Real traffic captured with tshark on loopback (test/fixtures/captures/loopback-sip.pcapng, from the
 * integration tests against Kamailio, baresip and sipp; loopback-linphonec.pcapng, linphonec through
 * Kamailio), one message per file, grouped by the element that wrote it (Server/User-Agent header,
 * relayed through Kamailio, sipp Call-IDs).
 */
export function capturedCorpora(): { readonly name: string; readonly messages: Buffer[] }[] {
  const root = fileURLToPath(new URL('../test/fixtures/captures/', import.meta.url));
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({
      name: `captured ${d.name}`,
      messages: readdirSync(`${root}${d.name}`)
        .filter((f) => f.endsWith('.sip'))
        .sort()
        .map((f) => readFileSync(`${root}${d.name}/${f}`)),
    }));
}
