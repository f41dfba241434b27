/**
 * Calls between two app instances through Kamailio (record-route), driven through the IPC handlers as the
 * renderer does: place, ring, answer, chat inside the call's dialog (RFC 3428 §2/§4), hold, hang up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto } from '#shared/domain/account.ts';
import type { CallDto } from '#shared/domain/call.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const callState = (app: App, id: string): CallDto | undefined => app.of('calls:call-changed').filter((c) => c.id === id).at(-1);

describe('a call between two app instances, with messages inside its dialog', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let alice: App;
  let bob: App;
  let bobAccount: AccountDto;

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(22300, 200));
    alice = await startApp();
    bob = await startApp();
    const aliceAccount = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp' }));
    bobAccount = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'udp' }));
    await waitRegistered(alice, aliceAccount.id);
    await waitRegistered(bob, bobAccount.id);
  });

  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  it('alice calls bob, bob answers, both chat in the call, alice hangs up', async () => {
    const placed = await alice.call('calls:place', { accountId: null, peer: 'sip:bob@example.test' });
    await waitFor(() => bob.of('calls:call-changed').some((c) => c.state === 'incoming'), 'incoming call at bob', 10_000);
    const incoming = bob.of('calls:call-changed').find((c) => c.state === 'incoming');
    expect(incoming).toMatchObject({ direction: 'in', peer: expect.stringContaining('alice@example.test') });
    await bob.call('calls:answer', { callId: incoming!.id });
    await waitFor(() => callState(alice, placed.id)?.state === 'connected', 'alice connected', 10_000);
    expect(callState(bob, incoming!.id)?.state).toBe('connected');

    const sent = await alice.call('calls:send-message', { callId: placed.id, body: 'can you see my screen?' });
    expect(sent.callId).toBe(placed.id);
    await waitFor(() => bob.of('chats:message-received').some((m) => m.body === 'can you see my screen?'), 'in-call message at bob', 10_000);
    expect(bob.of('chats:message-received').find((m) => m.body === 'can you see my screen?')?.callId).toBe(incoming!.id);
    await waitFor(() => alice.of('chats:message-changed').some((m) => m.id === sent.id && m.state === 'delivered'), 'delivered', 10_000);
    const fromBob = await bob.call('calls:send-message', { callId: incoming!.id, body: 'yes 👍' });
    await waitFor(() => alice.of('chats:message-received').some((m) => m.body === 'yes 👍' && m.callId === placed.id), 'reply in the call chat', 10_000);
    expect(fromBob.sentOutOfDialog).toBe(false);

    await alice.call('calls:set-held', { callId: placed.id, held: true });
    await waitFor(() => callState(bob, incoming!.id)?.remoteHold === true, 'bob sees remote hold', 10_000);
    await alice.call('calls:set-held', { callId: placed.id, held: false });
    await waitFor(() => callState(bob, incoming!.id)?.remoteHold === false, 'resumed', 10_000);

    await alice.call('calls:hang-up', { callId: placed.id });
    await waitFor(() => callState(bob, incoming!.id)?.state === 'ended', 'bob sees the end', 10_000);
    expect(callState(alice, placed.id)?.state).toBe('ended');
    // the in-call messages are part of the contact's conversation too
    const [conversation] = await bob.call('chats:list-conversations', null);
    const page = await bob.call('chats:page-messages', { conversationId: conversation!.id, before: null, limit: 10 });
    expect(page.messages.map((m) => m.body).sort()).toEqual(['can you see my screen?', 'yes 👍']);
  });
});
