import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, MessageId } from '#shared/domain/ids.ts';
import type { SendOutcome } from '#shared/ipc/contract.ts';
import { tempDir } from '../../storage/fixtures.ts';
import { ScriptedPager, ok200, response, setup } from './harness.ts';

function only(outcome: SendOutcome): MessageDto {
  if (outcome.kind !== 'queued' || outcome.messages.length !== 1 || outcome.messages[0] === undefined) {
    throw new Error('expected one queued message');
  }
  return outcome.messages[0];
}

describe('outgoing pager MESSAGE identity (RFC 3261 §17.2.3: a re-send is a retransmission)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());
  let storage: Storage | null = null;
  afterEach(async () => {
    await storage?.close();
    storage = null;
  });

  /** the app starts again on `file`: resuming sends exactly `wire` once more, and the message ends delivered */
  async function expectResentOnRestart(file: string, accountId: AccountId, id: MessageId, wire: unknown, stateBefore?: string): Promise<void> {
    storage = await openStorage(file);
    if (stateBefore !== undefined) expect((await storage.getMessage(id))?.state).toBe(stateBefore);
    const pager = new ScriptedPager();
    pager.auto = () => ok200;
    const after = await setup(storage, { accountId, pager });
    expect(await after.service.resume(after.accountId)).toBe(1);
    await after.service.idle();
    expect(pager.requests.map((r) => r.wire)).toEqual([wire]);
    expect((await storage.getMessage(id))?.state).toBe('delivered');
  }

  it('MUST store Call-ID, CSeq, From tag and CPIM Message-ID before the first transmission, and send with them', async () => {
    storage = await openStorage(':memory:');
    const st = storage;
    const pager = new ScriptedPager();
    const seenAtSend: (string | number | null)[][] = [];
    const s = await setup(st, { pager, cpim: true });
    const bob = await s.conversation('sip:bob@example.test');
    pager.auto = () => ok200;
    const origSend = pager.send.bind(pager);
    pager.send = async (request) => {
      // what storage holds at the moment the request goes out
      const [m] = await st.pendingOutbox(s.accountId);
      seenAtSend.push([m?.message.state ?? null, m?.sipCallId ?? null, m?.cseq ?? null, m?.sipFromTag ?? null, m?.cpimMessageId ?? null]);
      return origSend(request);
    };
    const m = only(await s.service.send({ conversationId: bob.id, body: 'hello', expiresInSeconds: null, oversize: null }));
    await s.service.idle();
    const sent = pager.requests[0]?.wire;
    expect(sent).toBeDefined();
    expect(sent?.callId).toMatch(/^[0-9a-f]{32}$/);
    expect(sent?.fromTag).toMatch(/^[0-9a-f]{16}$/);
    const stored = await st.getStoredMessage(m.id);
    expect(seenAtSend).toEqual([['sending', sent?.callId, sent?.cseq, sent?.fromTag, stored?.cpimMessageId]]);
    expect(stored?.message.state).toBe('delivered');
  });

  it('a message in flight when the app died is re-sent after the restart with the same Call-ID, CSeq and From tag', async () => {
    const file = tmp.file('wire-restart.db');
    storage = await openStorage(file);
    const before = await setup(storage);
    const bob = await before.conversation('sip:bob@example.test');
    const m1 = only(await before.service.send({ conversationId: bob.id, body: 'one', expiresInSeconds: null, oversize: null }));
    await before.pager.waitForRequests(1);
    const first = before.pager.requests[0]?.wire;
    expect(first).toBeDefined();
    await storage.close(); // killed with the request on the wire, no answer recorded

    await expectResentOnRestart(file, before.accountId, m1.id, first);
  });

  it('a message answered 200 whose final state was not yet stored when the app died is re-sent with the same identity, and was never shown delivered', async () => {
    const file = tmp.file('wire-answered-restart.db');
    storage = await openStorage(file);
    const faults: string[] = [];
    const before = await setup(storage, { onError: (m) => void faults.push(m) });
    const bob = await before.conversation('sip:bob@example.test');
    const m1 = only(await before.service.send({ conversationId: bob.id, body: 'one', expiresInSeconds: null, oversize: null }));
    await before.pager.waitForRequests(1);
    const first = before.pager.requests[0]?.wire;
    // the 200 arrives; the app dies before the final state reaches the storage worker (issue 18: that commit
    // runs beside the next message, one event-loop turn after the answer)
    before.pager.answer(0, ok200);
    await storage.close();
    await before.service.idle();
    expect(faults).toEqual(['chat delivery failed']);
    expect(before.events.of('chats:message-changed').map((m) => m.state)).toEqual(['queued', 'sending']);

    // a retransmission of the same request: the receiver's transaction (or its dedup) answers it again
    await expectResentOnRestart(file, before.accountId, m1.id, first, 'sending');
  });

  it('two messages never share a Call-ID; a manual retry after a final error is a new request (new Call-ID, From tag, CSeq 1)', async () => {
    storage = await openStorage(':memory:');
    const s = await setup(storage);
    const bob = await s.conversation('sip:bob@example.test');
    const a = only(await s.service.send({ conversationId: bob.id, body: 'a', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    s.pager.answer(0, response(480, 'Temporarily Unavailable'));
    await s.events.waitForState(a.id, 'failed');
    only(await s.service.send({ conversationId: bob.id, body: 'b', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(2);
    s.pager.answer(1, ok200);
    await s.service.retry(a.id);
    await s.pager.waitForRequests(3);
    s.pager.answer(2, ok200);
    await s.service.idle();
    const [w0, w1, w2] = s.pager.requests.map((r) => r.wire);
    expect(w1?.callId).not.toBe(w0?.callId);
    // a server still holding the failed transaction would answer a retransmission with the old 480
    expect(w2?.callId).toMatch(/^[0-9a-f]{32}$/);
    expect(w2?.callId).not.toBe(w0?.callId);
    expect(w2?.callId).not.toBe(w1?.callId);
    expect(w2?.fromTag).not.toBe(w0?.fromTag);
    expect(w2?.cseq).toBe(1);
  });

  it('the text/plain fallback after a 415 is a new request: same Call-ID, next CSeq, stored before it goes out', async () => {
    storage = await openStorage(':memory:');
    const s = await setup(storage, { cpim: true });
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await s.service.send({ conversationId: bob.id, body: 'x', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    s.pager.answer(0, response(415, 'Unsupported Media Type', ['text/plain']));
    await s.pager.waitForRequests(2);
    const [w0, w1] = s.pager.requests.map((r) => r.wire);
    expect(w1).toEqual({ callId: w0?.callId, cseq: (w0?.cseq ?? 0) + 1, fromTag: w0?.fromTag });
    expect((await storage.getStoredMessage(m.id))?.cseq).toBe(w1?.cseq);
    s.pager.answer(1, ok200);
    await s.service.idle();
  });

  it('when a 407 retry already took the next CSeq, the text/plain fallback goes one higher than the CSeq the 415 answered', async () => {
    storage = await openStorage(':memory:');
    const s = await setup(storage, { cpim: true });
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await s.service.send({ conversationId: bob.id, body: 'x', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    const w0 = s.pager.requests[0]?.wire;
    // the stack answered the proxy's 407 with CSeq + 1 (RFC 3261 §22.2); the 415 names that request's CSeq
    s.pager.answer(0, { kind: 'response', status: 415, reason: 'Unsupported Media Type', accept: ['text/plain'], cseq: (w0?.cseq ?? 0) + 1 });
    await s.pager.waitForRequests(2);
    const w1 = s.pager.requests[1]?.wire;
    expect(w1).toEqual({ callId: w0?.callId, cseq: (w0?.cseq ?? 0) + 2, fromTag: w0?.fromTag });
    expect((await storage.getStoredMessage(m.id))?.cseq).toBe(w1?.cseq);
    s.pager.answer(1, ok200);
    await s.service.idle();
  });
});
