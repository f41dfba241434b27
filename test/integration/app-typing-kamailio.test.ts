/**
 * "typing…" between two app instances through a real Kamailio (RFC 3994): alice's composer reports
 * typing, her app learns from bob's OPTIONS answer (RFC 3261 §11, Accept) that he takes
 * application/im-iscomposing+xml, sends `active`, and bob's app shows alice typing — without storing
 * anything or creating a conversation; emptying the composer sends `idle`; a real message ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

describe('two app instances: typing indicator through Kamailio (RFC 3994)', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let alice: App;
  let bob: App;

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(24_700, 200));
    alice = await startApp();
    bob = await startApp();
    const a = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp' }));
    const b = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'udp' }));
    await waitRegistered(alice, a.id);
    await waitRegistered(bob, b.id);
  });

  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  const typingAtBob = () => bob.of('chats:peer-typing-changed').filter((e) => e.peer === 'sip:alice@example.test').map((e) => e.typing);

  it('active then idle reach bob as typing… on and off, and nothing is stored', async () => {
    const conversation = await alice.call('chats:open-conversation', { accountId: null, peer: 'bob@example.test' });
    await alice.call('typing:set-composing', { conversationId: conversation.id, composing: true });
    await waitFor(() => typingAtBob().includes(true), 'bob sees alice typing', 15_000);
    await alice.call('typing:set-composing', { conversationId: conversation.id, composing: false });
    await waitFor(() => typingAtBob().at(-1) === false, 'bob sees alice stop typing', 15_000);
    expect(typingAtBob()).toEqual([true, false]);
    // never stored, never a conversation, never a message event
    expect(await bob.call('chats:list-conversations', null)).toEqual([]);
    expect(bob.of('chats:message-received')).toEqual([]);
  });

  it('typing again, then the message itself ends typing… at bob (no idle needed)', async () => {
    const [conversation] = await alice.call('chats:list-conversations', null);
    if (!conversation) throw new Error('no conversation');
    await alice.call('typing:set-composing', { conversationId: conversation.id, composing: true });
    await waitFor(() => typingAtBob().length === 3, 'bob sees alice typing again', 15_000);
    await alice.call('chats:send-message', { conversationId: conversation.id, body: 'here it is', expiresInSeconds: null, oversize: null });
    await waitFor(() => bob.of('chats:message-received').some((m) => m.body === 'here it is'), 'bob got the message', 15_000);
    await waitFor(() => typingAtBob().length === 4, 'typing ended by the message', 15_000);
    expect(typingAtBob()).toEqual([true, false, true, false]);
    expect(bob.of('chats:message-received').map((m) => m.body)).toEqual(['here it is']);
  });
});
