import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingPagerMessage } from '../../../main/services/chats/pager.ts';
import { MessageRequestsService } from '../../../main/services/message-requests.ts';
import { openStorage, type Storage } from '../../../main/storage/storage.ts';
import { setup, type Setup } from './chats/harness.ts';

let seq = 0;
function incoming(from: string, body = 'hello', name: string | null = null): IncomingPagerMessage {
  seq++;
  return { from, fromDisplayName: name, contentType: 'text/plain', body: Buffer.from(body), callId: `mr-${String(seq)}`, cseq: 1, date: null, expiresSeconds: null, dialog: null };
}

describe('message requests and blocking (issue 10)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  async function both(): Promise<{ s: Setup; requests: MessageRequestsService }> {
    const ref: { requests: MessageRequestsService | null } = { requests: null };
    const s = await setup(storage, { isBlocked: (peer) => ref.requests?.isBlocked(peer) ?? false });
    ref.requests = await MessageRequestsService.open({ storage, contacts: s.contacts, emit: s.events.emit, now: () => 5_000 });
    return { s, requests: ref.requests };
  }
  const messagesOf = async (peer: string, s: Setup) => {
    const c = (await storage.listConversations()).find((x) => x.accountId === s.accountId && x.peer === peer);
    return c === undefined ? [] : (await storage.pageMessages(c.id, null, 100)).messages.map((m) => m.body);
  };

  it('a stranger opens a request; accepting adds the contact and makes it an ordinary conversation for good', async () => {
    const { s, requests } = await both();
    const peer = `sip:stranger${String(seq)}@example.test`;
    expect(await s.service.receive(s.accountId, incoming(peer, 'hi, it is Dana', 'Dana'))).toEqual({ status: 200 });
    const request = s.events.of('chats:conversation-changed').at(-1);
    expect(request).toMatchObject({ peer, unknownSender: true, blocked: false, unread: 1, title: 'Dana' });
    if (!request) throw new Error('no conversation');
    const accepted = await requests.accept(request.id);
    expect(accepted).toMatchObject({ unknownSender: false, title: 'Dana' });
    const contact = await storage.findContactByAddress(peer);
    expect(contact).toMatchObject({ displayName: 'Dana', address: peer, blocked: false });
    // removing the contact later does not turn the conversation back into a request
    if (contact) await s.contacts.remove(contact.id);
    expect(await storage.getConversation(request.id)).toMatchObject({ unknownSender: false, contactId: null });
  });

  it('a blocked address gets 403 for every later MESSAGE (any spelling), nothing stored; unblocking lets it in again', async () => {
    const { s, requests } = await both();
    const peer = `sip:spam${String(seq)}@spam.test`;
    await s.service.receive(s.accountId, incoming(peer, 'first'));
    await requests.block(peer);
    expect(s.events.of('contacts:blocked-changed').at(-1)).toEqual([expect.objectContaining({ address: peer, blockedAt: 5_000, contactId: null })]);
    expect(s.events.of('chats:conversation-changed').at(-1)).toMatchObject({ peer, blocked: true });
    const before = s.events.of('chats:message-received').length;
    for (const from of [peer, `"Spam" <${peer.replace('spam.test', 'SPAM.test')};transport=tcp>`, peer.replace('sip:', 'sips:')]) {
      expect(await s.service.receive(s.accountId, incoming(from, 'again'))).toEqual({ status: 403 });
    }
    expect(s.events.of('chats:message-received').length).toBe(before);
    expect(await messagesOf(peer, s)).toEqual(['first']);
    expect(requests.isBlocked(peer)).toBe(true);

    await requests.unblock(peer);
    expect(requests.isBlocked(peer)).toBe(false);
    expect(await s.service.receive(s.accountId, incoming(peer, 'sorry'))).toEqual({ status: 200 });
    expect(await messagesOf(peer, s)).toEqual(['sorry', 'first']);
  });

  it('blocking a contact marks the contact; another contact on the same host is never affected', async () => {
    const { s, requests } = await both();
    const eve = await s.contacts.save({ id: null, displayName: 'Eve', address: `sip:eve${String(seq)}@example.test`, note: '' });
    const bob = await s.contacts.save({ id: null, displayName: 'Bob', address: `sip:bob${String(seq)}@example.test`, note: '' });
    await requests.block(eve.address);
    const contacts = s.events.of('contacts:changed').at(-1) ?? [];
    expect(contacts.find((c) => c.id === eve.id)).toMatchObject({ blocked: true });
    expect(contacts.find((c) => c.id === bob.id)).toMatchObject({ blocked: false });
    expect(s.events.of('contacts:blocked-changed').at(-1)).toContainEqual(expect.objectContaining({ contactId: eve.id, displayName: 'Eve' }));
    expect(await s.service.receive(s.accountId, incoming(eve.address))).toEqual({ status: 403 });
    expect(await s.service.receive(s.accountId, incoming(bob.address, 'from bob'))).toEqual({ status: 200 });
    expect(s.events.of('chats:message-received').map((m) => m.body)).toContain('from bob');
    expect(s.events.of('chats:conversation-changed').at(-1)).toMatchObject({ peer: bob.address, unknownSender: false, blocked: false });
  });

  it('the block list survives a restart (loaded from storage)', async () => {
    const { requests } = await both();
    const peer = `sip:persist${String(seq)}@spam.test`;
    await requests.block(peer);
    const { requests: again } = await both();
    expect(again.isBlocked(peer)).toBe(true);
  });

  it('deleting a request removes it and its messages; a later message opens a new request', async () => {
    const { s } = await both();
    const peer = `sip:once${String(seq)}@example.test`;
    await s.service.receive(s.accountId, incoming(peer, 'one'));
    const conv = s.events.of('chats:conversation-changed').at(-1);
    if (!conv) throw new Error('no conversation');
    await s.service.deleteConversation(conv.id);
    expect(await storage.getConversation(conv.id)).toBeNull();
    await s.service.receive(s.accountId, incoming(peer, 'two'));
    expect(s.events.of('chats:conversation-changed').at(-1)).toMatchObject({ peer, unknownSender: true });
    expect(await messagesOf(peer, s)).toEqual(['two']);
  });

  it('writing first to a request sender (open conversation) accepts it', async () => {
    const { s } = await both();
    const peer = `sip:reply${String(seq)}@example.test`;
    await s.service.receive(s.accountId, incoming(peer));
    expect((await s.conversation(peer)).unknownSender).toBe(false);
  });

  it('refuses to block what is no address', async () => {
    const { requests } = await both();
    await expect(requests.block('   ')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(requests.accept('99999' as never)).rejects.toMatchObject({ code: 'not-found' });
  });
});
