import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANCELLED } from '../../../../main/services/chats/chat-service.ts';
import { DEFAULT_RESEND_VALIDITY_MS, RETRY_AFTER_MS } from '../../../../main/services/chats/outbox.ts';
import type { PagerOutcome } from '../../../../main/services/chats/pager.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import type { SendOutcome } from '#shared/ipc/contract.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import { ScriptedPager, ok200, response, setup } from './harness.ts';

function only(outcome: SendOutcome): MessageDto {
  if (outcome.kind !== 'queued' || outcome.messages.length !== 1 || outcome.messages[0] === undefined) throw new Error('expected one');
  return outcome.messages[0];
}

const timeout: PagerOutcome = { kind: 'timeout' };
const icmp: PagerOutcome = { kind: 'transport-error', reason: 'ICMP port unreachable' };

describe('automatic resend of what the network lost (RFC 3261 §17.1.2.2 Timer F, §18.4; RFC 3428 §7 Expires)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it('a timeout puts the message back in the outbox ("will retry"); online again it goes out with the same Call-ID/CSeq/From tag', async () => {
    const s = await setup(storage);
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await s.service.send({ conversationId: bob.id, body: 'lost once', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    s.pager.answer(0, timeout);
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'queued', reason: 'will retry — no answer from the PBX (timeout)' });
    expect(s.scheduled.map((x) => x.ms)).toEqual([RETRY_AFTER_MS]);
    // the account is registered again: resume sends it
    expect(await s.service.resume(s.accountId)).toBe(1);
    await s.pager.waitForRequests(2);
    s.pager.answer(1, ok200);
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'delivered', code: 200 });
    expect(s.pager.requests[1]?.wire).toEqual(s.pager.requests[0]?.wire);
  });

  it('the retry timer sends it again even when the account never went offline', async () => {
    const s = await setup(storage);
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await s.service.send({ conversationId: bob.id, body: 'icmp', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    s.pager.answer(0, icmp);
    await s.service.idle();
    expect((await storage.getMessage(m.id))?.reason).toBe('will retry — could not reach the PBX (ICMP port unreachable)');
    s.pager.auto = () => ok200;
    s.scheduled.splice(0).forEach((x) => x.fn());
    await s.pager.waitForRequests(2);
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'delivered' });
  });

  it('later messages to the same person wait behind the one to be re-sent, and go out after it, in order (RFC 3428 §8)', async () => {
    const s = await setup(storage);
    const bob = await s.conversation('sip:bob@example.test');
    const a = only(await s.service.send({ conversationId: bob.id, body: 'a', expiresInSeconds: null, oversize: null }));
    const b = only(await s.service.send({ conversationId: bob.id, body: 'b', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    s.pager.answer(0, timeout);
    await s.service.idle();
    expect(s.pager.requests).toHaveLength(1);
    expect(await storage.getMessage(b.id)).toMatchObject({ state: 'queued', reason: 'will retry — after an earlier message' });
    s.pager.auto = () => ok200;
    await s.service.resume(s.accountId);
    await s.service.idle();
    expect(s.pager.requests.map((r) => r.body.toString('utf8'))).toEqual(['a', 'a', 'b']);
    expect((await storage.getMessage(a.id))?.state).toBe('delivered');
    expect((await storage.getMessage(b.id))?.state).toBe('delivered');
  });

  it('a real final response (404, 486, 603) stays failed: never re-sent on its own', async () => {
    for (const [status, phrase] of [
      [404, 'Not Found'],
      [486, 'Busy Here'],
      [603, 'Decline'],
    ] as const) {
      const s = await setup(storage);
      const bob = await s.conversation('sip:bob@example.test');
      s.pager.auto = () => response(status, phrase);
      const m = only(await s.service.send({ conversationId: bob.id, body: String(status), expiresInSeconds: null, oversize: null }));
      await s.service.idle();
      expect((await storage.getMessage(m.id))?.state).toBe(status === 603 ? 'refused' : 'failed');
      expect(s.scheduled).toEqual([]);
      await s.service.resume(s.accountId);
      await s.service.idle();
      expect(s.pager.requests).toHaveLength(1);
    }
  });

  it('past its Expires (or 24 h without one) a lost message fails with the network reason instead of waiting', async () => {
    const s = await setup(storage);
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await s.service.send({ conversationId: bob.id, body: 'old', expiresInSeconds: null, oversize: null }));
    await s.pager.waitForRequests(1);
    s.clock.now += DEFAULT_RESEND_VALIDITY_MS;
    s.pager.answer(0, timeout);
    await s.service.idle();
    expect(await storage.getMessage(m.id)).toMatchObject({ state: 'failed', reason: 'no answer from the PBX (timeout)' });
    expect(s.scheduled).toEqual([]);
  });

  it('the user can cancel a message that waits to be re-sent: failed "cancelled", never sent again', async () => {
    const pager = new ScriptedPager();
    const s = await setup(storage, { pager });
    const bob = await s.conversation('sip:bob@example.test');
    const m = only(await s.service.send({ conversationId: bob.id, body: 'never mind', expiresInSeconds: null, oversize: null }));
    await pager.waitForRequests(1);
    // on the wire: it cannot be called back
    await expect(s.service.cancel(m.id)).rejects.toThrow(/being sent right now/);
    pager.answer(0, timeout);
    await s.service.idle();
    const cancelled = await s.service.cancel(m.id);
    expect(cancelled).toMatchObject({ state: 'failed', reason: CANCELLED });
    expect(s.events.of('chats:message-changed').at(-1)).toMatchObject({ id: m.id, state: 'failed', reason: CANCELLED });
    pager.auto = () => ok200;
    await s.service.resume(s.accountId);
    s.scheduled.splice(0).forEach((x) => x.fn());
    await s.service.idle();
    expect(pager.requests).toHaveLength(1);
    await expect(s.service.cancel(m.id)).rejects.toThrow(/Only a message waiting/);
  });
});
