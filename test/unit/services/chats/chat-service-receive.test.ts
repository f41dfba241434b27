import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingPagerMessage } from '../../../../main/services/chats/pager.ts';
import { formatCpim } from '../../../../main/sip/ua/cpim.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { setup, type Setup } from './harness.ts';

let seq = 0;
function incoming(over: Partial<IncomingPagerMessage> = {}): IncomingPagerMessage {
  seq++;
  return {
    from: 'sip:bob@example.test',
    fromDisplayName: 'Bob',
    contentType: 'text/plain;charset=UTF-8',
    body: Buffer.from('hello', 'utf8'),
    callId: `call-${String(seq)}@example.test`,
    cseq: 1,
    date: null,
    expiresSeconds: null,
    dialog: null,
    ...over,
  };
}

function cpimBody(text: string, messageId: string): Buffer {
  return formatCpim({
    from: { uri: 'sip:bob@example.test' },
    to: { uri: 'sip:alice@example.test' },
    dateTime: new Date(1_600_000_000_000),
    messageId,
    content: text,
  });
}

describe('ChatService.receive (RFC 3428 §7 UAS)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  async function received(s: Setup): Promise<{ body: string; state: string }[]> {
    const list = (await storage.listConversations()).filter((c) => c.accountId === s.accountId);
    const out: { body: string; state: string }[] = [];
    for (const c of list) for (const m of (await storage.pageMessages(c.id, null, 100)).messages) out.push({ body: m.body, state: m.state });
    return out;
  }

  it('stores a text/plain message, answers 200, emits message-received and conversation-changed', async () => {
    const s = await setup(storage);
    const answer = await s.service.receive(s.accountId, incoming({ body: Buffer.from('grüße 👋', 'utf8') }));
    expect(answer).toEqual({ status: 200 });
    const [m] = s.events.of('chats:message-received');
    expect(m).toMatchObject({ direction: 'in', state: 'received', body: 'grüße 👋', createdAt: s.clock.now, expiresAt: null });
    const conv = s.events.of('chats:conversation-changed').at(-1);
    expect(conv).toMatchObject({ peer: 'sip:bob@example.test', unread: 1, lastMessage: { id: m?.id } });
  });

  it('a sender not in the contacts gets a conversation flagged unknownSender, titled by its display name', async () => {
    const s = await setup(storage);
    await s.service.receive(s.accountId, incoming({ from: 'sip:mallory@spam.test', fromDisplayName: 'Mallory' }));
    expect(s.events.of('chats:conversation-changed').at(-1)).toMatchObject({
      peer: 'sip:mallory@spam.test',
      unknownSender: true,
      contactId: null,
      title: 'Mallory',
    });
  });

  it('a sender in the contacts is not flagged', async () => {
    const s = await setup(storage);
    const contact = await s.contacts.save({ id: null, displayName: 'Erin', address: `sip:erin${String(seq)}@example.test`, note: '' });
    await s.service.receive(s.accountId, incoming({ from: contact.address, fromDisplayName: 'whatever' }));
    expect(s.events.of('chats:conversation-changed').at(-1)).toMatchObject({ unknownSender: false, contactId: contact.id, title: 'Erin' });
  });

  it('a retransmission (same Call-ID and CSeq) is stored once and answered 200 again, without a second event', async () => {
    const s = await setup(storage);
    const m = incoming();
    expect(await s.service.receive(s.accountId, m)).toEqual({ status: 200 });
    expect(await s.service.receive(s.accountId, m)).toEqual({ status: 200 });
    expect(s.events.of('chats:message-received')).toHaveLength(1);
    expect(await received(s)).toHaveLength(1);
  });

  it('message/cpim is unwrapped; a re-delivery with the same CPIM Message-ID (new Call-ID) is stored once', async () => {
    const s = await setup(storage);
    const body = cpimBody('über CPIM', `dup-${String(seq)}`);
    expect(await s.service.receive(s.accountId, incoming({ contentType: 'message/cpim', body }))).toEqual({ status: 200 });
    expect(await s.service.receive(s.accountId, incoming({ contentType: 'Message/CPIM', body }))).toEqual({ status: 200 });
    expect(await received(s)).toEqual([{ body: 'über CPIM', state: 'received' }]);
    // with no SIP Date, the CPIM DateTime is kept as the message's date
    expect(s.events.of('chats:message-received')[0]).toMatchObject({ contentType: 'text/plain;charset=UTF-8', dateHeader: 1_600_000_000_000 });
  });

  it('answers 415 with Accept: text/plain, message/cpim for text/html, and stores nothing', async () => {
    const s = await setup(storage);
    const answer = await s.service.receive(s.accountId, incoming({ contentType: 'text/html', body: Buffer.from('<b>hi</b>') }));
    expect(answer).toEqual({ status: 415, accept: ['text/plain', 'message/cpim'] });
    expect(s.events.all).toEqual([]);
  });

  it('answers 415 for CPIM wrapping something other than text/plain, 400 for a malformed CPIM body', async () => {
    const s = await setup(storage);
    const html = formatCpim({
      from: { uri: 'sip:bob@example.test' },
      to: { uri: 'sip:alice@example.test' },
      dateTime: new Date(0),
      messageId: 'x1',
      contentType: 'text/html',
      content: '<p>x</p>',
    });
    expect(await s.service.receive(s.accountId, incoming({ contentType: 'message/cpim', body: html }))).toMatchObject({ status: 415 });
    expect(await s.service.receive(s.accountId, incoming({ contentType: 'message/cpim', body: Buffer.from('From: x') }))).toEqual({
      status: 400,
      reason: 'Malformed CPIM body',
    });
    expect(await s.service.receive(s.accountId, incoming({ contentType: null }))).toMatchObject({ status: 400 });
  });

  it('decodes a declared charset (ISO-8859-1)', async () => {
    const s = await setup(storage);
    await s.service.receive(s.accountId, incoming({ contentType: 'text/plain; charset="ISO-8859-1"', body: Buffer.from([0x67, 0x72, 0xfc, 0xdf]) }));
    expect(s.events.of('chats:message-received')[0]?.body).toBe('grüß');
  });

  describe('expiry (§7)', () => {
    it('Expires counts from the Date header: an expired message is stored as expired, not unread', async () => {
      const s = await setup(storage);
      const date = new Date(s.clock.now - 120_000);
      await s.service.receive(s.accountId, incoming({ date, expiresSeconds: 60 }));
      expect(s.events.of('chats:message-received')[0]).toMatchObject({
        state: 'expired',
        dateHeader: date.getTime(),
        expiresAt: date.getTime() + 60_000,
      });
      expect(s.events.of('chats:conversation-changed').at(-1)?.unread).toBe(0);
    });

    it('with a Date, a message still within Expires is received', async () => {
      const s = await setup(storage);
      const date = new Date(s.clock.now - 30_000);
      await s.service.receive(s.accountId, incoming({ date, expiresSeconds: 60 }));
      expect(s.events.of('chats:message-received')[0]).toMatchObject({ state: 'received', expiresAt: date.getTime() + 60_000 });
    });

    it('without a Date, Expires counts from receipt', async () => {
      const s = await setup(storage);
      await s.service.receive(s.accountId, incoming({ expiresSeconds: 0 }));
      await s.service.receive(s.accountId, incoming({ expiresSeconds: 5 }));
      expect(s.events.of('chats:message-received').map((m) => [m.state, m.expiresAt])).toEqual([
        ['expired', s.clock.now],
        ['received', s.clock.now + 5_000],
      ]);
    });
  });

  it('an empty MESSAGE is answered 200 and not stored', async () => {
    const s = await setup(storage);
    expect(await s.service.receive(s.accountId, incoming({ contentType: null, body: Buffer.alloc(0) }))).toEqual({ status: 200 });
    expect(s.events.all).toEqual([]);
  });
});
