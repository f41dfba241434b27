/**
 * The whole main side as the renderer uses it: two app instances (alice, bob), each built by
 * createAppServices exactly as the Electron app does, register to a real Kamailio and chat through the
 * IPC handlers. RFC 3428 pager mode end to end, including store-and-forward (msilo 202) and the self test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto } from '#shared/domain/account.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, lastState, startApp, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

describe('two app instances chat through Kamailio (RFC 3428 pager mode)', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let alice: App;
  let bob: App;
  let aliceAccount: AccountDto;

  beforeAll(async () => {
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(22100, 200));
    alice = await startApp();
    bob = await startApp();
  });

  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  it('a message to an offline user is "accepted by the server" (202, msilo) and reaches bob once he registers', async () => {
    aliceAccount = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp' }));
    await waitRegistered(alice, aliceAccount.id);
    const conversation = await alice.call('chats:open-conversation', { accountId: null, peer: 'bob@example.test' });
    const outcome = await alice.call('chats:send-message', { conversationId: conversation.id, body: 'are you there? ☕', expiresInSeconds: null, oversize: null });
    if (outcome.kind !== 'queued') throw new Error('expected queued');
    const sent = outcome.messages[0];
    if (!sent) throw new Error('no message');
    await waitFinal(alice, sent.id);
    expect(lastState(alice, sent.id)).toMatchObject({ state: 'accepted', code: 202 });

    const bobAccount = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'tcp' }));
    await waitRegistered(bob, bobAccount.id);
    await waitFor(() => bob.of('chats:message-received').some((m) => m.body === 'are you there? ☕'), 'stored message delivered to bob', 15_000);
    const [conversationAtBob] = await bob.call('chats:list-conversations', null);
    expect(conversationAtBob).toMatchObject({ peer: 'sip:alice@example.test', unknownSender: true, unread: 1 });
    const page = await bob.call('chats:page-messages', { conversationId: conversationAtBob!.id, before: null, limit: 50 });
    expect(page.messages.map((m) => m.body)).toEqual(['are you there? ☕']);
  });

  it('both ways while both are online: "delivered" (200) with the UTF-8 body intact', async () => {
    const [conversationAtBob] = await bob.call('chats:list-conversations', null);
    const reply = await bob.call('chats:send-message', { conversationId: conversationAtBob!.id, body: 'yes — ünïcödé ✓', expiresInSeconds: 300, oversize: null });
    if (reply.kind !== 'queued' || !reply.messages[0]) throw new Error('expected queued');
    await waitFinal(bob, reply.messages[0].id);
    expect(lastState(bob, reply.messages[0].id)).toMatchObject({ state: 'delivered', code: 200 });
    await waitFor(() => alice.of('chats:message-received').some((m) => m.body === 'yes — ünïcödé ✓'), 'alice got the reply', 10_000);
    const atAlice = alice.of('chats:message-received').find((m) => m.body === 'yes — ünïcödé ✓');
    expect(atAlice).toMatchObject({ direction: 'in', state: 'received' });
    expect(atAlice?.expiresAt).not.toBeNull();
  });

  it('a message to an unknown user fails with the reason in plain words', async () => {
    const conversation = await alice.call('chats:open-conversation', { accountId: null, peer: 'sip:nobody@example.test' });
    const outcome = await alice.call('chats:send-message', { conversationId: conversation.id, body: 'hello?', expiresInSeconds: null, oversize: null });
    if (outcome.kind !== 'queued' || !outcome.messages[0]) throw new Error('expected queued');
    await waitFinal(alice, outcome.messages[0].id);
    expect(lastState(alice, outcome.messages[0].id)).toMatchObject({ state: 'failed', code: 404, reason: 'no such user (404)' });
  });

  it('finds history by full-text search, and the self test explains the outcome', async () => {
    const hits = await alice.call('chats:search', { query: 'ünïcödé', limit: 10 });
    expect(hits.map((h) => h.message.body)).toEqual(['yes — ünïcödé ✓']);
    const selfTest = await alice.call('diagnostics:send-test-message', { accountId: aliceAccount.id });
    expect(selfTest).toMatchObject({ ok: true, code: 200 });
    expect(selfTest.explanation).toMatch(/works/);
    // the echo of the self test is answered but never becomes a conversation: the 200 the self test got
    // is that answer (Kamailio relayed the MESSAGE to alice's own contact), given after deciding not to store
    expect((await alice.call('chats:list-conversations', null)).map((c) => c.peer)).not.toContain('sip:alice@example.test');
    const trace = await alice.call('diagnostics:list-trace', { accountId: aliceAccount.id, callId: null, limit: 500 });
    expect(trace.some((t) => t.summary.startsWith('MESSAGE'))).toBe(true);
    expect(trace.every((t) => !t.text.includes('alice-secret'))).toBe(true);
  });
});
