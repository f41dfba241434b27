import { describe, expect, it } from 'vitest';
import { parseUri, type SipUri } from '../../../../main/sip/message/index.ts';
import { hopAllowsTcp } from '../../../../main/sip/ua/index.ts';
import { makeKit } from './user-agent-kit.ts';

const uri = (text: string) => parseUri(text) as SipUri;

describe('RFC 3261 §18.1.1: where a request over 1300 bytes can go', () => {
  it('a hop takes TCP unless its URI pins transport=udp', () => {
    expect(hopAllowsTcp(uri('sip:127.0.0.1:5060'))).toBe(true);
    expect(hopAllowsTcp(uri('sip:pbx.example.com;transport=tcp'))).toBe(true);
    expect(hopAllowsTcp(uri('sip:127.0.0.1:5060;transport=UDP'))).toBe(false);
  });

  it('a UDP account whose outbound proxy is not pinned to UDP sends large requests congestion controlled; TCP/TLS accounts always do', () => {
    expect(makeKit({ protocol: 'udp' }).ua.largeRequestsCongestionControlled('sip:bob@example.test')).toBe(true);
    expect(makeKit({ protocol: 'tcp' }).ua.largeRequestsCongestionControlled('sip:bob@example.test')).toBe(true);
    expect(makeKit({ protocol: 'tls' }).ua.largeRequestsCongestionControlled('sip:bob@example.test')).toBe(true);
  });
});
