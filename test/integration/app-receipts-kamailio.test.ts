/**
 * Receipts (RFC 5438 IMDN over CPIM) between two app instances through a real Kamailio:
 * - bob online: alice's message is delivered (200) and bob's app reports `delivered` when it stored it;
 *   when bob's window shows it, `displayed` turns alice's message to read. The IMDNs are never messages.
 * - bob offline: msilo answers 202 (accepted by the server); when bob registers, msilo delivers it, bob's
 *   app sends `delivered`, and alice's 202 message becomes delivered (its code still 202).
 * - read receipts off at bob: delivered still comes, read never does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

describe('two app instances: delivery and read receipts through Kamailio (RFC 5438)', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let alice: App;
  let bob: App | null = null;

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(32_600, 200));
    alice = await startApp();
    const a = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp', cpim: true }));
    await waitRegistered(alice, a.id);
  });

  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  const receiptOf = (id: string): MessageDto | undefined => alice.of('chats:message-changed').filter((m) => m.id === id).at(-1);

  async function send(body: string): Promise<MessageDto> {
    const conversation = await alice.call('chats:open-conversation', { accountId: null, peer: 'bob@example.test' });
    const out = await alice.call('chats:send-message', { conversationId: conversation.id, body, expiresInSeconds: null, oversize: null });
    if (out.kind !== 'queued' || out.messages[0] === undefined) throw new Error('not queued');
    return out.messages[0];
  }

  async function bobShows(body: string): Promise<number> {
    if (bob === null) throw new Error('bob is not running');
    const [conversation] = await bob.call('chats:list-conversations', null);
    if (!conversation) throw new Error('bob has no conversation');
    const page = await bob.call('chats:page-messages', { conversationId: conversation.id, before: null, limit: 50 });
    const ids = page.messages.filter((m) => m.body === body).map((m) => m.id);
    return bob.call('chats:messages-displayed', { conversationId: conversation.id, messageIds: ids });
  }

  it('bob offline: msilo accepts (202); once bob registers and stores it, the message becomes delivered (code 202)', async () => {
    const m = await send('left at the server');
    const final = await waitFinal(alice, m.id);
    expect(final).toMatchObject({ state: 'accepted', code: 202, receipt: null });

    bob = await startApp();
    const b = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'udp', cpim: true }));
    await waitRegistered(bob, b.id);
    await waitFor(() => bob?.of('chats:message-received').some((x) => x.body === 'left at the server') ?? false, 'msilo delivered to bob', 20_000);
    await waitFor(() => receiptOf(m.id)?.receipt === 'delivered', 'alice got the delivery notification', 20_000);
    expect(receiptOf(m.id)).toMatchObject({ state: 'delivered', code: 202, receipt: 'delivered' });

    expect(await bobShows('left at the server')).toBe(1);
    await waitFor(() => receiptOf(m.id)?.receipt === 'read', 'alice got the display notification', 20_000);
    // the IMDNs were never messages at alice
    expect(alice.of('chats:message-received')).toEqual([]);
  });

  it('bob online: delivered (200) at once, read once shown; showing it again sends nothing more', async () => {
    const m = await send('hello online bob');
    await waitFor(() => receiptOf(m.id)?.receipt === 'delivered', 'delivered receipt', 20_000);
    expect(receiptOf(m.id)).toMatchObject({ state: 'delivered', code: 200 });
    expect(await bobShows('hello online bob')).toBe(1);
    await waitFor(() => receiptOf(m.id)?.receipt === 'read', 'read receipt', 20_000);
    expect(await bobShows('hello online bob')).toBe(0);
    expect(alice.of('chats:message-received')).toEqual([]);
    // bob's view: one conversation, only alice's two messages
    const [conversation] = await bob!.call('chats:list-conversations', null);
    const page = await bob!.call('chats:page-messages', { conversationId: conversation!.id, before: null, limit: 50 });
    expect(page.messages.map((x) => x.body).sort()).toEqual(['hello online bob', 'left at the server']);
  });

  it('read receipts off at bob: delivered still arrives, read never does', async () => {
    await bob!.call('settings:save-privacy', { sendTyping: true, sendReadReceipts: false, sharePresence: 'contacts' });
    const m = await send('do not tell me you read this');
    await waitFor(() => receiptOf(m.id)?.receipt === 'delivered', 'delivered receipt', 20_000);
    expect(await bobShows('do not tell me you read this')).toBe(0);
    // the proof that nothing is on its way: a later message's delivery receipt overtakes nothing
    const probe = await send('probe');
    await waitFor(() => receiptOf(probe.id)?.receipt === 'delivered', 'probe delivered', 20_000);
    expect(receiptOf(m.id)?.receipt).toBe('delivered');
  });
});
