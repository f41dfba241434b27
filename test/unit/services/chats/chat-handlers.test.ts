import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatHandlers } from '../../../../main/services/chats/chat-handlers.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { invokeChannels } from '#shared/ipc/contract.ts';
import { MessageRequestsService } from '../../../../main/services/message-requests.ts';
import { ok200, setup, type Setup } from './harness.ts';

const requestsOf = (s: Setup, storage: Storage) => MessageRequestsService.open({ storage, contacts: s.contacts, emit: s.events.emit });

describe('createChatHandlers', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it('serves exactly the chats:* channels of the contract', async () => {
    const s = await setup(storage);
    const handlers = createChatHandlers({ chats: s.service, storage, emit: s.events.emit, requests: await requestsOf(s, storage) });
    expect(Object.keys(handlers).sort()).toEqual(invokeChannels.filter((c) => c.startsWith('chats:')).sort());
  });

  it('open → send → page → retry of a delivered message is refused → delete', async () => {
    const s = await setup(storage);
    s.pager.auto = () => ok200;
    const h = createChatHandlers({ chats: s.service, storage, emit: s.events.emit, requests: await requestsOf(s, storage) });
    const conv = await h['chats:open-conversation']({ accountId: s.accountId, peer: 'bob@example.test' });
    expect(conv.peer).toBe('sip:bob@example.test');
    const sent = await h['chats:send-message']({ conversationId: conv.id, body: 'hi', expiresInSeconds: null, oversize: null });
    await s.service.idle();
    const page = await h['chats:page-messages']({ conversationId: conv.id, before: null, limit: 10 });
    expect(page.messages.map((m) => [m.body, m.state])).toEqual([['hi', 'delivered']]);
    const id = sent.kind === 'queued' ? sent.messages[0]?.id : undefined;
    if (id === undefined) throw new Error('not queued');
    await expect(Promise.resolve().then(() => h['chats:retry-message']({ messageId: id }))).rejects.toMatchObject({ code: 'invalid-state' });
    expect(await h['chats:delete-message']({ messageId: id })).toBeNull();
    expect((await h['chats:page-messages']({ conversationId: conv.id, before: null, limit: 10 })).total).toBe(0);
  });
});
