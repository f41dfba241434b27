import { describe, expect, it } from 'vitest';
import {
  clientKeyOfResponse,
  clientTransactionKey,
  matchesLegacyTransaction,
  serverTransactionKey,
} from '../../../../main/sip/transaction/matching.ts';
import { makeRequest, responseTo } from './fixtures.ts';

describe('transaction matching', () => {
  describe('client side (§17.1.3: branch + CSeq method)', () => {
    it('a response selects the transaction of its top Via branch and CSeq method', () => {
      const invite = makeRequest('INVITE', { branch: 'z9hG4bKabc' });
      expect(clientKeyOfResponse(responseTo(invite, 180))).toBe(clientTransactionKey('z9hG4bKabc', 'INVITE'));
      const cancel = makeRequest('CANCEL', { branch: 'z9hG4bKabc' });
      expect(clientKeyOfResponse(responseTo(cancel, 200))).toBe(clientTransactionKey('z9hG4bKabc', 'CANCEL'));
      expect(clientTransactionKey('z9hG4bKabc', 'INVITE')).not.toBe(clientTransactionKey('z9hG4bKabc', 'CANCEL'));
      expect(clientTransactionKey('z9hG4bKabc', 'INVITE')).not.toBe(clientTransactionKey('z9hG4bKabd', 'INVITE'));
    });

    it('a response without a branch matches nothing', () => {
      expect(clientKeyOfResponse(responseTo(makeRequest('OPTIONS', { branch: '' }), 200))).toBeUndefined();
    });
  });

  describe('server side (§17.2.3: branch + sent-by + method, ACK → INVITE)', () => {
    const key = serverTransactionKey;
    it('the ACK for a non-2xx matches the INVITE transaction; CANCEL and other methods do not', () => {
      const invite = key(makeRequest('INVITE'));
      expect(invite).toBeDefined();
      expect(key(makeRequest('ACK'))).toBe(invite);
      expect(key(makeRequest('CANCEL'))).not.toBe(invite);
      expect(key(makeRequest('CANCEL'), 'INVITE')).toBe(invite);
      expect(key(makeRequest('BYE'))).not.toBe(invite);
    });

    it('a different branch or sent-by (host or port) does not match; sent-by host is case-insensitive', () => {
      const base = key(makeRequest('MESSAGE', { sentBy: 'client.example.com:5060' }));
      expect(key(makeRequest('MESSAGE', { sentBy: 'CLIENT.example.com:5060' }))).toBe(base);
      expect(key(makeRequest('MESSAGE', { sentBy: 'client.example.com:5062' }))).not.toBe(base);
      expect(key(makeRequest('MESSAGE', { sentBy: 'client.example.com' }))).not.toBe(base);
      expect(key(makeRequest('MESSAGE', { sentBy: 'client.example.com:5060', branch: 'z9hG4bK-x' }))).not.toBe(base);
    });

    it('a branch without the magic cookie needs the RFC 2543 fallback', () => {
      expect(key(makeRequest('INVITE', { branch: '1234' }))).toBeUndefined();
      expect(key(makeRequest('INVITE', { branch: '' }))).toBeUndefined();
      expect(key(makeRequest('INVITE', { branch: 'z9hG4bK' }))).toBeUndefined();
    });
  });

  describe('RFC 2543 fallback (§17.2.3)', () => {
    const invite = makeRequest('INVITE', { branch: '', uri: 'sip:bob@example.com;transport=udp' });

    it('INVITE: Request-URI, To tag, From tag, Call-ID, CSeq and top Via must all match', () => {
      expect(matchesLegacyTransaction(makeRequest('INVITE', { branch: '', uri: 'sip:BOB@EXAMPLE.com;transport=udp' }), invite, null)).toBe(false);
      expect(matchesLegacyTransaction(makeRequest('INVITE', { branch: '', uri: 'sip:bob@EXAMPLE.COM;transport=UDP' }), invite, null)).toBe(true);
      const differing = [
        { fromTag: 'other' },
        { toTag: 'other' },
        { callId: 'other@x' },
        { cseq: 2 },
        { sentBy: '192.0.2.1:5070' },
        { uri: 'sip:carol@example.com;transport=udp' },
      ];
      for (const spec of differing) {
        expect(matchesLegacyTransaction(makeRequest('INVITE', { branch: '', uri: 'sip:bob@example.com;transport=udp', ...spec }), invite, null)).toBe(false);
      }
    });

    it('ACK: matches on CSeq number (not method) and the To tag of the response the server sent', () => {
      const ack = makeRequest('ACK', { branch: '', uri: 'sip:bob@example.com;transport=udp', toTag: 'resp-tag', cseqMethod: 'ACK' });
      expect(matchesLegacyTransaction(ack, invite, 'resp-tag')).toBe(true);
      expect(matchesLegacyTransaction(ack, invite, 'another-tag')).toBe(false);
      expect(matchesLegacyTransaction(ack, invite, null)).toBe(false);
    });

    it('other methods: CSeq including the method; a CANCEL can look for its INVITE', () => {
      const options = makeRequest('OPTIONS', { branch: '' });
      expect(matchesLegacyTransaction(makeRequest('OPTIONS', { branch: '' }), options, null)).toBe(true);
      expect(matchesLegacyTransaction(makeRequest('OPTIONS', { branch: '', cseqMethod: 'INFO' }), options, null)).toBe(false);
      const cancel = makeRequest('CANCEL', { branch: '', uri: 'sip:bob@example.com;transport=udp' });
      expect(matchesLegacyTransaction(cancel, invite, null)).toBe(false);
      expect(matchesLegacyTransaction(cancel, invite, null, 'INVITE')).toBe(true);
    });
  });
});
