/**
 * RFC 3428 §8 size rule end to end, two app instances through Kamailio: over UDP a MESSAGE over 1300 bytes
 * is never sent silently (chats:send-message answers needs-choice); with oversize 'split' the numbered
 * parts, each ≤ 1300 bytes on the wire, arrive at bob in order; over TCP the same text goes as one MESSAGE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDto } from '#shared/domain/account.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, startApp, storedWith, waitFinal, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let sipPort = 0;
let alice: App;
let bob: App;
let aliceAccount: AccountDto;

const words = Array.from({ length: 700 }, (_, i) => `w${String(i)}`);
const big = `big ${String(Date.now())} ${words.join(' ')} ✓`;

beforeAll(async () => {
  ({ kamailio, sipPort } = await startKamailioOnFreePorts(23_600, 200));
  alice = await startApp();
  bob = await startApp();
  aliceAccount = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp' }));
  const bobAccount = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'tcp' }));
  await waitRegistered(alice, aliceAccount.id);
  await waitRegistered(bob, bobAccount.id);
}, 40_000);

afterAll(async () => {
  await alice?.services.dispose();
  await bob?.services.dispose();
  await kamailio?.stop();
}, 30_000);

const sentMessages = async (text: string) =>
  (await alice.call('diagnostics:list-trace', { accountId: aliceAccount.id, callId: null, limit: 5000 })).filter(
    (t) => t.direction === 'sent' && t.summary === 'MESSAGE' && t.text.includes(text),
  );

describe('RFC 3428 §8 size limit through Kamailio', () => {
  it('over UDP, a request over 1300 bytes MUST NOT be sent without a choice; split parts arrive at bob in order', async () => {
    expect(Buffer.byteLength(big)).toBeGreaterThan(3000);
    const conversation = await alice.call('chats:open-conversation', { accountId: aliceAccount.id, peer: 'bob@example.test' });
    const ask = await alice.call('chats:send-message', { conversationId: conversation.id, body: big, expiresInSeconds: null, oversize: null });
    expect(ask).toMatchObject({ kind: 'needs-choice', limit: 1300 });
    if (ask.kind !== 'needs-choice') throw new Error('expected needs-choice');
    expect(ask.bytes).toBeGreaterThan(1300);
    expect((await storedWith(alice, 'sip:bob@example.test')).total).toBe(0);

    const split = await alice.call('chats:send-message', { conversationId: conversation.id, body: big, expiresInSeconds: null, oversize: 'split' });
    if (split.kind !== 'queued') throw new Error('expected queued');
    expect(split.messages.length).toBeGreaterThanOrEqual(3);
    for (const m of split.messages) expect((await waitFinal(alice, m.id)).state).toBe('delivered');
    const parts = split.messages.map((m) => m.body);
    expect(parts.map((p) => p.replace(/^\(\d+\/\d+\) /, '')).join('')).toBe(big);

    await waitFor(() => bob.of('chats:message-received').length >= parts.length, 'bob got every part');
    expect((await storedWith(bob, 'sip:alice@example.test')).bodies).toEqual(parts);
    // on the wire: every part's MESSAGE fits 1300 bytes over UDP, also the ones carrying credentials (the first
    // part is challenged with 407; later parts carry the cached Proxy-Authorization at once, RFC 3261 §22.3)
    for (const part of parts) {
      const wire = await sentMessages(part.slice(0, 60));
      expect(wire.some((w) => /\r\nProxy-Authorization: Digest /.test(w.text))).toBe(true);
      for (const w of wire) {
        expect(w.transport).toBe('UDP');
        expect(Buffer.byteLength(w.text)).toBeLessThanOrEqual(1300);
      }
    }
  }, 40_000);

  it('over TCP (congestion controlled) the same text MUST go as one MESSAGE', async () => {
    const tcp = await alice.call('accounts:save', { ...accountInput({ user: 'alice', sipPort, transport: 'tcp' }), id: aliceAccount.id });
    await waitFor(
      () => alice.of('accounts:registration-changed').filter((r) => r.accountId === tcp.id && r.registration.state === 'registered').length >= 2,
      'alice registered again over TCP',
      15_000,
    );
    const text = big.replace('big', 'tcp');
    const conversation = await alice.call('chats:open-conversation', { accountId: aliceAccount.id, peer: 'bob@example.test' });
    const outcome = await alice.call('chats:send-message', { conversationId: conversation.id, body: text, expiresInSeconds: null, oversize: null });
    if (outcome.kind !== 'queued') throw new Error(`expected queued, got ${outcome.kind}`);
    expect(outcome.messages).toHaveLength(1);
    expect((await waitFinal(alice, outcome.messages[0]!.id)).state).toBe('delivered');
    await waitFor(() => bob.of('chats:message-received').some((m) => m.body === text), 'bob got it whole');
    const wire = await sentMessages(text);
    expect(wire).toHaveLength(2); // 407, then with credentials
    for (const w of wire) {
      expect(w.transport).toBe('TCP');
      expect(Buffer.byteLength(w.text)).toBeGreaterThan(1300);
    }
  }, 40_000);
});
