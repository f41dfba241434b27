/**
 * Issue 18: the incoming MESSAGE path remembers normalized From URIs (bounded) and decodes UTF-8 with one
 * shared decoder; these tests pin that the results are those of the unremembered, per-message path.
 */
import { describe, expect, it } from 'vitest';
import { normalizeContactAddress } from '../../../../main/services/contacts.ts';
import { decodeIncomingBody } from '../../../../main/services/chats/incoming-body.ts';
import type { IncomingPagerMessage } from '../../../../main/services/chats/pager.ts';
import { PEER_MEMO_LIMIT, peerAddress, peerMemoSize, receiveMessage, type ReceiveDeps } from '../../../../main/services/chats/receive.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { formatCpim } from '../../../../main/sip/ua/cpim.ts';
import { mediaType } from '../../../../main/services/chats/peer-formats.ts';

function incoming(contentType: string | null, body: Buffer): IncomingPagerMessage {
  return { from: 'sip:bob@example.test', fromDisplayName: null, contentType, body, callId: 'c', cseq: 1, date: null, expiresSeconds: null, dialog: null };
}

function text(contentType: string, body: Buffer): string | null {
  const r = decodeIncomingBody(incoming(contentType, body));
  return r.ok === true ? r.body.text : null;
}

describe('peerAddress (the From URI as a conversation peer)', () => {
  it('is the normalized address, or the From as written when our parser refuses it; the same when asked again', () => {
    for (const from of ['sip:Bob@EXAMPLE.test', 'sips:bob@example.test:5061;transport=tcp', 'sip:example.test', ' sip:x@y z ', 'tel:+1555']) {
      let expected: string;
      try {
        expected = normalizeContactAddress(from).uri;
      } catch {
        expected = from.trim();
      }
      expect(peerAddress(from)).toBe(expected);
      expect(peerAddress(from)).toBe(expected);
    }
  });

  it('remembers at most PEER_MEMO_LIMIT From URIs whatever senders send', () => {
    for (let i = 0; i < PEER_MEMO_LIMIT * 3 + 7; i++) {
      expect(peerAddress(`sip:user${String(i)}@Example.test`)).toBe(`sip:user${String(i)}@example.test`);
      expect(peerMemoSize()).toBeLessThanOrEqual(PEER_MEMO_LIMIT);
    }
  });
});

describe('decodeIncomingBody text (RFC 3428 §9: UTF-8 by default)', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  it('decodes UTF-8 under every spelling of the charset, a leading BOM dropped, bad octets as U+FFFD', () => {
    const bytes = Buffer.concat([bom, Buffer.from('grüße ', 'utf8'), Buffer.from([0xff]), Buffer.from('!', 'utf8')]);
    for (const ct of ['text/plain', 'text/plain;charset=UTF-8', 'text/plain; charset="utf8"', 'TEXT/PLAIN;CHARSET=Utf-8']) {
      expect(text(ct, bytes), ct).toBe('grüße \uFFFD!');
    }
    // one message's partial sequence never leaks into the next (no decoder state kept)
    expect(text('text/plain', Buffer.from([0xe2, 0x82]))).toBe('\uFFFD');
    expect(text('text/plain', Buffer.from('ok', 'utf8'))).toBe('ok');
  });

  it('decodes other charsets, and refuses one it cannot read (415)', () => {
    expect(text('text/plain;charset=iso-8859-1', Buffer.from([0x67, 0x72, 0xfc, 0xdf]))).toBe('grüß');
    expect(decodeIncomingBody(incoming('text/plain;charset=x-no-such', Buffer.from('a'))).ok).toBe(false);
  });

  it('reads a text/plain body that starts like CPIM as CPIM only when it is one', () => {
    expect(text('text/plain', Buffer.from('From: a friend\r\nTo: you', 'utf8'))).toBe('From: a friend\r\nTo: you');
    expect(text('text/plain', Buffer.from('Tomorrow', 'utf8'))).toBe('Tomorrow');
    const cpim = formatCpim({ from: { uri: 'sip:bob@example.test' }, to: { uri: 'sip:alice@example.test' }, dateTime: new Date(0), messageId: 'm-1', content: 'inner' });
    const r = decodeIncomingBody(incoming('text/plain', cpim));
    expect(r.ok === true ? [r.body.text, r.body.cpimMessageId] : r).toEqual(['inner', 'm-1']);
  });
});

describe('receiveMessage without an async frame: the same answers and failures', () => {
  function deps(submit: ReceiveDeps['commit']['submit'], over: Partial<ReceiveDeps> = {}): ReceiveDeps & { errors: unknown[]; emitted: string[] } {
    const errors: unknown[] = [];
    const emitted: string[] = [];
    return { commit: { submit }, emit: ((name: string) => emitted.push(name)) as never, now: () => 1000, onError: (_m, e) => errors.push(e), errors, emitted, ...over };
  }
  const msg = incoming('text/plain', Buffer.from('hi'));

  it('a throw before the commit is a rejection, never a synchronous throw', async () => {
    const d = deps(() => Promise.resolve({ kind: 'duplicate' }), { isBlocked: () => { throw new Error('blocked list broken'); } });
    const p = receiveMessage(d, 'a' as AccountId, msg);
    await expect(p).rejects.toThrow('blocked list broken');
  });

  it('a commit that throws, rejects or reports an error is answered 500 and reported', async () => {
    const boom = new Error('disk');
    for (const submit of [() => { throw boom; }, () => Promise.reject(boom), () => Promise.resolve({ kind: 'error' as const, error: boom })]) {
      const d = deps(submit);
      expect(await receiveMessage(d, 'a' as AccountId, msg)).toEqual({ status: 500, reason: 'Could not store the message' });
      expect(d.errors).toEqual([boom]);
    }
  });

  it('stored: 200 and the events; duplicate: 200; overloaded: 503 with Retry-After; blocked: 403; empty: 200', async () => {
    const stored = deps(() => Promise.resolve({ kind: 'inserted', message: { id: 1 } as never, conversation: {} as never }));
    expect(await receiveMessage(stored, 'a' as AccountId, msg)).toEqual({ status: 200 });
    expect(stored.emitted).toEqual(['chats:message-received', 'chats:conversation-changed']);
    expect(await receiveMessage(deps(() => Promise.resolve({ kind: 'duplicate' })), 'a' as AccountId, msg)).toEqual({ status: 200 });
    expect(await receiveMessage(deps(() => Promise.resolve({ kind: 'overloaded', retryAfterSeconds: 2 })), 'a' as AccountId, msg)).toEqual({ status: 503, reason: 'Busy storing messages', retryAfterSeconds: 2 });
    expect(await receiveMessage(deps(() => Promise.reject(new Error('unused')), { isBlocked: () => true }), 'a' as AccountId, msg)).toEqual({ status: 403 });
    expect(await receiveMessage(deps(() => Promise.reject(new Error('unused'))), 'a' as AccountId, incoming('text/plain', Buffer.alloc(0)))).toEqual({ status: 200 });
  });
});

describe('mediaType (type/subtype of a Content-Type, RFC 3261 §20.15)', () => {
  it('is what precedes the first ";", trimmed and lower-cased', () => {
    expect(mediaType('Text/Plain;charset=UTF-8')).toBe('text/plain');
    expect(mediaType(' message/CPIM ')).toBe('message/cpim');
    expect(mediaType('text/plain ; a=b; c=d')).toBe('text/plain');
    expect(mediaType(';x')).toBe('');
    expect(mediaType('')).toBe('');
  });
});
