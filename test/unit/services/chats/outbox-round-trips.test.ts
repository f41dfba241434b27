/**
 * Issue 18, the send path: between "this message goes out now" and its transmission the outbox makes
 * one storage-worker round trip — beginSending checks the message is still to be sent, stores its wire
 * ids (marking it sending) and reads the account, the conversation's S/MIME setting and the S/MIME
 * identity (storage/begin-sending.ts). It was three to six, each waiting for the one before (message,
 * account, UPDATE beside the protection row, identity, identity again, account again). A message that
 * must wait (destination held, account not registered) is read first, as before (the other tests). The wire ids are still stored before the
 * transmission (chat-service-wire-ids.test.ts), and the S/MIME plan still applies (smime-chat.test.ts).
 * Around it: opening a conversation is one call, the send command two (the conversation with its account
 * for sizing; the insert with the conversation after it), and the outcome one (final state + conversation).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AccountId } from '#shared/domain/ids.ts';
import { ChatService } from '../../../../main/services/chats/chat-service.ts';
import type { PagerOutcome } from '../../../../main/services/chats/pager.ts';
import { AccountsService } from '../../../../main/services/accounts.ts';
import { createTestSecretStore } from '../../../../main/services/secret-store.ts';
import { SmimeService } from '../../../../main/services/security/smime-service.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { accountRecord, tempDir } from '../../storage/fixtures.ts';
import { EventLog, ScriptedPager } from './harness.ts';

const ALICE = 'acc-rt-alice' as AccountId;
const tmp = tempDir();
afterAll(() => tmp.remove());

/** the storage (frozen: wrapped, not proxied), and each worker call it makes in order (one round trip each) */
function counted(storage: Storage): { storage: Storage; calls: string[] } {
  const calls: string[] = [];
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(storage)) {
    wrapped[name] = (...args: unknown[]) => {
      calls.push(name);
      return (value as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { storage: wrapped as unknown as Storage, calls };
}

describe('outbox: storage round trips before the wire', () => {
  let raw: Storage | null = null;
  afterEach(async () => {
    await raw?.close();
    raw = null;
  });

  it.each([
    ['without S/MIME', false, false],
    ['with the S/MIME service (no certificate: sent in clear)', true, false],
    ['with an S/MIME identity turned on (signed)', true, true],
  ])('%s: one round trip from the queue to the transmission', async (_, withSmime, identity) => {
    raw = await openStorage(tmp.file(`rt-${String(withSmime)}-${String(identity)}.db`));
    await raw.saveAccount(accountRecord({ id: ALICE, aor: 'sip:alice@example.test' }));
    const { storage, calls } = counted(raw);
    const secrets = createTestSecretStore();
    const events = new EventLog();
    const accounts = new AccountsService({ storage, secrets, emit: events.emit });
    const smime = withSmime ? await SmimeService.open({ storage, secrets, accounts, now: () => 1_000 }) : null;
    if (smime !== null && identity) await smime.generate(ALICE, 'ecdsa-p256');
    const pager = new ScriptedPager();
    pager.congestionControlled = true; // a signed MESSAGE is over 1300 bytes: a TCP account
    let atSend: string[] = [];
    pager.auto = (): PagerOutcome => {
      // from the send's own insert (the last call before the outbox takes over) to the transmission
      atSend = calls.slice(calls.lastIndexOf('queueOutgoing') + 1);
      return { kind: 'response', status: 200, reason: 'OK', accept: null };
    };
    const chats = new ChatService({
      storage, sender: pager, emit: events.emit, now: () => 1_000,
      ...(smime !== null ? { smime: smime.receiveDeps(), smimeSend: smime } : {}),
      onError: (m, e) => {
        throw new Error(`${m}: ${String(e)}`);
      },
    });
    const before = calls.length;
    const bob = await chats.openConversation(ALICE, 'sip:bob@example.test');
    // opening the conversation: the account, the contact's name and the conversation in one call
    expect(calls.slice(before)).toEqual(['openConversationFor']);
    const out = await chats.send({ conversationId: bob.id, body: 'hello', expiresInSeconds: null, oversize: null });
    if (out.kind !== 'queued') throw new Error('not queued');
    await chats.idle();
    const sending = calls.slice(calls.indexOf('openConversationFor') + 1);
    // the send command: the conversation with its account (sizing), then the insert with the conversation after it
    expect(sending.slice(0, 2)).toEqual(['sendContext', 'queueOutgoing']);
    // after the wire: the final state with the conversation after it, one call (no getConversation)
    expect(sending.slice(sending.indexOf('beginSending') + 1)).toEqual(['finishSending']);
    const settled = await raw.getMessage(out.messages[0]!.id);
    expect([settled?.state, settled?.reason]).toEqual(['delivered', null]);
    expect(pager.requests).toHaveLength(1);
    expect(atSend).toEqual(['beginSending']);
    const stored = await raw.getStoredMessage(out.messages[0]!.id);
    expect(stored?.message.state).toBe('delivered');
    expect(stored?.message.protection?.signature ?? null).toBe(identity ? 'verified' : null);
    expect(pager.requests[0]?.contentType.startsWith('application/pkcs7-mime')).toBe(identity);
  });

  it("the next message's beginSending reaches the worker before the previous message's final state", async () => {
    raw = await openStorage(tmp.file('rt-order.db'));
    await raw.saveAccount(accountRecord({ id: ALICE, aor: 'sip:alice@example.test' }));
    const { storage, calls } = counted(raw);
    const events = new EventLog();
    const pager = new ScriptedPager();
    const chats = new ChatService({
      storage, sender: pager, emit: events.emit, now: () => 1_000,
      onError: (m, e) => {
        throw new Error(`${m}: ${String(e)}`);
      },
    });
    const bob = await chats.openConversation(ALICE, 'sip:bob@example.test');
    const ids: string[] = [];
    for (const body of ['one', 'two']) {
      const out = await chats.send({ conversationId: bob.id, body, expiresInSeconds: null, oversize: null });
      if (out.kind !== 'queued') throw new Error('not queued');
      ids.push(out.messages[0]!.id);
    }
    await pager.waitForRequests(1);
    pager.answer(0, { kind: 'response', status: 200, reason: 'OK', accept: null });
    await pager.waitForRequests(2);
    pager.answer(1, { kind: 'response', status: 200, reason: 'OK', accept: null });
    await chats.idle();
    // RFC 3428 §8 still holds (one at a time); the first one's commit no longer delays the second one's send
    expect(calls.filter((c) => c === 'beginSending' || c === 'finishSending')).toEqual(['beginSending', 'beginSending', 'finishSending', 'finishSending']);
    for (const id of ids) expect((await raw.getMessage(id as never))?.state).toBe('delivered');
    // 'delivered' is announced only once it is stored, and after 'sending'
    const states = events.of('chats:message-changed').filter((m) => m.id === ids[0]).map((m) => m.state);
    expect(states).toEqual(['queued', 'sending', 'delivered']);
  });
});
